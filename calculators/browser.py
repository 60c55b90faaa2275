"""The entry points the page's Web Worker calls inside Pyodide.

JSON text in, JSON text out, so nothing but strings crosses the JavaScript/Python boundary and the
worker needs no knowledge of Python objects. An :class:`~calculators.errors.InputError` becomes
``{"ok": false, "error": {...}}``; any other exception is a bug and propagates to the worker.
"""

from __future__ import annotations

import json

from . import display, settings
from .errors import InputError
from .registry import run

__all__ = ["handle", "configure", "display_precision"]


def _answer(action: str, payload_json: str) -> str:
    try:
        payload = json.loads(payload_json)
        if not isinstance(payload, dict):
            raise InputError("params", payload_json, "The inputs must be a JSON object.")
        if action == "configure":
            settings.configure(payload)
            return json.dumps({"ok": True, "result": {}})
        return json.dumps({"ok": True, "result": run(action, payload)})
    except InputError as error:
        return json.dumps({"ok": False, "error": error.as_plain()})


def handle(name: str, params_json: str) -> str:
    """Run calculator ``name`` with the JSON object ``params_json``; answer in JSON."""
    return _answer(name, params_json)


def configure(settings_json: str) -> str:
    """Apply the institution's calculator settings (JSON object); answer in JSON."""
    return _answer("configure", settings_json)


def display_precision() -> str:
    """How the page shows each quantity (:data:`calculators.display.PRECISION`), in JSON."""
    return json.dumps(display.as_plain())
