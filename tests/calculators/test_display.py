"""Display precision, stated once (issue 15, item 4): what each quantity is shown to.

The figures are the issue's own: 154 lb (pound-definition: 69.85322498 kg) x 150 mg/kg (CytoGam
label) = 10,477.983747 mg = 209.55967494 mL at 50 mg/mL; the 70 kg first infusion of 10,500 mg
takes 202.8 minutes (golden case first-infusion, CytoGam label).
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators import browser
from calculators.display import PRECISION, as_plain, duration, rounded, shown


def test_doses_whole_mg_volumes_and_weights_to_a_tenth() -> None:
    assert shown(Decimal("10477.983747"), "mg") == "10,478"
    assert shown(Decimal("209.55967494"), "ml") == "209.6"
    assert shown(Decimal("69.85322498"), "kg") == "69.9"
    assert shown(Decimal("246"), "ml") == "246"  # no trailing ".0"
    assert shown(Decimal("12300"), "mg") == "12,300"
    assert shown(Decimal("0.08"), "ml_per_kg_h") == "0.08"


def test_rates_round_down_and_times_round_up() -> None:
    # A pump is never shown a rate faster than the label's; a time never shorter than it takes.
    assert shown(Decimal("83.823869976"), "rate_ml_h") == "83"
    assert shown(Decimal("20.99"), "rate_ml_h") == "20"
    assert rounded(Decimal("202.01"), "minutes") == 203
    assert shown(Decimal("20.25"), "kg") == "20.3"  # half up (half even would give 20.2)


def test_durations_in_hours_and_minutes() -> None:
    assert duration(Decimal("202.8")) == "3 h 23 min"
    assert duration(Decimal("45")) == "45 min"
    assert duration(Decimal("120")) == "2 h"
    assert duration(Decimal("0")) == "0 min"


def test_an_unknown_quantity_is_refused_by_name() -> None:
    with pytest.raises(KeyError, match="quantity: no display precision for 'furlongs'"):
        shown(Decimal(1), "furlongs")


def test_the_page_gets_the_same_table() -> None:
    sent = json.loads(browser.display_precision())
    assert sent == as_plain()
    assert set(sent) == set(PRECISION)
    assert sent["mg"] == {"step": 1, "rounding": "half-up", "why": "doses to whole mg"}
    assert sent["rate_ml_h"]["rounding"] == "down" and sent["minutes"]["rounding"] == "up"
    assert sent["kg"]["step"] == 0.1


@settings(max_examples=300, deadline=None)
@given(value=st.decimals(min_value="0", max_value="100000", places=9))
def test_a_shown_rate_is_never_faster_and_a_shown_time_never_shorter(value: Decimal) -> None:
    # Safety of display: the pump is never shown a rate above the exact one; a step or an
    # infusion is never shown as ending sooner than it does. Every other figure is within half a
    # step of the exact value.
    assert value - 1 < rounded(value, "rate_ml_h") <= value
    assert value <= rounded(value, "minutes") < value + 1
    for quantity, rule in PRECISION.items():
        assert abs(rounded(value, quantity) - value) <= rule.step, quantity


def test_plain_numbers_and_dates_as_every_screen_shows_them() -> None:
    # Strengths, vial sizes and amounts as typed: grouped, at most three decimals, half up.
    from datetime import date

    from calculators.display import date_text, number
    assert (number(Decimal(50)), number(Decimal("45.5")), number(Decimal("0.4"))) == (
        "50", "45.5", "0.4")
    assert number(Decimal("1234.5675")) == "1,234.568"
    assert number(0) == "0"
    # The calendar date with its weekday: 1 Jan 2026 was a Thursday.
    assert date_text(date(2026, 1, 1)) == "Thu 1 Jan 2026"
    assert date_text(date(2026, 2, 1)) == "Sun 1 Feb 2026"
