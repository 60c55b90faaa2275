"""CMV viral load: copies/mL and log10, the change between two results, and the sources' thresholds.

- :func:`viral_load` -- one result (and optionally the one before it), entered either in copies/mL
  or in log10 copies/mL, never both. Gives both forms, ``log10_change`` (current - previous) and
  ``fold_change`` (current / previous), and flags against two thresholds:

  - Zhang et al. 2021 (HSCT): CMV viremia is CMV-DNA *more than* 1,000 copies/mL.
  - Schulz et al. 2016 (thoracic transplant), conclusion (iii): PCR values rising, e.g. higher than
    5.0 log10, despite antiviral treatment. "Rising" needs a previous result; without one it is
    unknown (``None``), not no.

Exactness: copies/mL is an exact whole number. log10 and 10**x are irrational, so they are computed
with Decimal's ``log10``/``power`` at :data:`PRECISION` significant digits (the default context's
28; a value that is exact, such as log10 1000 = 3, stays exact). Each such value comes with a
``*_display`` value rounded by :mod:`calculators.rounding` (log10 and fold change to 0.01, copies to
whole copies). A change is rounded once, from unrounded values (so 2900 after 10,400 copies/mL is
-0.55 log10, though 3.46 - 4.02 = -0.56). Flags compare the entered value, never a rounded one.

0 copies/mL is accepted and read as "not detected": its log10 is undefined (``None``), and so is a
change in log10 or a fold change from it. IU/mL is never converted to copies/mL, or back: the factor
depends on the assay (Fryer et al. 2016), and the sources' thresholds are in copies/mL.

A :class:`ViralLoad` shows itself (:class:`calculators.layout.Presentable`): the result in both
forms with its change, each measurement, and each threshold met or not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal

from .calculator import Calculator, Cite, Listing
from .display import shown
from .errors import InputError
from .fields import Expectation, NumberField
from .layout import Block, Box, Column, Items, Row, Sources, Table, note_blocks, warning_blocks
from .results import Result, unique
from .rounding import round_to

__all__ = [
    "PRECISION", "LOG10_STEP", "COPIES_STEP", "FOLD_STEP", "MAX_COPIES", "MAX_LOG10",
    "ZHANG_VIREMIA_COPIES", "SCHULZ_PCR_LOG10", "SCHULZ_PCR_COPIES", "COPIES_FIELD", "LOG10_FIELD",
    "PREVIOUS_COPIES_FIELD", "PREVIOUS_LOG10_FIELD", "VIRAL_LOAD_FIELDS", "Measurement",
    "ThresholdFlag", "ViralLoad", "measurement", "parse_log10", "viral_load", "CALCULATORS",
]

PRECISION = 28  # significant digits for log10, 10**x and division
_CONTEXT = Context(prec=PRECISION, rounding=ROUND_HALF_EVEN)
LOG10_STEP = "0.01"  # labs and the sources give log10 to one or two decimals
COPIES_STEP = "1"
FOLD_STEP = "0.01"
MAX_COPIES = Decimal(10) ** 10  # plausibility bound (10 log10), not a clinical limit
MAX_LOG10 = Decimal(10)
ONE = Decimal(1)

# zhang-2021, Methods: "CMV viremia: CMV-DNA >1,000 copies/mL in blood (RQ-PCR)."
ZHANG_VIREMIA_COPIES = Decimal(1000)
ZHANG_VIREMIA_QUOTE = "CMV viremia: CMV-DNA >1,000 copies/mL in blood (RQ-PCR)."
# schulz-2016, Conclusions (iii).
SCHULZ_PCR_LOG10 = Decimal("5.0")
SCHULZ_PCR_COPIES = Decimal(100000)  # 10**5.0
SCHULZ_III_QUOTE = ("(iii) symptomatic cases with rising PCR values (eg, higher than 5.0 log10) "
                    "despite antiviral treatment")
SOURCES = ("zhang-2021", "schulz-2016", "fryer-2016")

IU_NOTE = ("Copies/mL only: IU/mL is never converted to copies/mL or back, because there is no "
           "fixed factor; it depends on the assay (Fryer et al. 2016). The sources' thresholds are "
           "in copies/mL.")
ROUNDING_NOTE = ("log10 values are shown to 0.01 and copies/mL to whole copies. A change is "
                 "worked out from the values as entered and then rounded, so it may differ by "
                 "0.01 from the difference of the rounded values. The thresholds are checked "
                 "against the value as entered, not a rounded one.")

_COPY_UNITS = (("copies", ONE), ("cp/mL", ONE))
_GROUPED = re.compile(r"\d[.,]\d{3}(?!\d)")  # '5,200' or '5.200': perhaps a thousands separator

# The sources give no range for a viral load; the bounds are ours, stated with their reasons.
_RANGE_REASON = ("0 to 10 log10 (10,000,000,000) copies/mL; more is a typing slip (an extra digit "
                 "or a pasted unit).")
_EXPECTED_REASON = ("above 8 log10 (100,000,000) copies/mL check the digits against the lab report "
                    "(an extra digit is the usual slip)")
_EXPECTED_LOG10 = Expectation(None, Decimal(8), _EXPECTED_REASON)
_EXPECTED_COPIES = Expectation(None, Decimal(10) ** 8, _EXPECTED_REASON)

COPIES_FIELD = NumberField(
    name="copies", label="Viral load (copies/mL)",
    hint="CMV DNA by PCR in copies/mL, digits only (1730, not 1,730). 0 = not detected.",
    unit="copies/mL", minimum_exclusive=None, minimum=Decimal(0), maximum=MAX_COPIES,
    example="1730", other_units=_COPY_UNITS, integer=True, optional=True,
    range_reason=_RANGE_REASON, expected=_EXPECTED_COPIES,
    needed=True,  # this or log10: the current result is what the calculator answers about
)
LOG10_FIELD = NumberField(
    name="log10", label="Viral load (log10 copies/mL)",
    hint="Instead of copies/mL: the result as log10 copies/mL, such as 5.2.",
    unit="log10", minimum_exclusive=None, minimum=Decimal(0), maximum=MAX_LOG10, example="5.2",
    optional=True, range_reason=_RANGE_REASON, expected=_EXPECTED_LOG10, needed=True,
)
PREVIOUS_COPIES_FIELD = NumberField(
    name="previous_copies", label="Previous viral load (copies/mL)",
    hint="The result before this one, to see the change; digits only.",
    unit="copies/mL", minimum_exclusive=None, minimum=Decimal(0), maximum=MAX_COPIES,
    example="500", other_units=_COPY_UNITS, integer=True, optional=True,
    range_reason=_RANGE_REASON, expected=_EXPECTED_COPIES,
)
PREVIOUS_LOG10_FIELD = NumberField(
    name="previous_log10", label="Previous viral load (log10 copies/mL)",
    hint="Instead of previous copies/mL: the earlier result as log10 copies/mL.",
    unit="log10", minimum_exclusive=None, minimum=Decimal(0), maximum=MAX_LOG10, example="4.1",
    optional=True, range_reason=_RANGE_REASON, expected=_EXPECTED_LOG10,
)
VIRAL_LOAD_FIELDS = (COPIES_FIELD, LOG10_FIELD, PREVIOUS_COPIES_FIELD, PREVIOUS_LOG10_FIELD)


@dataclass(frozen=True, slots=True)
class Measurement:
    """One viral-load result in both forms; ``entered_as`` says which one was typed (exact)."""

    entered_as: str  # "copies" or "log10"
    copies_per_ml: Decimal
    copies_per_ml_display: Decimal
    log10: Decimal | None  # None when not detected (0 copies/mL)
    log10_display: Decimal | None
    detected: bool


@dataclass(frozen=True, slots=True)
class ThresholdFlag:
    """A source's threshold and whether this result meets it (``None``: cannot tell)."""

    id: str
    threshold: str
    above: bool  # the current result is above the threshold
    met: bool | None  # the whole condition (for Schulz (iii): above and rising)
    quote: str
    source: str
    note: str


@dataclass(frozen=True, slots=True)
class ViralLoad(Result):
    copies_per_ml: Decimal | None  # the current result, repeated at the top for callers
    log10: Decimal | None
    log10_display: Decimal | None
    current: Measurement
    previous: Measurement | None
    log10_change: Decimal | None  # current - previous
    log10_change_display: Decimal | None
    fold_change: Decimal | None  # current / previous
    fold_change_display: Decimal | None
    rising: bool | None  # None without a previous result
    flags: tuple[ThresholdFlag, ...]
    notes: tuple[str, ...]
    sources: tuple[str, ...]
    warnings: tuple[str, ...]

    def explanation(self) -> str:
        copies = shown(self.copies_per_ml or Decimal(0), "copies")
        return (f"log10 of {copies} copies/mL; change = current − previous log10; fold change = "
                "current ÷ previous.")

    def blocks(self, hazards: Sequence[str]) -> tuple[Block, ...]:
        change = ""
        if self.log10_change_display is not None:
            sign = "+" if self.log10_change_display > 0 else ""
            fold = ("" if self.fold_change_display is None
                    else f", {shown(self.fold_change_display, 'fold')}-fold")
            change = f"; change {sign}{shown(self.log10_change_display, 'log10')} log10{fold}"
        measured = [("Current", self.current)] + ([] if self.previous is None
                                                  else [("Previous", self.previous)])
        met = {None: "needs a previous result", True: "met", False: "not met"}
        return (
            Box("answer", ((f"{shown(self.current.copies_per_ml_display, 'copies')} copies/mL = "
                            f"{_log10_text(self.current)} log10{change}",),)),
            *warning_blocks(hazards),
            Table("CMV DNA", (Column("Result"), Column("copies/mL", numeric=True),
                              Column("log10", numeric=True)),
                  tuple(Row(((label,), (shown(m.copies_per_ml_display, "copies"),),
                             (_log10_text(m),))) for label, m in measured)),
            Items(tuple((f"{f.threshold}: {met[f.met]}. {f.note}",) for f in self.flags),
                  "flags"),
            *note_blocks(self.notes), Sources(self.sources),
        )


def _log10_text(m: Measurement) -> str:
    return "not detected" if m.log10_display is None else shown(m.log10_display, "log10")


def _parse_copies(field: NumberField, raw: object) -> Decimal | None:
    """Whole copies/mL; text with '.' or ',' is refused, since either may group thousands."""
    if isinstance(raw, str):
        text = raw.strip()
        if "iu" in text.lower():
            raise InputError(
                field.name, raw,
                f"{field.label}: IU/mL cannot be converted to copies/mL (the factor depends on "
                "the assay); enter the result in copies/mL as the laboratory reported it.",
            )
        if "," in text or "." in text:
            raise InputError(
                field.name, raw,
                f"{field.label}: write whole copies with digits only, such as 1730 (a '.' or ',' "
                f"may be a thousands separator or a decimal point; got '{text}').",
            )
    return field.parse_optional(raw)


def parse_log10(field: NumberField, raw: object) -> Decimal | None:
    """A log10 viral load, refusing text such as '5,200' that may be copies with a separator."""
    if isinstance(raw, str) and _GROUPED.search(raw):
        raise InputError(
            field.name, raw,
            f"{field.label}: '{raw.strip()}' may be copies/mL written with a thousands separator; "
            "enter log10 with one or two decimals (such as 5.2), or use copies/mL.",
        )
    return field.parse_optional(raw)


def measurement(copies: object = None, log10: object = None, *,
                copies_field: NumberField = COPIES_FIELD,
                log10_field: NumberField = LOG10_FIELD) -> Measurement | None:
    """One result from exactly one of ``copies`` and ``log10``; None when neither was given."""
    count = _parse_copies(copies_field, copies)
    log = parse_log10(log10_field, log10)
    if count is not None and log is not None:
        raise InputError(
            log10_field.name, log10,
            f"Give {log10_field.label} or {copies_field.label}, not both.",
        )
    if count is not None:
        count = count.to_integral_value()  # '1730.0' as a Decimal -> 1730
        value = None if count.is_zero() else count.log10(_CONTEXT)
        return Measurement("copies", count, count, value,
                           None if value is None else round_to(value, LOG10_STEP),
                           not count.is_zero())
    if log is not None:
        copies_value = _CONTEXT.power(Decimal(10), log)
        return Measurement("log10", copies_value, round_to(copies_value, COPIES_STEP), log,
                           round_to(log, LOG10_STEP), True)
    return None


def _above(value: Measurement, copies_threshold: Decimal, log10_threshold: Decimal) -> bool:
    """Strictly above, compared in the form that was entered, so the comparison is exact."""
    if value.entered_as == "log10":
        assert value.log10 is not None
        return value.log10 > log10_threshold
    return value.copies_per_ml > copies_threshold


def _boundary_warnings(value: Measurement) -> list[str]:
    """Say so when a rounded display value sits on a threshold but the exact value does not."""
    warnings: list[str] = []
    for copies_threshold, log10_threshold, where in (
        (ZHANG_VIREMIA_COPIES, Decimal(3), "Zhang et al. 2021 viremia threshold"),
        (SCHULZ_PCR_COPIES, SCHULZ_PCR_LOG10,
         "Schulz et al. 2016 example of 5.0 log10"),
    ):
        exact_at = (value.copies_per_ml == copies_threshold)
        if exact_at:
            warnings.append(
                f"The result is exactly at the {where} ({copies_threshold} copies/mL = "
                f"{log10_threshold} log10): not above it, since the source says 'higher than'.")
        elif (value.log10_display == log10_threshold
              or value.copies_per_ml_display == copies_threshold):
            side = "above" if _above(value, copies_threshold, log10_threshold) else "below"
            warnings.append(
                f"The rounded value shows the {where}, but the exact value is {side} it; the "
                "flag follows the exact value.")
    return warnings


def viral_load(copies: object = None, log10: object = None, previous_copies: object = None,
               previous_log10: object = None) -> ViralLoad:
    """A CMV viral load in copies/mL and log10, its change from a previous one, and the flags.

    Give the current result as ``copies`` (copies/mL) or ``log10`` (log10 copies/mL), and
    optionally the previous one as ``previous_copies`` or ``previous_log10``. Raises
    :class:`~calculators.errors.InputError` naming the field when a value is missing or invalid.
    """
    current = measurement(copies, log10)
    if current is None:
        raise InputError(COPIES_FIELD.name, copies,
                         "Viral load is required: give copies/mL or log10 copies/mL.")
    previous = measurement(previous_copies, previous_log10, copies_field=PREVIOUS_COPIES_FIELD,
                           log10_field=PREVIOUS_LOG10_FIELD)
    warnings = _boundary_warnings(current)
    if not current.detected:
        warnings.append("0 copies/mL is read as not detected: its log10 is undefined, so no log10 "
                        "value or log10 change is given.")

    log10_change: Decimal | None = None
    fold_change: Decimal | None = None
    rising: bool | None = None
    if previous is not None:
        rising = current.copies_per_ml > previous.copies_per_ml
        if current.log10 is not None and previous.log10 is not None:
            log10_change = _CONTEXT.subtract(current.log10, previous.log10)
        if previous.detected:
            fold_change = _CONTEXT.divide(current.copies_per_ml, previous.copies_per_ml)
        else:
            warnings.append("The previous result is 0 copies/mL (not detected): a fold change "
                            "and a log10 change from it are undefined.")

    above_viremia = _above(current, ZHANG_VIREMIA_COPIES, Decimal(3))
    above_schulz = _above(current, SCHULZ_PCR_COPIES, SCHULZ_PCR_LOG10)
    flags = (
        ThresholdFlag(
            id="zhang-2021-viremia", threshold="> 1,000 copies/mL", above=above_viremia,
            met=above_viremia, quote=ZHANG_VIREMIA_QUOTE, source="zhang-2021",
            note=("CMV viremia as defined in the HSCT study (strictly more than 1,000 copies/mL; "
                  "exactly 1,000 is not). The study's hospital starts anti-CMV therapy above it."),
        ),
        ThresholdFlag(
            id="schulz-2016-iii-pcr", threshold="> 5.0 log10 copies/mL and rising",
            above=above_schulz, met=None if rising is None else above_schulz and rising,
            quote=SCHULZ_III_QUOTE, source="schulz-2016",
            note=("The viral-load part of the thoracic review's criterion (iii) only: above 5.0 "
                  "log10 and higher than the previous result. 'Rising' needs a previous result; "
                  "without one it is not known. The review gives 5.0 log10 as an example "
                  "('eg'), and also asks for symptoms despite antiviral treatment: see the "
                  "criteria calculator."),
        ),
    )
    return ViralLoad(
        copies_per_ml=current.copies_per_ml, log10=current.log10,
        log10_display=current.log10_display, current=current, previous=previous,
        log10_change=log10_change,
        log10_change_display=None if log10_change is None else round_to(log10_change, LOG10_STEP),
        fold_change=fold_change,
        fold_change_display=None if fold_change is None else round_to(fold_change, FOLD_STEP),
        rising=rising, flags=flags, notes=(IU_NOTE, ROUNDING_NOTE), sources=SOURCES,
        warnings=unique(warnings),
    )


CALCULATORS = (
    Calculator("viral-load", "CMV viral load: log10, change and thresholds", viral_load,
               VIRAL_LOAD_FIELDS, example={"copies": "6500", "previous_copies": "500"},
               listing=Listing(
                   "Viral load",
                   "copies/mL to log10, the change between two results, and the sources' "
                   "thresholds",
                   (Cite("zhang-2021"), Cite("schulz-2016"), Cite("fryer-2016"),))),
)
