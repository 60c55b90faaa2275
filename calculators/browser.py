"""The entry points the page's Web Worker calls inside Pyodide.

JSON text in, JSON text out, so nothing but strings crosses the JavaScript/Python boundary and the
worker needs no knowledge of Python objects. An :class:`~calculators.errors.InputError` becomes
``{"ok": false, "error": {...}}``; any other exception is a bug and propagates to the worker.

The worker holds the institution's settings (the served ``calculator-settings.json``) as the one
configured value: it checks them once at start-up (:func:`check_settings`) and passes them with
every calculation (:func:`handle`). Nothing is kept here between calls.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from . import display, settings
from .errors import InputError
from .registry import run_shown

__all__ = ["handle", "check_settings", "display_precision"]


def _answer(work: Callable[[], dict[str, Any]]) -> str:
    try:
        return json.dumps({"ok": True, **work()})
    except InputError as error:
        return json.dumps({"ok": False, "error": error.as_plain()})


def _object(text: str, field: str, what: str) -> dict[str, Any]:
    value = json.loads(text)
    if not isinstance(value, dict):
        raise InputError(field, text, f"{what} must be a JSON object.")
    return value


def _settings(settings_json: str) -> settings.Settings:
    return settings.parse(_object(settings_json, "settings", "The settings"))


def handle(name: str, params_json: str, settings_json: str) -> str:
    """Run calculator ``name`` with the JSON object ``params_json`` under the institution's
    settings ``settings_json`` (a JSON object); answer in JSON: the ``result`` and the
    ``display`` the page draws of it (:func:`calculators.registry.run_shown`)."""
    return _answer(lambda: run_shown(name, _object(params_json, "params", "The inputs"),
                               _settings(settings_json)))


def check_settings(settings_json: str) -> str:
    """Check the institution's calculator settings (a JSON object); answer in JSON."""
    def check() -> dict[str, Any]:
        _settings(settings_json)
        return {"result": {}}
    return _answer(check)


def display_precision() -> str:
    """How the page shows each quantity (:data:`calculators.display.PRECISION`), in JSON."""
    return json.dumps(display.as_plain())
