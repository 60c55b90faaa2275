"""Rounding, in one place. Formulas stay exact; results round here, to stated steps.

- :func:`round_to` -- round half away from zero to a step such as ``"0.1"`` (kg, %, BMI).
- :func:`round_down` -- round down to a step (a latest start time is never shown later).
- :func:`percent_difference` -- (new - old) / old in %, to 0.1 %.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

__all__ = ["round_to", "round_down", "percent_difference", "KG_STEP", "PERCENT_STEP"]

KG_STEP = "0.1"  # weights that the site derives (ideal, adjusted) are given to 0.1 kg
PERCENT_STEP = "0.1"


def round_to(value: Decimal, step: str) -> Decimal:
    """``value`` rounded to a multiple of ``step`` (half away from zero)."""
    quantum = Decimal(step)
    return (value / quantum).quantize(Decimal(1), rounding=ROUND_HALF_UP) * quantum


def round_down(value: Decimal, step: str) -> Decimal:
    """``value`` rounded down to a multiple of ``step``: for a time limit, never later."""
    quantum = Decimal(step)
    return (value / quantum).quantize(Decimal(1), rounding=ROUND_FLOOR) * quantum


def percent_difference(new: Decimal, old: Decimal) -> Decimal:
    """How far ``new`` is from ``old``, in % of ``old``, to 0.1 %."""
    return round_to((new - old) / old * 100, PERCENT_STEP)
