"""Plausibility (issue 13, item 3): every number and date has a hard range, refused with a message
naming the field and the range, and an expected range, accepted with a warning saying why.

Where the sources give no range, the range is ours and the message says so (fields.py); where a
label gives the range (Cytotect CP SmPC: 14 to 21 days; HOPA: at most 10 %), the field cites it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from calculators.errors import InputError
from calculators.fields import DateExpectation, DateField, Expectation, NumberField
from calculators.registry import CALCULATORS, run
from calculators.sources import SOURCES

FIELDS = {id(f): f for c in CALCULATORS.values() for f in c.fields
          if isinstance(f, (NumberField, DateField))}


@pytest.mark.parametrize("field", FIELDS.values(), ids=lambda f: f.name)
def test_every_number_and_date_states_its_ranges(field: NumberField | DateField) -> None:
    assert field.range_reason, f"{field.name}: no reason for its hard range"
    if isinstance(field, NumberField):
        assert field.maximum is not None
        assert field.range_source == "" or field.range_source in SOURCES
        # A range that comes whole from a source needs no softer one; the rest have one, or a
        # calculator-level check (units: volume; atg: the study's groups).
        if field.expected is None:
            assert field.range_source, field.name
        else:
            assert field.expected.source == "" or field.expected.source in SOURCES
    else:
        assert field.expected is not None and field.earliest.year == 2000


def test_expectation_warnings_say_why_and_whether_a_source_gives_the_range() -> None:
    both = Expectation(Decimal(40), Decimal(150), "check it")
    assert both.warning("Weight (kg)", Decimal(40), "kg") is None
    assert both.warning("Weight (kg)", Decimal(150), "kg") is None
    assert both.warning("Weight (kg)", Decimal(151), "kg") == (
        "Weight (kg): 151 kg is outside the expected 40 to 150 kg: check it (the sources give no "
        "range: this range is a plausibility check)")
    assert both.warning("Weight (kg)", Decimal("39.9"), "kg") is not None
    low = Expectation(Decimal(50), None, "too small", "cytogam-label")
    assert low.warning("Dose (mg)", Decimal(1), "mg") == (
        "Dose (mg): 1 mg is outside the expected at least 50 mg: too small [cytogam-label]")
    assert low.warning("Dose (mg)", Decimal(10**9), "mg") is None
    high = Expectation(None, Decimal(8), "too high")
    assert high.warning("log10", Decimal(9), "") == (
        "log10: 9 is outside the expected at most 8: too high (the sources give no range: this "
        "range is a plausibility check)")
    assert high.describe() == {"low": None, "high": "8", "reason": "too high", "source": ""}


def test_date_expectation_counts_days_from_today() -> None:
    near = DateExpectation(within_days=365)
    today = date(2026, 11, 28)
    assert near.warning("Start date", date(2027, 11, 28), today) is None
    assert near.warning("Start date", date(2025, 11, 28), today) is None
    assert near.warning("Start date", date(2027, 11, 29), today) == (
        "Start date: 2027-11-29 is 366 days after today (2026-11-28), more than 365 days away: "
        "check the year: a course is planned from a recent or a coming date (the sources give no "
        "range: this is a plausibility check)")
    assert "366 days before today" in str(near.warning("Start date", date(2025, 11, 27), today))


def test_hard_ranges_name_the_field_the_range_and_why() -> None:
    with pytest.raises(InputError) as caught:
        run("infusion", {"weight_kg": "0.4"})
    assert caught.value.field == "weight_kg"
    assert caught.value.message.startswith("Weight (kg) must be at least 0.5 kg (got '0.4').")
    assert "Range: below 0.5 kg or above 300 kg" in caught.value.message
    with pytest.raises(InputError) as caught:
        run("prophylaxis", {"weight_kg": "70", "organ": "kidney",
                            "transplant_date": "1999-12-31"})
    assert caught.value.message == (
        "Transplant date must be between 2000-01-01 and 2099-12-31 (got 1999-12-31). Range: a "
        "date outside 2000 to 2099 is a slip in the year: these schedules are for a course given "
        "now.")
    with pytest.raises(InputError) as caught:
        run("prophylaxis", {"weight_kg": "70", "organ": "heart", "transplant_date": "2026-01-01",
                            "product": "cytotect-cp", "interval_days": "28"})
    assert caught.value.message.endswith(
        "Range: the SmPC gives 2 to 3 weeks between doses. [cytotect-cp-smpc]")


def test_registry_lists_inputs_outside_their_expected_range() -> None:
    today = date(2026, 11, 28)
    params = {"weight_kg": "12", "organ": "liver", "transplant_date": "2028-03-01",
              "height_cm": "", "age": "7"}
    result = run("prophylaxis", params, today=today)
    assert [w.split(":")[0] for w in result["input_warnings"]] == ["Weight (kg)",
                                                                   "Transplant date"]
    assert any(w.startswith("Under 18 years") for w in result["warnings"])
    usual = run("prophylaxis", {"weight_kg": "70", "organ": "liver",
                                "transplant_date": "2026-11-01", "pregnant": "no"}, today=today)
    assert usual["input_warnings"] == []
    # Flags and choices have no range; the date is measured from the computer's date by default.
    assert run("criteria", {"severe_manifestation": "yes"})["input_warnings"] == []


def test_bmi_outside_what_one_person_can_have_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        run("body-weight", {"weight_kg": "250", "height_cm": "60", "sex": "male"})
    assert caught.value.field == "weight_kg" and "BMI of 694.4 kg/m²" in caught.value.message
    thin = run("body-weight", {"weight_kg": "40", "height_cm": "180", "sex": "female"})
    assert thin["bmi"] == 12.3
    assert any(w.startswith("BMI: 12.3 kg/m² is outside the expected 15 to 50 kg/m²")
               for w in thin["warnings"])


def test_units_flags_a_volume_above_the_expected() -> None:
    result = run("units", {"amount": "460", "unit": "ml"})
    assert any(w.startswith("Amount: 460 mL is more than 450 mL") for w in result["warnings"])
    assert not run("units", {"amount": "450", "unit": "ml"})["warnings"]
