"""How each kind of quantity is shown: its step and which way it rounds, stated once as data.

The core computes exactly; screens, sheets, copied text and files round only to show. The page
receives :data:`PRECISION` from the core (``calculators.browser.display_precision``) and formats
every figure by its quantity with it; sentences the core writes (warnings, notes, what a result
shows) use :func:`shown`, or :func:`kg_text` and its kin for a figure with its unit ("70 kg"), so a
figure reads the same in a table and in a sentence.

Rates round down, so a pump is never shown a rate faster than the label's; minutes round up, so a
step or an infusion is never shown shorter than it takes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from .plain import to_plain

__all__ = ["Precision", "PRECISION", "rounded", "shown", "kg_text", "mg_text", "ml_text",
           "ml_h_text", "plural", "duration", "number", "date_text", "as_plain"]


@dataclass(frozen=True, slots=True)
class Precision:
    """A quantity's display step (``"0.1"``) and rounding (``half-up``, ``down`` or ``up``)."""

    step: Decimal
    rounding: str = "half-up"
    why: str = ""


_MODES = {"half-up": ROUND_HALF_UP, "down": ROUND_FLOOR, "up": ROUND_CEILING}

PRECISION: dict[str, Precision] = {
    "kg": Precision(Decimal("0.1"), why="weights to 0.1 kg"),
    "cm": Precision(Decimal("0.1"), why="heights to 0.1 cm"),
    "mg": Precision(Decimal(1), why="doses to whole mg"),
    "ml": Precision(Decimal("0.1"), why="volumes to 0.1 mL"),
    "units": Precision(Decimal(1), why="CMV antibody units to whole U"),
    "mg_per_kg": Precision(Decimal("0.1"), why="doses per kg to 0.1 mg/kg"),
    "mg_per_kg_h": Precision(Decimal("0.1"), why="label rates per kg to 0.1 mg/kg/h"),
    "ml_per_kg_h": Precision(Decimal("0.01"), why="label rates per kg to 0.01 mL/kg/h"),
    "rate_ml_h": Precision(Decimal(1), "down",
                           "pump rates to whole mL/h, rounded down: never faster than the label"),
    "minutes": Precision(Decimal(1), "up",
                         "times to whole minutes, rounded up: never shorter than it takes"),
    "percent": Precision(Decimal("0.1"), why="percentages to 0.1 %"),
    "bmi": Precision(Decimal("0.1"), why="BMI to 0.1 kg/m²"),
    # As the core rounds it to choose the label table's row (renal.CRCL_STEP): the row and the
    # clearance shown always agree.
    "ml_min": Precision(Decimal("0.1"), why="creatinine clearance to 0.1 mL/min"),
    "copies": Precision(Decimal(1), why="viral loads to whole copies/mL"),
    "log10": Precision(Decimal("0.01"), why="log10 values to 0.01"),
    "fold": Precision(Decimal("0.1"), why="fold changes to 0.1"),
}


def rounded(value: Decimal, quantity: str) -> Decimal:
    """``value`` rounded as ``quantity`` is shown (a key of :data:`PRECISION`)."""
    if quantity not in PRECISION:
        raise KeyError(f"quantity: no display precision for '{quantity}'")
    rule = PRECISION[quantity]
    return (value / rule.step).quantize(Decimal(1), rounding=_MODES[rule.rounding]) * rule.step


def shown(value: Decimal, quantity: str) -> str:
    """``value`` as every screen shows ``quantity``: rounded, grouped ("10,478"), no trailing
    zeros after the point ("246" mL, "139.7" mL)."""
    return _grouped(rounded(value, quantity))


def kg_text(value: Decimal) -> str:
    """A weight with its unit: "70 kg"."""
    return f"{shown(value, 'kg')} kg"


def mg_text(value: Decimal) -> str:
    """A dose with its unit: "10,500 mg"."""
    return f"{shown(value, 'mg')} mg"


def ml_text(value: Decimal) -> str:
    """A volume with its unit: "210 mL"."""
    return f"{shown(value, 'ml')} mL"


def ml_h_text(value: Decimal) -> str:
    """A pump rate with its unit, rounded down: "21 mL/h"."""
    return f"{shown(value, 'rate_ml_h')} mL/h"


def plural(count: int, word: str) -> str:
    """``count`` and ``word``, with an "s" unless there is one: "1 vial", "5 vials"."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def duration(minutes: Decimal) -> str:
    """Minutes as hours and minutes ("3 h 23 min", "45 min", "2 h"), rounded up."""
    whole = int(rounded(minutes, "minutes"))
    hours, rest = divmod(whole, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def _grouped(value: Decimal) -> str:
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def number(value: Decimal | int) -> str:
    """A plain figure that is no measured quantity (a strength, a vial size, an amount as
    typed): grouped, at most three decimals, rounded half up ("1,234.568")."""
    return _grouped(Decimal(value).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_text(day: date) -> str:
    """A date with its weekday, as every screen, sheet and file shows it: "Mon 5 Jan 2026"."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def as_plain() -> dict[str, dict[str, object]]:
    """:data:`PRECISION` as JSON-ready data, for the page."""
    plain: dict[str, dict[str, object]] = to_plain(PRECISION)
    return plain
