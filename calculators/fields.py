"""Input fields: each calculator parameter defined once, with its label, unit, bounds and choices.

A field turns what a person or a program gives (a number, a date, a flag, or the text typed into a
form or on the command line) into a checked value, or raises
:class:`~calculators.errors.InputError` naming the field. The same definitions drive the Python
API, the command line and the HTML forms, so a bound or a label is written in one place only.

- :class:`NumberField` -- a decimal quantity with a unit and bounds. Accepts ``70``, ``70.5``,
  ``70,5`` (decimal comma), `` 70 kg `` and, where the field lists other units, ``154 lb``
  (converted exactly to the field's own unit). Rejects text, ``nan``, ``inf``, exponents, digits
  other than ASCII 0-9 (Bengali ``৪`` looks like 8 and means 4), values that would show as 0 at
  the three decimals the page shows, and values outside the bounds.
- :class:`ChoiceField` -- one of a fixed set of values, each with a label.
- :class:`DateField` -- a calendar date, ISO 8601 (``2026-01-01``).
- :class:`FlagField` -- yes or no (``true``/``false``, ``yes``/``no``, ``1``/``0``, ``on``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from .errors import InputError

__all__ = ["Field", "Expectation", "NumberField", "ChoiceField", "DateField", "FlagField",
           "AnyField", "DateExpectation"]

# ASCII digits with at most one decimal separator (point or comma), then an optional unit word.
# [0-9], not \\d: \\d also matches the digits of every other script, which Decimal() accepts.
_NUMBER = re.compile(
    r"(?P<number>[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+))\s*(?P<unit>[^\d\s.,+-][^\s]*)?")
# '5,000' or '5.000' is 5 with a decimal comma but 5000 to many readers: a separator followed by
# exactly three digits, after a non-zero whole part, is refused rather than guessed.
_AMBIGUOUS = re.compile(r"[+-]?0*[1-9][0-9]*[.,][0-9]{3}")
# The page shows figures to three decimals: a value that is not zero must not show as 0.
SHOWN_STEP = Decimal("0.001")
_TRUE = {"true", "yes", "1", "on", "y"}
_FALSE = {"false", "no", "0", "off", "n"}


@dataclass(frozen=True, slots=True)
class Field:
    """What every field has: the parameter name, a label for people, and a hint."""

    name: str
    label: str
    hint: str = ""
    # The calculator needs this input to answer although parsing lets it be missing: one of a
    # group stands in for another (serum creatinine in mg/dL or in µmol/L), or missing has a
    # meaning (an unticked finding is "no"). A form shows it in view, never under "More options".
    needed: bool = False

    @property
    def kind(self) -> str:
        raise NotImplementedError

    @property
    def required(self) -> bool:
        return True

    def is_missing(self, raw: object) -> bool:
        """True when nothing was given: None or blank text."""
        return raw is None or (isinstance(raw, str) and not raw.strip())

    def _required(self, raw: object) -> InputError:
        return InputError(self.name, raw, f"{self.label} is required.")

    @property
    def in_view(self) -> bool:
        """Shown in the form's first part: required, or needed to answer (``needed``)."""
        return self.required or self.needed

    def describe(self) -> dict[str, object]:
        """The field as plain data, for templates that draw forms and for the command line."""
        return {"name": self.name, "label": self.label, "hint": self.hint, "kind": self.kind,
                "required": self.required, "in_view": self.in_view}


@dataclass(frozen=True, slots=True)
class Expectation:
    """The range a value is expected in, and why: outside it a value is accepted with a warning.

    ``low``/``high`` (either may be None) are inclusive. ``reason`` says what a value outside
    suggests and what to check, naming the bounds as ``{low}`` and ``{high}`` (filled in from
    them, so the words never restate a figure that could drift); ``source`` is a key of
    :mod:`calculators.sources`, or empty where the reason is our own (the warning then says the
    sources are silent).
    """

    low: Decimal | None
    high: Decimal | None
    reason: str
    source: str = ""

    def warning(self, label: str, value: Decimal, unit: str) -> str | None:
        if (self.low is None or value >= self.low) and (self.high is None or value <= self.high):
            return None
        shown = f" {unit}" if unit else ""
        expected = (f"{self.low} to {self.high}{shown}" if self.low is not None
                    and self.high is not None else f"at least {self.low}{shown}"
                    if self.low is not None else f"at most {self.high}{shown}")
        cited = (f" [{self.source}]" if self.source
                 else " (the sources give no range: this range is a plausibility check)")
        return (f"{label}: {value}{shown} is outside the expected {expected}: "
                f"{self.why}{cited}")

    @property
    def why(self) -> str:
        """:attr:`reason` with the bounds filled in."""
        return self.reason.format(low=self.low, high=self.high)

    def describe(self) -> dict[str, object]:
        return {"low": None if self.low is None else str(self.low),
                "high": None if self.high is None else str(self.high),
                "reason": self.why, "source": self.source}


@dataclass(frozen=True, slots=True)
class NumberField(Field):
    """A decimal quantity such as a weight, in ``unit``.

    ``minimum``/``minimum_exclusive`` and ``maximum`` are plausibility bounds: they catch typing
    slips (0 kg, 700 kg); they are not clinical limits. ``other_units`` maps a unit word a person
    may type (``lb``) to its exact factor into ``unit``. ``default`` makes the field optional.
    """

    unit: str = ""
    minimum: Decimal | None = None
    minimum_exclusive: Decimal | None = Decimal(0)
    maximum: Decimal | None = None
    example: str = ""
    other_units: tuple[tuple[str, Decimal], ...] = ()
    integer: bool = False
    default: Decimal | None = None
    optional: bool = False  # missing is allowed: use parse_optional()
    # Why the hard bounds are where they are: a source key (calculators.sources) and/or a reason
    # in words, naming the bounds as {minimum} and {maximum} (filled in from them); both appear
    # in the message that refuses a value outside them.
    range_source: str = ""
    range_reason: str = ""
    # The softer, expected range: a value outside it is accepted, with a warning saying why.
    expected: Expectation | None = None

    @property
    def kind(self) -> str:
        return "number"

    @property
    def required(self) -> bool:
        return self.default is None and not self.optional

    def parse_optional(self, raw: object) -> Decimal | None:
        """None when nothing was given, else :meth:`parse`."""
        return None if self.is_missing(raw) else self.parse(raw)

    def parse(self, raw: object) -> Decimal:
        if self.is_missing(raw):
            if self.default is not None:
                return self.default
            raise self._required(raw)
        value = self._number(raw)
        if not value.is_finite():
            raise InputError(self.name, raw, f"{self.label} must be a finite number.")
        if self.integer and value != value.to_integral_value():
            raise InputError(self.name, raw,
                             f"{self.label} must be a whole number (got {_shown(raw)}).")
        if value and abs(value) < SHOWN_STEP / 2:
            raise InputError(self.name, raw,
                             f"{self.label} is too small to be a real value (got {_shown(raw)}); "
                             "check the value and its unit.")
        self._check_bounds(raw, value)
        return value

    def _number(self, raw: object) -> Decimal:
        if isinstance(raw, bool):
            raise InputError(self.name, raw, f"{self.label} must be a number, not {raw}.")
        if isinstance(raw, Decimal):
            return raw
        if isinstance(raw, int):
            return Decimal(raw)
        if isinstance(raw, float):
            # str() gives the shortest text that round-trips, so 70.1 stays 70.1.
            return Decimal(str(raw))
        if isinstance(raw, str) and any(c.isdecimal() and not c.isascii() for c in raw):
            raise InputError(
                self.name, raw,
                f"{self.label}: type the number with the digits 0-9 only (got {_shown(raw)}).",
            )
        match = _NUMBER.fullmatch(raw.strip()) if isinstance(raw, str) else None
        if match is None:
            example = f", such as {self.example}" if self.example else ""
            raise InputError(
                self.name, raw, f"{self.label} must be a number{example} (got {_shown(raw)})."
            )
        if _AMBIGUOUS.fullmatch(match["number"]):
            raise InputError(
                self.name, raw,
                f"{self.label}: '{match['number']}' could be a decimal or thousands; type it "
                "without a thousands separator (5000), or with fewer decimals (5.5).",
            )
        value = Decimal(match["number"].replace(",", "."))
        unit = match["unit"]
        if unit is None or unit.lower() == self.unit.lower():
            return value
        factors = {name.lower(): factor for name, factor in self.other_units}
        if unit.lower() not in factors:
            allowed = " or ".join([self.unit, *(name for name, _ in self.other_units)])
            raise InputError(
                self.name, raw, f"{self.label}: unknown unit '{unit}' (use {allowed})."
            )
        return value * factors[unit.lower()]

    def _why(self) -> str:
        cited = f" [{self.range_source}]" if self.range_source else ""
        return f" Range: {self.range_why}{cited}" if self.range_reason else ""

    @property
    def range_why(self) -> str:
        """:attr:`range_reason` with the bounds filled in."""
        return self.range_reason.format(minimum=self.minimum, maximum=self.maximum)

    def expectation_warning(self, value: Decimal) -> str | None:
        """The warning for an accepted ``value`` outside the expected range, else None."""
        return None if self.expected is None else self.expected.warning(self.label, value,
                                                                         self.unit)

    def _check_bounds(self, raw: object, value: Decimal) -> None:
        try:
            self._check_hard_bounds(raw, value)
        except InputError as error:
            raise InputError(error.field, error.value, error.message + self._why()) from None

    def _check_hard_bounds(self, raw: object, value: Decimal) -> None:
        unit = f" {self.unit}" if self.unit else ""
        if self.minimum_exclusive is not None and value <= self.minimum_exclusive:
            raise InputError(
                self.name, raw,
                f"{self.label} must be more than {self.minimum_exclusive}{unit} "
                f"(got {_shown(raw)}).",
            )
        if self.minimum is not None and value < self.minimum:
            raise InputError(
                self.name, raw,
                f"{self.label} must be at least {self.minimum}{unit} (got {_shown(raw)}).",
            )
        if self.maximum is not None and value > self.maximum:
            raise InputError(
                self.name, raw,
                f"{self.label} must be at most {self.maximum}{unit} (got {_shown(raw)}); "
                "check the value and its unit.",
            )

    def describe(self) -> dict[str, object]:
        # The units a form offers to choose: the field's own and one name per real conversion
        # ('lb', not also 'lbs'; not spellings of the same unit, such as 'umol/L' for 'µmol/L').
        conversions: dict[Decimal, str] = {}
        for name, factor in self.other_units:
            if factor != 1:
                conversions.setdefault(factor, name)
        plain = Field.describe(self)
        plain.update(
            unit_choices=[self.unit, *conversions.values()] if conversions else [],
            # Each offered unit's factor into ``unit``, so a page can show "154 lb = 69.853 kg".
            unit_factors={name: str(factor) for factor, name in conversions.items()},
            unit=self.unit,
            minimum=None if self.minimum is None else str(self.minimum),
            minimum_exclusive=(None if self.minimum_exclusive is None
                               else str(self.minimum_exclusive)),
            maximum=None if self.maximum is None else str(self.maximum),
            range_source=self.range_source,
            range_reason=self.range_why,
            expected=None if self.expected is None else self.expected.describe(),
            example=self.example,
            other_units=[name for name, _ in self.other_units],
            integer=self.integer,
            default=None if self.default is None else str(self.default),
        )
        return plain


@dataclass(frozen=True, slots=True)
class ChoiceField(Field):
    """One value out of ``choices``, pairs of (value, label) in display order.

    ``default`` makes the field optional.
    """

    choices: tuple[tuple[str, str], ...] = ()
    default: str | None = None
    # (heading, values) in display order: a form draws each as an <optgroup>. Empty: one list.
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def __post_init__(self) -> None:
        grouped = [value for _, values in self.groups for value in values]
        if self.groups and sorted(grouped) != sorted(value for value, _ in self.choices):
            raise ValueError(f"{self.name}: groups must hold every choice exactly once")

    @property
    def kind(self) -> str:
        return "choice"

    @property
    def required(self) -> bool:
        return self.default is None

    def parse(self, raw: object) -> str:
        if self.is_missing(raw):
            if self.default is not None:
                return self.default
            raise self._required(raw)
        values = [value for value, _ in self.choices]
        text = raw.strip().lower() if isinstance(raw, str) else None
        if text not in values:
            raise InputError(
                self.name, raw,
                f"{self.label} must be one of {', '.join(v for v in values if v)} "
                f"(got {_shown(raw)}).",
            )
        assert text is not None
        return text

    def describe(self) -> dict[str, object]:
        plain = Field.describe(self)
        plain["choices"] = [{"value": v, "label": label} for v, label in self.choices]
        plain["default"] = self.default
        labels = dict(self.choices)
        plain["groups"] = [{"label": heading,
                            "choices": [{"value": v, "label": labels[v]} for v in values]}
                           for heading, values in self.groups]
        return plain


@dataclass(frozen=True, slots=True)
class DateExpectation:
    """A date is expected within ``within_days`` of today; further away it is accepted, warned."""

    within_days: int = 365
    reason: str = ("check the year: a course is planned from a recent or a coming date")

    def warning(self, label: str, value: date, today: date) -> str | None:
        away = (value - today).days
        if abs(away) <= self.within_days:
            return None
        side = "after" if away > 0 else "before"
        return (f"{label}: {value.isoformat()} is {abs(away)} days {side} today "
                f"({today.isoformat()}), more than {self.within_days} days away: {self.reason} "
                "(the sources give no range: this is a plausibility check)")


@dataclass(frozen=True, slots=True)
class DateField(Field):
    """A calendar date, as a :class:`datetime.date` or ISO 8601 text (YYYY-MM-DD)."""

    earliest: date = date(2000, 1, 1)
    latest: date = date(2099, 12, 31)
    optional: bool = False
    # Why earliest and latest are where they are (the sources give no dates; a slip in the year
    # is the usual error), naming them as {earliest} and {latest} (dates, filled in from them).
    range_reason: str = ("a date outside {earliest.year} to {latest.year} is a slip in the year: "
                         "these schedules are for a course given now.")
    expected: DateExpectation | None = None

    @property
    def kind(self) -> str:
        return "date"

    @property
    def required(self) -> bool:
        return not self.optional

    @property
    def range_why(self) -> str:
        """:attr:`range_reason` with the dates filled in."""
        return self.range_reason.format(earliest=self.earliest, latest=self.latest)

    def parse(self, raw: object) -> date | None:
        if self.is_missing(raw):
            if self.optional:
                return None
            raise self._required(raw)
        if isinstance(raw, datetime):
            value = raw.date()  # a datetime is a date too, but does not compare with one
        elif isinstance(raw, date):
            value = raw
        elif isinstance(raw, str):
            try:
                value = date.fromisoformat(raw.strip())
            except ValueError:
                raise InputError(
                    self.name, raw,
                    f"{self.label} must be a date written YYYY-MM-DD, such as 2026-01-31 "
                    f"(got {_shown(raw)}).",
                ) from None
        else:
            raise InputError(self.name, raw, f"{self.label} must be a date (got {_shown(raw)}).")
        if not self.earliest <= value <= self.latest:
            why = f" Range: {self.range_why}" if self.range_reason else ""
            raise InputError(
                self.name, raw,
                f"{self.label} must be between {self.earliest.isoformat()} and "
                f"{self.latest.isoformat()} (got {value.isoformat()}).{why}",
            )
        return value

    def expectation_warning(self, value: date, today: date) -> str | None:
        """The warning for an accepted ``value`` far from ``today``, else None."""
        return None if self.expected is None else self.expected.warning(self.label, value, today)

    def parse_required(self, raw: object) -> date:
        """:meth:`parse` for a field that is not optional (the type checker knows it is a date)."""
        value = self.parse(raw)
        if value is None:
            raise self._required(raw)
        return value


@dataclass(frozen=True, slots=True)
class FlagField(Field):
    """Yes or no. Missing means ``default`` (no, unless the field says otherwise)."""

    default: bool = False

    @property
    def kind(self) -> str:
        return "flag"

    @property
    def required(self) -> bool:
        return False

    def parse(self, raw: object) -> bool:
        if isinstance(raw, bool):
            return raw
        if self.is_missing(raw):
            return self.default
        text = raw.strip().lower() if isinstance(raw, str) else None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise InputError(self.name, raw, f"{self.label} must be yes or no (got {_shown(raw)}).")

    def describe(self) -> dict[str, object]:
        plain = Field.describe(self)
        plain["default"] = self.default
        return plain


AnyField = NumberField | ChoiceField | DateField | FlagField


def _shown(raw: object) -> str:
    """A short, quoted rendering of a bad value for a message."""
    text = raw if isinstance(raw, str) else repr(raw)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"'{text}'"
