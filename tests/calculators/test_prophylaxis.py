"""calculators.prophylaxis beyond the golden cases (golden/<source>.json, calculator "prophylaxis").

Label numbers are cited where used: CytoGam label / CMV Ig monograph for the CytoGam schedules,
Cytotect CP SmPC for the Cytotect CP schedule.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from calculators import InputError, prophylaxis_schedule, settings
from calculators.products import PRODUCTS
from calculators.prophylaxis import SCHEDULES
from calculators.sources import SOURCES


def test_cytogam_schedules_have_seven_doses_at_label_weeks() -> None:
    # CytoGam label: within 72 h of transplant, then weeks 2, 4, 6, 8, 12 and 16.
    for schedule in SCHEDULES:
        if schedule.product == "cytogam":
            assert [step.day // 7 for step in schedule.doses] == [0, 2, 4, 6, 8, 12, 16]
            assert (max(step.amount for step in schedule.doses)
                    <= PRODUCTS["cytogam"].label_max_mg_per_kg)


def test_every_organ_has_one_schedule_per_labelled_product() -> None:
    for organ in ("kidney", "liver", "lung", "pancreas", "heart"):
        for product in ("cytogam", "cytotect-cp"):
            matches = [s for s in SCHEDULES if s.product == product and organ in s.organs]
            assert len(matches) == 1, (organ, product)


def test_typed_arguments_are_accepted_and_exact() -> None:
    # 70.1 kg x 150 mg/kg = 10,515 mg exactly, 210.3 mL at 50 mg/mL (CytoGam label).
    schedule = prophylaxis_schedule(70.1, "Kidney", date(2026, 1, 1))
    first = schedule.doses[0]
    assert first.dose_mg == Decimal("10515.0")
    assert first.volume_ml == Decimal("210.3")
    assert schedule.organ == "kidney"
    assert schedule.weight.basis == "actual"


def test_every_rule_cites_a_registered_source() -> None:
    schedule = prophylaxis_schedule(70, "kidney", "2026-01-01", rounding="up")
    assert schedule.sources[0] == "cytogam-label"
    assert "hopa-rounding" in schedule.sources
    assert all(key in SOURCES for key in schedule.sources)


def test_cytotect_cp_schedule_notes_the_interval_and_the_older_product() -> None:
    schedule = prophylaxis_schedule("70", "heart", "2026-01-01", product="cytotect-cp",
                                    interval_days="18")
    assert [d.day for d in schedule.doses] == [0, 18, 36, 54, 72, 90]
    assert [d.week for d in schedule.doses] == [0, None, None, None, None, None]
    # Cytotect CP SmPC: 14 to 21 days apart, at least six doses (the whole note, as shown).
    assert ("Doses 18 days apart; the SmPC allows 14 to 21 days and at least six doses."
            in schedule.notes)
    assert any("50 U/mL" in note for note in schedule.notes)
    assert not any("72 hours" in note for note in schedule.notes)


def test_to_dict_is_json_ready() -> None:
    import json

    plain = prophylaxis_schedule("70", "kidney", "2026-01-01").to_dict()
    assert json.loads(json.dumps(plain)) == plain
    assert plain["doses"][0]["date"] == "2026-01-01"


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"weight_kg": True}, "weight_kg"),
        ({"organ": "spleen"}, "organ"),
        ({"transplant_date": None}, "transplant_date"),
        ({"product": "cytotect"}, "product"),  # the older 50 U/mL product is not Cytotect CP
        ({"product": "custom"}, "product"),
        ({"rounding": "sometimes"}, "rounding"),
        ({"rounding_tolerance_pct": "30"}, "rounding_tolerance_pct"),
        ({"weight_basis": "ideal"}, "height_cm"),
        # Not needed for actual weight, but a typo is still refused, never silently ignored.
        ({"height_cm": "abc"}, "height_cm"),
        ({"sex": "zzz"}, "sex"),
    ],
)
def test_bad_arguments_name_the_field(arguments: dict[str, object], field: str) -> None:
    call = {"weight_kg": "70", "organ": "kidney", "transplant_date": "2026-01-01", **arguments}
    with pytest.raises(InputError) as caught:
        prophylaxis_schedule(**call)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_every_reported_field_of_a_kidney_schedule() -> None:
    # CytoGam label, kidney, 70 kg (mutation testing: each field of the result is checked).
    result = prophylaxis_schedule("70", "kidney", "2026-01-01")
    assert [d.number for d in result.doses] == [1, 2, 3, 4, 5, 6, 7]
    assert [d.week for d in result.doses] == [0, 2, 4, 6, 8, 12, 16]
    assert (result.product, result.product_name, result.mg_per_ml) == ("cytogam", "CytoGam", 50)
    assert result.rule.startswith("Kidney: 150 mg/kg within 72 hours")
    assert (result.total_mg, result.total_ml) == (45500, 910)
    assert result.sources == ("cytogam-label", "cmvig-monograph")
    assert result.notes == (
        "The first dose is dated on the transplant day; the label allows it within 72 hours.",
        "The label gives 50 +/- 10 mg/mL; calculations use the nominal 50 mg/mL.")
    # The monograph's renal advice only when renal impairment is ticked (issue 15).
    renal = prophylaxis_schedule("70", "kidney", "2026-01-01", renal_impairment="yes")
    assert renal.notes[-1] == ("Renal impairment: no labelled dose change, but infuse as slowly "
                               "as practical (CMV Ig monograph).")
    cytotect = prophylaxis_schedule("70", "kidney", "2026-01-01", product="cytotect-cp")
    assert cytotect.notes[0] == "The first dose is dated on the transplant day."
    assert [d.mg_per_kg for d in cytotect.doses] == [50] * 6


def test_custom_product_refusal_carries_the_product_and_says_what_to_choose() -> None:
    # Mutation testing: prophylaxis schedules are label data (CytoGam label, Cytotect CP SmPC);
    # the institution's own product has none, and the refusal says so in full.
    local = settings.parse({"custom_product": {"name": "Local CMVIG", "mg_per_ml": 50,
                                               "vial_ml": [50]}})
    with pytest.raises(InputError) as caught:
        prophylaxis_schedule("70", "kidney", "2026-01-01", "custom", settings=local)
    assert (caught.value.field, caught.value.value) == ("product", "custom")
    assert caught.value.message == (
        "Product: prophylaxis schedules come from a product's label, and this site's custom "
        "product has none; choose CytoGam or Cytotect CP.")


def test_ideal_weight_basis_cites_the_weight_guidance_and_doses_by_it() -> None:
    # Devine IBW for a 170 cm man: 50 + 2.3 x (170 / 2.54 - 60) = 65.9 kg (NBA guidance);
    # kidney week 0 is 150 mg/kg (CytoGam label): 150 x 65.9 = 9,885 mg.
    result = prophylaxis_schedule("90", "kidney", "2026-01-01", weight_basis="ideal",
                                  height_cm="170", sex="male")
    assert result.sources == ("cytogam-label", "cmvig-monograph", "nba-ig-dosing")
    assert result.doses[0].dose_mg == 9885
    actual = prophylaxis_schedule("90", "kidney", "2026-01-01", weight_basis="actual")
    assert "nba-ig-dosing" not in actual.sources
