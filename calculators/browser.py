"""The entry point the page's Web Worker calls inside Pyodide.

JSON text in, JSON text out, so nothing but strings crosses the JavaScript/Python boundary and the
worker needs no knowledge of Python objects. An :class:`~calculators.errors.InputError` becomes
``{"ok": false, "error": {...}}``; any other exception is a bug and propagates to the worker.
"""

from __future__ import annotations

import json

from .errors import InputError
from .registry import run

__all__ = ["handle"]


def handle(name: str, params_json: str) -> str:
    """Run calculator ``name`` with the JSON object ``params_json``; answer in JSON."""
    try:
        params = json.loads(params_json)
        if not isinstance(params, dict):
            raise InputError("params", params_json, "The inputs must be a JSON object.")
        return json.dumps({"ok": True, "result": run(name, params)})
    except InputError as error:
        return json.dumps({"ok": False, "error": error.as_plain()})
