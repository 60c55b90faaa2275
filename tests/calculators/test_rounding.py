"""calculators.rounding: half away from zero, to a stated step."""

from __future__ import annotations

from decimal import Decimal

import pytest

from calculators.rounding import KG_STEP, PERCENT_STEP, percent_difference, round_to


@pytest.mark.parametrize(
    ("value", "step", "rounded"),
    [
        ("74.99212598425196850393700787", "0.1", "75.0"),
        ("0.05", "0.1", "0.1"),  # half away from zero
        ("-0.05", "0.1", "-0.1"),
        ("0.04999", "0.1", "0.0"),
        ("2.5", "1", "3"),
        ("-2.5", "1", "-3"),
        ("12.5", "5", "15"),
        ("12.4", "5", "10"),
        ("82.56", "0.1", "82.6"),
    ],
)
def test_round_to(value: str, step: str, rounded: str) -> None:
    result = round_to(Decimal(value), step)
    assert result == Decimal(rounded) and str(result) == rounded


def test_steps() -> None:
    assert KG_STEP == PERCENT_STEP == "0.1"


@pytest.mark.parametrize(
    ("new", "old", "pct"),
    [
        ("5000", "3000", "66.7"),  # 2000 / 3000 = 66.67 %
        ("2500", "2750", "-9.1"),  # -250 / 2750 = -9.09 %
        ("500", "454.5", "10.0"),  # 10.011 % shows as 10.0 %
        ("450", "500", "-10.0"),
        ("100", "100", "0.0"),
        ("1000.5", "1000", "0.1"),  # exactly 0.05 % rounds away from zero
        ("999.5", "1000", "-0.1"),
    ],
)
def test_percent_difference(new: str, old: str, pct: str) -> None:
    result = percent_difference(Decimal(new), Decimal(old))
    assert result == Decimal(pct) and str(result) == pct
