"""Input fields: each calculator parameter defined once, with its label, unit, bounds and choices.

A field turns what a person or a program gives (a number, a date, or the text typed into a form or
on the command line) into a checked value, or raises :class:`~calculators.errors.InputError` naming
the field. The same definitions drive the Python API, the command line and the HTML forms, so a
bound or a label is written in one place only.

- :class:`NumberField` -- a decimal number with a unit and bounds; accepts a decimal comma.
- :class:`ChoiceField` -- one of a fixed set of values, each with a label.
- :class:`DateField` -- a calendar date, ISO 8601 (``2026-01-01``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from .errors import InputError

__all__ = ["Field", "NumberField", "ChoiceField", "DateField"]

# One optional sign, digits, and at most one decimal separator (point or comma).
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


@dataclass(frozen=True, slots=True)
class Field:
    """What every field has: the parameter name, a label for people, and a hint."""

    name: str
    label: str
    hint: str = ""

    def _missing(self, raw: object) -> bool:
        return raw is None or (isinstance(raw, str) and not raw.strip())

    def _required(self, raw: object) -> InputError:
        return InputError(self.name, raw, f"{self.label} is required.")

    def describe(self) -> dict[str, object]:
        """The field as plain data, for templates that draw forms."""
        return {"name": self.name, "label": self.label, "hint": self.hint, "kind": self.kind}

    @property
    def kind(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class NumberField(Field):
    """A positive decimal quantity such as a weight.

    ``minimum_exclusive`` and ``maximum`` are plausibility bounds: they catch typing slips (0 kg,
    700 kg), they are not clinical limits.
    """

    unit: str = ""
    minimum_exclusive: Decimal = Decimal(0)
    maximum: Decimal | None = None
    example: str = ""

    @property
    def kind(self) -> str:
        return "number"

    def parse(self, raw: object) -> Decimal:
        if self._missing(raw):
            raise self._required(raw)
        if isinstance(raw, bool):
            raise InputError(self.name, raw, f"{self.label} must be a number, not {raw}.")
        if isinstance(raw, Decimal):
            value = raw
        elif isinstance(raw, int):
            value = Decimal(raw)
        elif isinstance(raw, float):
            # str() gives the shortest text that round-trips, so 70.1 stays 70.1.
            value = Decimal(str(raw))
        elif isinstance(raw, str) and _NUMBER.fullmatch(raw.strip()):
            value = Decimal(raw.strip().replace(",", "."))
        else:
            example = f", such as {self.example}" if self.example else ""
            raise InputError(
                self.name, raw, f"{self.label} must be a number{example} (got {_shown(raw)})."
            )
        if not value.is_finite():
            raise InputError(self.name, raw, f"{self.label} must be a finite number.")
        unit = f" {self.unit}" if self.unit else ""
        if value <= self.minimum_exclusive:
            raise InputError(
                self.name,
                raw,
                f"{self.label} must be more than {self.minimum_exclusive}{unit} (got {_shown(raw)}).",
            )
        if self.maximum is not None and value > self.maximum:
            raise InputError(
                self.name,
                raw,
                f"{self.label} must be at most {self.maximum}{unit} (got {_shown(raw)}); "
                "check the value and its unit.",
            )
        return value

    def describe(self) -> dict[str, object]:
        plain = super(NumberField, self).describe()
        plain.update(
            unit=self.unit,
            minimum_exclusive=str(self.minimum_exclusive),
            maximum=None if self.maximum is None else str(self.maximum),
            example=self.example,
        )
        return plain


@dataclass(frozen=True, slots=True)
class ChoiceField(Field):
    """One value out of ``choices``, a mapping of value to label (in display order)."""

    choices: tuple[tuple[str, str], ...] = ()

    @property
    def kind(self) -> str:
        return "choice"

    def parse(self, raw: object) -> str:
        if self._missing(raw):
            raise self._required(raw)
        values = [value for value, _ in self.choices]
        text = raw.strip().lower() if isinstance(raw, str) else raw
        if text not in values:
            raise InputError(
                self.name,
                raw,
                f"{self.label} must be one of {', '.join(values)} (got {_shown(raw)}).",
            )
        assert isinstance(text, str)
        return text

    def describe(self) -> dict[str, object]:
        plain = super(ChoiceField, self).describe()
        plain["choices"] = [{"value": v, "label": label} for v, label in self.choices]
        return plain


@dataclass(frozen=True, slots=True)
class DateField(Field):
    """A calendar date, as a :class:`datetime.date` or ISO 8601 text (YYYY-MM-DD)."""

    earliest: date = date(1900, 1, 1)
    latest: date = date(2199, 12, 31)

    @property
    def kind(self) -> str:
        return "date"

    def parse(self, raw: object) -> date:
        if self._missing(raw):
            raise self._required(raw)
        if isinstance(raw, date):
            value = raw
        elif isinstance(raw, str):
            try:
                value = date.fromisoformat(raw.strip())
            except ValueError:
                raise InputError(
                    self.name,
                    raw,
                    f"{self.label} must be a date written YYYY-MM-DD, such as 2026-01-31 "
                    f"(got {_shown(raw)}).",
                ) from None
        else:
            raise InputError(self.name, raw, f"{self.label} must be a date (got {_shown(raw)}).")
        if not self.earliest <= value <= self.latest:
            raise InputError(
                self.name,
                raw,
                f"{self.label} must be between {self.earliest.isoformat()} and "
                f"{self.latest.isoformat()} (got {value.isoformat()}).",
            )
        return value


def _shown(raw: object) -> str:
    """A short, quoted rendering of a bad value for a message."""
    text = raw if isinstance(raw, str) else repr(raw)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"'{text}'"
