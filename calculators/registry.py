"""The calculators by name: one table for the browser, the command line and the forms.

Each calculator module defines ``CALCULATORS`` (a tuple of
:class:`~calculators.calculator.Calculator`); :data:`CALCULATORS` here gathers them by name, from
every module of the package that defines it, in order of name. The modules are found, not
listed, so a new calculator is its own module: nothing here names one.
:func:`run` calls one with raw parameters (text from a form or a command line) and the
institution's settings (a :class:`~calculators.settings.Settings` value the caller holds) and
returns plain data. The name is also the command-line subcommand and the ``data-calculator``
attribute of the form in the page.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from datetime import date
from types import ModuleType
from typing import Any

from .calculator import Calculator
from .errors import InputError
from .fields import AnyField, DateField, NumberField
from .plain import to_plain
from .presenters import present
from .settings import DEFAULTS, Settings

__all__ = ["Calculator", "CALCULATORS", "calculator_modules", "evaluate", "run", "run_shown",
           "describe"]

# The registry's own users: they import it, so they cannot be imported while it is being built.
_REGISTRY_USERS = frozenset({"__main__", "browser", "registry"})


def calculator_modules() -> tuple[ModuleType, ...]:
    """Every module of this package that defines ``CALCULATORS``, in name order."""
    package = __name__.rpartition(".")[0]
    found = (importlib.import_module(f"{package}.{info.name}")
             for info in sorted(pkgutil.iter_modules(importlib.import_module(package).__path__),
                                key=lambda info: info.name)
             if info.name not in _REGISTRY_USERS)
    return tuple(module for module in found if hasattr(module, "CALCULATORS"))


CALCULATORS: dict[str, Calculator] = dict(sorted(
    (calculator.name, calculator)
    for module in calculator_modules() for calculator in module.CALCULATORS))


def input_warnings(fields: tuple[AnyField, ...], params: Mapping[str, object],
                   today: date) -> list[str]:
    """A warning for each accepted input outside its field's expected range (fields.py)."""
    found = []
    for field in fields:
        raw = params.get(field.name)
        # Only fields with an expected range; the calculator has accepted the value already.
        if not isinstance(field, (NumberField, DateField)) or field.expected is None \
                or field.is_missing(raw):
            continue
        warning = (field.expectation_warning(field.parse(raw)) if isinstance(field, NumberField)
                   else field.expectation_warning(field.parse_required(raw), today))
        if warning is not None:
            found.append(warning)
    return found


def evaluate(name: str, params: Mapping[str, object], settings: Settings = DEFAULTS,
             today: date | None = None) -> tuple[Any, list[str]]:
    """Run calculator ``name`` on ``params`` under ``settings``: its result, and the warnings
    for inputs outside their expected range.

    ``settings`` are the institution's (:func:`calculators.settings.parse`; by default none), given
    to the calculators that use them (``Calculator.uses_settings``).

    Unknown parameter names are refused rather than ignored, so a misspelt field never silently
    falls back to nothing. The input warnings (dates measured from ``today``, the computer's date
    by default) are kept apart from the result's own ``warnings``, so that those do not change
    with the date.
    """
    if name not in CALCULATORS:
        raise InputError("calculator", name, f"There is no calculator called '{name}'.")
    calculator = CALCULATORS[name]
    known = {f.name for f in calculator.fields}
    for key in params:
        if key not in known:
            raise InputError(key, params[key], f"'{key}' is not an input of the {name} calculator.")
    inputs = {f.name: params.get(f.name) for f in calculator.fields}
    if calculator.uses_settings:
        inputs["settings"] = settings
    result = calculator.function(**inputs)
    return result, input_warnings(calculator.fields, params,
                                  date.today() if today is None else today)


def run(name: str, params: Mapping[str, object], settings: Settings = DEFAULTS,
        today: date | None = None) -> dict[str, Any]:
    """Run calculator ``name`` (:func:`evaluate`) and return its result as plain data, with
    ``input_warnings``: the inputs that were accepted but lie outside their expected range."""
    return _with_input_warnings(*evaluate(name, params, settings, today))


def run_shown(name: str, params: Mapping[str, object], settings: Settings = DEFAULTS,
              today: date | None = None) -> dict[str, Any]:
    """:func:`run`'s ``result``, and the ``display`` the page draws of it (what it shows, how it
    was calculated: :func:`calculators.presenters.present`), both as plain data."""
    result, warnings = evaluate(name, params, settings, today)
    return {"result": _with_input_warnings(result, warnings),
            "display": to_plain(present(result, warnings))}


def _with_input_warnings(result: Any, warnings: list[str]) -> dict[str, Any]:
    plain: dict[str, Any] = to_plain(result)
    plain["input_warnings"] = warnings
    return plain


def describe() -> dict[str, Any]:
    """Every calculator's name, title and fields as plain data, for the site generator."""
    return {
        c.name: {"name": c.name, "title": c.title, "fields": [f.describe() for f in c.fields]}
        for c in CALCULATORS.values()
    }
