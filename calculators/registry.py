"""The calculators by name, with their fields: one table for the browser, the CLI and the forms.

``CALCULATORS[name]`` gives a :class:`Calculator`; :func:`run` calls one with raw parameters
(text from a form or a command line) and returns plain data. The name is also the command-line
subcommand and the ``data-calculator`` attribute of the form in the page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import InputError
from .fields import ChoiceField, DateField, NumberField
from .plain import to_plain
from .prophylaxis import PROPHYLAXIS_FIELDS, prophylaxis_schedule

__all__ = ["Calculator", "CALCULATORS", "run", "describe"]


@dataclass(frozen=True, slots=True)
class Calculator:
    name: str
    title: str
    function: Callable[..., Any]
    fields: tuple[NumberField | ChoiceField | DateField, ...]


CALCULATORS: dict[str, Calculator] = {
    c.name: c
    for c in (
        Calculator(
            name="prophylaxis",
            title="CytoGam prophylaxis schedule",
            function=prophylaxis_schedule,
            fields=PROPHYLAXIS_FIELDS,
        ),
    )
}


def run(name: str, params: Mapping[str, object]) -> dict[str, Any]:
    """Run calculator ``name`` on ``params`` and return its result as plain data.

    Unknown parameter names are refused rather than ignored, so a misspelt field never silently
    falls back to nothing.
    """
    if name not in CALCULATORS:
        raise InputError("calculator", name, f"There is no calculator called '{name}'.")
    calculator = CALCULATORS[name]
    known = {f.name for f in calculator.fields}
    for key in params:
        if key not in known:
            raise InputError(
                key, params[key], f"'{key}' is not an input of the {name} calculator."
            )
    result = calculator.function(**{f.name: params.get(f.name) for f in calculator.fields})
    plain: dict[str, Any] = to_plain(result)
    return plain


def describe() -> dict[str, Any]:
    """Every calculator's name, title and fields as plain data, for the site generator."""
    return {
        c.name: {"name": c.name, "title": c.title, "fields": [f.describe() for f in c.fields]}
        for c in CALCULATORS.values()
    }
