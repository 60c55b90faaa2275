"""calculators.regimens: a regimen of the catalogue as dated doses for one patient.

Worked numbers live in golden/<source-key>.json (calculator "regimen") (each case quotes its
source line); these tests check what the golden cases cannot: that every schedule's dates strictly
increase, the readings of ambiguous wording, and the warnings. That the catalogue's quotes are the
sources' wording is checked in test_regimen_catalogue.py.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from calculators import settings
from calculators.errors import InputError
from calculators.infusion import rate_plans
from calculators.products import PRODUCTS
from calculators.regimen_catalogue import EVIDENCE_KINDS, REGIMENS, SETTINGS
from calculators.regimens import (
    CONVERSION_MAX_DAYS,
    REGIMEN_FIELD,
    _above_label_max,
    regimen_schedule,
)
from calculators.registry import CALCULATORS, run
from calculators.schedule import FIXED_MG
from calculators.sources import SOURCES
from tests.conftest import golden_cases

ROOT = Path(__file__).resolve().parents[2]
START = "2026-01-01"




def _days(regimen_id: str, **more: object) -> list[int]:
    product = "cytotect-cp" if regimen_id in ("case-intensive-50u", "kneidinger-2014") else None
    result = run("regimen", {"regimen": regimen_id, "weight_kg": "70", "start_date": START,
                             "product": product, **more})
    return [dose["day"] for dose in result["doses"]]


@pytest.mark.parametrize(("regimen_id", "days"), [
    # CMV Ig monograph / Schulz 2016 Table 2: days 1, 2, 7, then 14.
    ("pneumonitis-label", [1, 2, 7, 14]),
    ("novick-1990", [1, 2, 7, 14]),
    # Schulz 2016 Table 1: "on alternate days for 14 days": every other day within days 1-14.
    ("chou-1996", [1, 3, 5, 7, 9, 11, 13]),
    # Schulz 2016 Table 2: "(6 doses)".
    ("lopez-garcia-gallo-2005", [1, 3, 5, 7, 14, 28]),
    # Schulz 2016 Table 1: "12.5 g/d for 6 d"; "15 g/d for 5 d".
    ("cremer-1988-12.5g", [1, 2, 3, 4, 5, 6]),
    ("cremer-1988-15g", [1, 2, 3, 4, 5]),
    # Schulz 2016 case study: "every second day for a total of four doses".
    ("case-intensive-50u", [1, 3, 5, 7]),
    # Schulz 2016: single dose; Kneidinger: no interval given, one dose.
    ("schulz-single-50ml", [1]),
    ("kneidinger-2014", [1]),
    # Zhang 2021: every two days; no conversion date: the first 14 days.
    ("zhang-2021-hsct", [1, 3, 5, 7, 9, 11, 13]),
])
def test_dose_days(regimen_id: str, days: list[int]) -> None:
    assert _days(regimen_id) == days


def test_lopez_gives_the_tables_six_doses_and_says_how() -> None:
    # Schulz 2016 Table 2: "fortnightly for 1 mo (6 doses)".
    result = run("regimen", {"regimen": "lopez-garcia-gallo-2005", "weight_kg": "70",
                             "start_date": START})
    assert len(result["doses"]) == 6
    # A reading that is a choice is said once, as a note, not as a hazard (issue 15).
    reading = [n for n in result["notes"] if n.startswith("How the wording was read (a choice")]
    assert not any("How the wording was read" in w for w in result["warnings"])
    assert reading and "8 doses" in reading[0] and "6 doses" in reading[0]


def test_chou_says_which_dose_count_it_chose() -> None:
    result = run("regimen", {"regimen": "chou-1996", "weight_kg": "70", "start_date": START})
    assert any("7 doses" in n and "day 15" in n for n in result["notes"])


@pytest.mark.parametrize(("conversion", "days"), [
    # Zhang 2021: every two days before conversion, then "once a week for two weeks".
    ("2026-01-02", [1, 9, 16]),
    ("2026-01-03", [1, 10, 17]),
    ("2026-01-04", [1, 3, 11, 18]),
    ("2026-01-15", [1, 3, 5, 7, 9, 11, 13, 22, 29]),
])
def test_zhang_with_a_conversion_date(conversion: str, days: list[int]) -> None:
    assert _days("zhang-2021-hsct", conversion_date=conversion) == days


def test_zhang_conversion_date_bounds() -> None:
    last = (date(2026, 1, 1) + timedelta(days=CONVERSION_MAX_DAYS)).isoformat()
    assert _days("zhang-2021-hsct", conversion_date=last)[-1] == CONVERSION_MAX_DAYS + 15
    with pytest.raises(InputError) as caught:
        _days("zhang-2021-hsct",
              conversion_date=(date(2026, 1, 2) + timedelta(days=CONVERSION_MAX_DAYS)).isoformat())
    assert caught.value.field == "conversion_date"
    assert "check the year" in caught.value.message


def test_zhang_without_conversion_date_warns_and_offers_the_weekly_doses() -> None:
    result = run("regimen", {"regimen": "zhang-2021-hsct", "weight_kg": "70", "start_date": START})
    assert result["course_complete"] is False
    assert any("No CMV-DNA conversion date" in w for w in result["warnings"])
    assert any("vial contents must come from the local product" in w for w in result["warnings"])
    assert "hsct-product-filings" in result["sources"]
    assert [option["id"] for option in result["options"]] == ["weekly-after-conversion"]
    assert any("integral number of vials" in note for note in result["notes"])


def test_conversion_date_is_ignored_by_other_regimens() -> None:
    # Unused inputs are accepted: a conversion date before the start means nothing to Novick.
    assert _days("novick-1990", conversion_date="2025-01-01") == [1, 2, 7, 14]


def test_units_regimen_refuses_cytogam_and_says_why() -> None:
    with pytest.raises(InputError) as caught:
        regimen_schedule("case-intensive-50u", "70", START, product="cytogam")
    assert caught.value.field == "product"
    assert "units" in caught.value.message and "CytoGam" in caught.value.message


def test_case_study_warns_that_the_cytotect_strength_was_not_stated() -> None:
    # Schulz 2016 case study names "Cytotect"; Cytotect CP is 100 U/mL, the older product 50 U/mL.
    result = regimen_schedule("case-intensive-50u", "70", START, product="cytotect-cp").to_dict()
    assert any("older Cytotect (50 U/mL)" in w for w in result["warnings"])
    assert result["doses"][0]["mg_per_kg"] == 25  # 50 U/kg / 100 U/mL x 50 mg/mL


def _custom(mg_per_ml: int, units_per_ml: int | None) -> settings.Settings:
    return settings.parse({"custom_product": {"name": "Local CMVIG", "mg_per_ml": mg_per_ml,
                                              "units_per_ml": units_per_ml, "vial_ml": [20]}})


def test_custom_product_with_another_unit_strength() -> None:
    # Kneidinger: "100 IU (50 mg)/kg" holds at 2 U per mg; a 100 mg/mL, 100 U/mL product has
    # 1 mg per unit: the dose follows the units (100 U/kg = 1 mL/kg = 100 mg/kg) and says so.
    local = _custom(100, 100)
    result = regimen_schedule("kneidinger-2014", "70", START, product="custom",
                              settings=local).to_dict()
    assert result["doses"][0]["mg_per_kg"] == 100
    assert result["doses"][0]["dose_units"] == 7000
    assert any("follows the units" in w for w in result["warnings"])
    assert "institution-config" in result["sources"]


def test_custom_product_without_units_is_refused_for_units_regimens() -> None:
    local = _custom(50, None)
    with pytest.raises(InputError) as caught:
        regimen_schedule("kneidinger-2014", "70", START, product="custom", settings=local)
    assert caught.value.field == "product"
    result = regimen_schedule("chou-1996", "70", START, product="custom",
                              settings=local).to_dict()
    assert result["doses"][0]["dose_units"] is None


def test_single_dose_follows_the_mg_when_the_ml_would_differ() -> None:
    # Schulz 2016: "50 mL [2500 mg]" is 50 mg/mL; at 100 mg/mL 2,500 mg is 25 mL.
    result = regimen_schedule("schulz-single-50ml", "70", START, product="custom",
                              settings=_custom(100, None)).to_dict()
    assert result["doses"][0]["dose_mg"] == 2500
    assert result["doses"][0]["volume_ml"] == 25
    assert any("follows the mg" in w for w in result["warnings"])


def test_own_product_gives_no_product_warning() -> None:
    # Kneidinger 2014 names Cytotect's strength ("100 IU (50 mg)/kg"): no product warning.
    result = regimen_schedule("kneidinger-2014", "70", START, product="cytotect-cp").to_dict()
    assert not any("The source used" in w for w in result["warnings"])
    # Chou 1996 used "Cytotect" without a strength: even for Cytotect CP the antibody content may
    # differ (issue 13: before, no warning).
    result = regimen_schedule("chou-1996", "70", START, product="cytotect-cp").to_dict()
    assert [w for w in result["warnings"] if "The source used" in w] == [
        "The source used Cytotect without naming its strength (Cytotect CP is 100 U/mL; the older "
        "Cytotect was 50 U/mL); the doses here are for Cytotect CP. CMV antibody content per mg "
        "may differ between products."]
    result = regimen_schedule("chou-1996", "70", START).to_dict()
    assert any("The source used Cytotect; the doses here are the same mg/kg of CytoGam" in w
               for w in result["warnings"])


def test_label_maximum_warning_lists_doses_by_mg_per_kg() -> None:
    # CytoGam label: at most 150 mg/kg per infusion; the monograph's 400 and 200 mg/kg exceed it.
    result = regimen_schedule("pneumonitis-label", "70", START).to_dict()
    flagged = (" Never rounded to whole vials: the dose to give is the source's dose, flagged.")
    assert ("Above the CytoGam label maximum of 150 mg/kg per infusion (mg/kg of actual weight): "
            "doses 1, 2, 3: 400 mg/kg; dose 4: 200 mg/kg." + flagged) in result["warnings"]
    day_21, twice_weekly = result["options"]
    assert day_21["warnings"] == [
        "Above the CytoGam label maximum of 150 mg/kg per infusion (mg/kg of actual weight): "
        "each dose: 200 mg/kg." + flagged]
    assert twice_weekly["warnings"] == []  # 150 mg/kg is the maximum, not above it
    assert "cytogam-label" in result["sources"]


def test_no_label_maximum_warning_at_or_below_it() -> None:
    # Zhang 2021: 100 mg/kg; Schulz single dose at 70 kg: 35.7 mg/kg.
    for regimen_id in ("zhang-2021-hsct", "schulz-single-50ml"):
        result = regimen_schedule(regimen_id, "70", START, product="cytotect-cp").to_dict()
        assert not any("label maximum" in w for w in result["warnings"])
        assert "cytogam-label" not in result["sources"]


def test_rounding_up_never_takes_a_dose_over_the_maximum() -> None:
    # Issue 13 (before: 16 kg, 1,600 mg -> 2,500 mg = 156.3 mg/kg, with only a warning).
    # Zhang 2021 100 mg/kg at 16 kg = 1,600 mg; one 2,500 mg CytoGam vial would be 156.3 mg/kg,
    # above the label's 150 mg/kg: the dose to give stays 1,600 mg, the vial is opened.
    result = regimen_schedule("zhang-2021-hsct", "16", START, rounding="up",
                              rounding_tolerance_pct="10").to_dict()
    first = result["doses"][0]
    assert first["mg_per_kg_given"] == 100 and first["vials"]["rounded_mg"] == 1600
    assert first["vials"]["opened_mg"] == 2500 and first["vials"]["discard_mg"] == 900
    assert not any("Above the CytoGam label maximum" in w for w in result["warnings"])
    assert any(w.startswith("Doses 1, 2, 3") and
               "Not rounded: the whole-vial dose (2,500 mg) would be above" in w
               for w in result["warnings"])


def test_vial_warnings_name_the_dose() -> None:
    # 70 kg x 100 mg/kg = 7,000 mg = 140 mL of CytoGam: the nearest whole vials (150 mL) are 7.1 %
    # away, outside a 5 % tolerance: not rounded, and each dose says so.
    result = regimen_schedule("zhang-2021-hsct", "70", START, rounding="nearest",
                              rounding_tolerance_pct="5").to_dict()
    assert result["rounding_tolerance_pct"] == 5
    # One sentence naming every dose it is about, not the same sentence once per dose (issue 15).
    not_rounded = [w for w in result["warnings"] if "Not rounded" in w]
    assert len(not_rounded) == 1
    assert not_rounded[0].startswith("Doses 1, 2, 3, ")
    assert result["options"][0]["warnings"][0].startswith("Not rounded")


def test_weight_basis_from_settings_and_given() -> None:
    # Devine IBW for a 170 cm man: 50 + 2.3 x (170 / 2.54 - 60) = 65.9 kg (NBA guidance).
    ideal = settings.parse({"weight_basis": "ideal"})
    result = regimen_schedule("zhang-2021-hsct", "90", START, height_cm="170", sex="male",
                              settings=ideal).to_dict()
    assert result["dosing_weight"]["basis"] == "ideal"
    assert result["weight_kg"] == 65.9
    assert result["doses"][0]["dose_mg"] == 6590
    assert "nba-ig-dosing" in result["sources"]
    actual = regimen_schedule("zhang-2021-hsct", "90", START, weight_basis="actual",
                              settings=ideal).to_dict()
    assert actual["doses"][0]["dose_mg"] == 9000


@pytest.mark.parametrize(("params", "field"), [
    ({"weight_basis": "ideal"}, "height_cm"),
    ({"weight_basis": "ideal", "height_cm": "170"}, "sex"),
    ({"height_cm": "tall"}, "height_cm"),
    ({"sex": "x"}, "sex"),
    ({"rounding": "down"}, "rounding"),
    ({"rounding_tolerance_pct": "30"}, "rounding_tolerance_pct"),
    ({"product": "ivig"}, "product"),
    ({"weight_kg": "301"}, "weight_kg"),
    ({"weight_kg": "70 st"}, "weight_kg"),
    ({"regimen": ""}, "regimen"),
])
def test_bad_input_names_the_field(params: dict[str, str], field: str) -> None:
    raw = {"regimen": "novick-1990", "weight_kg": "70", "start_date": START, **params}
    with pytest.raises(InputError) as caught:
        run("regimen", raw)
    assert caught.value.field == field


def test_registry_takes_text_as_the_command_line_sends_it() -> None:
    # Novick (Schulz 2016 Table 2) 400 mg/kg: 70.5 kg -> 28,200 mg; 154 lb = 69.85322498 kg
    # (exact pound) -> 27,941.289992 mg.
    assert CALCULATORS["regimen"].function is regimen_schedule
    comma = run("regimen", {"regimen": "novick-1990", "weight_kg": "70,5", "start_date": START,
                            "rounding": "", "rounding_tolerance_pct": "", "conversion_date": "",
                            "height_cm": "", "sex": "", "weight_basis": "", "product": ""})
    assert comma["doses"][0]["dose_mg"] == 28200
    pounds = run("regimen", {"regimen": "NOVICK-1990", "weight_kg": "154 lb",
                             "start_date": " 2026-01-01 "})
    assert pounds["dosing_weight"]["actual_kg"] == 69.85322498
    assert pounds["doses"][0]["dose_mg"] == 27941.289992


def test_typed_values_are_accepted() -> None:
    result = regimen_schedule("chou-1996", Decimal("70"), date(2026, 1, 1), product="cytotect-cp",
                              rounding_tolerance_pct=10)
    assert result.doses[0].dose_mg == Decimal(14000)
    assert result.doses[-1].date == date(2026, 1, 13)


def test_fixed_doses_have_no_mg_per_kg() -> None:
    for regimen in REGIMENS.values():
        result = regimen_schedule(regimen.id, "70", START, product="cytotect-cp")
        for dose in result.doses:
            assert (dose.mg_per_kg is None) == (regimen.unit == FIXED_MG)


_IDS = sorted(REGIMENS)


@hypothesis_settings(max_examples=150, deadline=None)
@given(
    regimen_id=st.sampled_from(_IDS),
    weight=st.decimals(min_value=Decimal("0.5"), max_value=Decimal(300), places=1),
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 6, 30)),  # fields: 2000-2099
    conversion_after=st.none() | st.integers(min_value=1, max_value=CONVERSION_MAX_DAYS),
    rounding=st.sampled_from(["none", "up", "nearest"]),
)
def test_schedules_are_well_formed(regimen_id: str, weight: Decimal, start: date,
                                   conversion_after: int | None, rounding: str) -> None:
    conversion = None if conversion_after is None else start + timedelta(days=conversion_after)
    result = regimen_schedule(regimen_id, weight, start, product="cytotect-cp", rounding=rounding,
                              conversion_date=conversion)
    dates = [dose.date for dose in result.doses]
    assert dates and dates[0] == start
    assert all(a < b for a, b in itertools.pairwise(dates))  # strictly increasing
    for number, dose in enumerate(result.doses, start=1):
        assert dose.number == number
        assert dose.date == start + timedelta(days=dose.day - 1)
        assert dose.vials.calculated_mg == dose.dose_mg
        if rounding == "up":
            assert dose.vials.rounded_mg >= dose.dose_mg
    assert result.total_mg == sum((dose.dose_mg for dose in result.doses), Decimal(0))
    assert set(result.sources) <= set(SOURCES)
    label_max = PRODUCTS["cytogam"].label_max_mg_per_kg  # Cytotect CP: none stated; CytoGam's
    assert label_max is not None
    over = any(dose.vials.rounded_mg / weight > label_max for dose in result.doses)
    # (A "Not rounded: ... above the label maximum" warning is about vials, not a dose above it.)
    assert over == any(w.startswith("Above the CytoGam label maximum") for w in result.warnings)


# --- setting and evidence (issue 15) ------------------------------------------------------------

# Each regimen's setting and evidence tag, as the sources give them (the quote on the regimen says
# so in the source's words, checked below against the seed): cmvig-monograph "used off-label in
# treating severe CMV pneumonitis in patients who have had hematopoietic stem cell transplants";
# schulz-2016 Table 1 (heart) and Table 2 (lung and heart-lung), N per report; zhang-2021 "73
# patients who received allo-HSCT".
def setting_and_evidence() -> dict[str, tuple[str, str]]:
    """Each regimen's setting and evidence as its golden cases expect them (the first case of each
    regimen states both, beside the source's line), in the catalogue's order."""
    stated = {}
    for _, case in golden_cases():
        expect = case.get("expect", {})
        if case["calculator"] == "regimen" and "setting" in expect:
            stated.setdefault(case["input"]["regimen"], (expect["setting"], expect["evidence"]))
    return {regimen_id: stated[regimen_id] for regimen_id in REGIMENS if regimen_id in stated}


def test_every_regimen_names_its_setting_and_evidence() -> None:
    assert {r.id: (r.setting, r.evidence.tag) for r in REGIMENS.values()} == setting_and_evidence()
    for regimen in REGIMENS.values():
        assert regimen.setting in SETTINGS and regimen.evidence.kind in EVIDENCE_KINDS
        assert regimen.evidence.quote.source in regimen.sources, regimen.id


def test_dropdown_groups_by_setting_from_the_data() -> None:
    plain = REGIMEN_FIELD.describe()
    groups = {g["label"]: [c["value"] for c in g["choices"]] for g in plain["groups"]}
    assert groups == {
        "Thoracic transplant (heart, lung)": [
            r for r, (setting, _) in setting_and_evidence().items() if setting == "thoracic"],
        "Stem-cell transplant (HSCT)": [
            r for r, (setting, _) in setting_and_evidence().items() if setting == "hsct"],
    }
    labels = {c["value"]: c["label"] for c in plain["choices"]}
    # The monograph's pneumonitis course says it is for stem-cell transplant, in the dropdown too.
    assert labels["pneumonitis-label"] == ("Severe CMV pneumonitis after stem-cell transplant "
                                           "(CMV Ig monograph) — Drug monograph, off-label use")
    assert labels["lopez-garcia-gallo-2005"].endswith(" — Case series of 4 patients")


def test_result_names_setting_and_evidence() -> None:
    result = regimen_schedule("pneumonitis-label", "70", "2026-01-05")
    assert result.title.startswith("Severe CMV pneumonitis after stem-cell transplant")
    assert (result.setting, result.setting_label, result.evidence) == (
        "hsct", "Stem-cell transplant (HSCT)", "Drug monograph, off-label use")
    assert "hematopoietic stem cell transplants" in result.evidence_quote.text
    assert regimen_schedule("zhang-2021-hsct", "70", "2026-01-05").evidence == (
        "Retrospective study of 73 patients")


def test_schedules_carry_the_rate_plans_at_the_actual_weight() -> None:
    # Issue 15, the print sheet's rate plan: the infusion calculator's steps (cytogam-label
    # rates are per kg of body weight), for the actual weight even when dosing by ideal weight.
    result = regimen_schedule("novick-1990", "90", START, weight_basis="ideal", height_cm="170",
                              sex="male")
    assert result.weight_kg != Decimal(90)
    assert result.rate_plans == rate_plans("cytogam", Decimal(90))
    assert [p.infusions for p in result.rate_plans] == ["first", "later"]
    prophylaxis = run("prophylaxis", {"weight_kg": "90", "organ": "kidney",
                                      "transplant_date": START, "product": "cytotect-cp"})
    assert [p["infusions"] for p in prophylaxis["rate_plans"]] == ["every"]
    assert prophylaxis["rate_plans"][0]["steps"][0]["rate_ml_h"] == 7.2  # 0.08 mL/kg/h x 90 kg


# --- mutation testing (issue 13 item 9): whole sentences, values and totals ---------------------

@pytest.mark.parametrize(("params", "field", "value", "message"), [
    ({"regimen": "case-intensive-50u", "product": "cytogam"}, "product", "cytogam",
     "Product: the case-intensive-50u regimen is dosed in CMV antibody units (U/kg), and CytoGam "
     "has no labelled unit strength; choose Cytotect CP (100 U/mL) or a product with units per "
     "mL."),
    ({"regimen": "zhang-2021-hsct", "conversion_date": START}, "conversion_date", START,
     f"CMV-DNA conversion date must be after the start date ({START})."),
    ({"regimen": "zhang-2021-hsct", "conversion_date": "2030-01-01"}, "conversion_date",
     "2030-01-01", f"CMV-DNA conversion date must be within {CONVERSION_MAX_DAYS} days of the "
     f"start date ({START}); check the year."),
])
def test_refusals_carry_the_value_and_the_whole_message(
        params: dict[str, str], field: str, value: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        regimen_schedule(weight_kg="70", start_date=START, **params)
    assert (caught.value.field, caught.value.value, caught.value.message) == (
        field, value, message)


def test_zhang_horizon_warning_option_and_note_in_full() -> None:
    # Zhang 2021: 100 mg/kg every 2 days until CMV-DNA conversion (two consecutive tests), then
    # weekly for two weeks; median time to clearance 14 days (early) and 21 days (late).
    result = regimen_schedule("zhang-2021-hsct", "70", START)
    assert (
        "No CMV-DNA conversion date: only the first 14 days of doses every 2 days are shown (the "
        "study's median time to CMV clearance was 14 days with early CMV-IVIG, 21 days when it "
        "was started late). The doses continue until conversion is confirmed by two consecutive "
        "tests, then weekly for two weeks (see options); the totals cover the doses shown only. "
        "Enter the conversion date for the whole course.") in result.warnings
    assert result.options[0].frequency == (
        "once a week for two weeks (two doses) after CMV-DNA conversion is confirmed by two "
        "consecutive tests")
    assert result.notes[-1] == ("The study used 'an integral number of vials ... whenever "
                                "possible'; here the rounding policy is 'none'.")
    # Unrounded: 7 doses x 140 mL (7,000 mg at the nominal 50 mg/mL, CytoGam label).
    assert result.total_rounded_ml == 980
    assert result.rounding_tolerance_pct is None


def test_tolerance_is_reported_only_for_nearest_and_sources_cite_rounding() -> None:
    # Chou 1996 (no options): 200 mg/kg x 70 kg = 14,000 mg = 280 mL of Cytotect CP (50 mg/mL,
    # 100 U/mL, SmPC). Rounding up cites HOPA; the tolerance applies to "nearest" only.
    up = regimen_schedule("chou-1996", "70", START, product="cytotect-cp", rounding="up")
    assert up.rounding_tolerance_pct is None
    assert "hopa-rounding" in up.sources
    assert up.units_per_ml == 100


def test_label_maximum_for_a_product_without_one_when_only_the_doses_pass_it() -> None:
    # Monograph pneumonitis course with Cytotect CP: the SmPC states no maximum, so CytoGam's
    # 150 mg/kg (label) bounds it. The doses (400, 200 mg/kg) pass it; the twice-weekly option
    # (150 mg/kg, the last option) does not: the CytoGam label is still cited.
    result = regimen_schedule("pneumonitis-label", "70", START, product="cytotect-cp")
    assert ("Above the CytoGam label maximum of 150 mg/kg per infusion (the sources give no "
            "maximum for Cytotect CP) (mg/kg of actual weight): doses 1, 2, 3: 400 mg/kg; dose 4: "
            "200 mg/kg. Never rounded to whole vials: the dose to give is the source's dose, "
            "flagged.") in result.warnings
    assert result.options[-1].warnings == ()
    assert "cytogam-label" in result.sources


def test_two_doses_above_the_maximum_are_named_in_the_plural() -> None:
    # CytoGam label maximum: 150 mg/kg per infusion.
    assert _above_label_max([(1, Decimal(200)), (2, Decimal(200))], PRODUCTS["cytogam"]) == [
        "Above the CytoGam label maximum of 150 mg/kg per infusion (mg/kg of actual weight): "
        "doses 1, 2: 200 mg/kg. Never rounded to whole vials: the dose to give is the source's "
        "dose, flagged."]


def test_product_warnings_in_full() -> None:
    # Kneidinger 2014 "100 IU (50 mg)/kg" = 0.5 mg per unit, as Cytotect CP (100 U/mL, 50 mg/mL):
    # no product warning at all.
    own = regimen_schedule("kneidinger-2014", "70", START, product="cytotect-cp")
    assert [w for w in own.warnings if not w.startswith("Off-label")] == []
    # Cremer 1988 fixed doses of an unnamed CMVIG given as CytoGam.
    fixed = regimen_schedule("cremer-1988", "70", START)
    assert ("The source used CMVIG (type not stated); the doses here are the same mg of CytoGam. "
            "CMV antibody content per mg may differ between products.") in fixed.warnings
    assert not any("mg/mL" in w for w in fixed.warnings)  # no stated strength to compare
    # A local product of 100 mg/mL and 100 U/mL (1 mg per unit).
    units = regimen_schedule("kneidinger-2014", "70", START, product="custom",
                             settings=_custom(100, 100))
    assert units.warnings[1:] == (
        "The source used Cytotect; the doses here are the same U/kg of Local CMVIG. CMV antibody "
        "content per mg may differ between products.",
        "The source's units and mg figures agree at 0.5 mg per unit (Cytotect CP: 100 U/mL, "
        "50 mg/mL); Local CMVIG has 1 mg per unit. The dose here follows the units.")


def test_age_and_pregnancy_reach_the_dosing_weight() -> None:
    # NBA guidance: adjusted body weight is not used in pregnancy; the actual weight is, and the
    # result says so. Without pregnancy, a 40-year-old 170 cm man of 90 kg: Devine IBW 65.94 kg,
    # adjusted = IBW + 0.4 x (90 - IBW) = 75.56, shown as 75.6 kg.
    common = {"weight_basis": "adjusted", "height_cm": "170", "sex": "male", "age": "40"}
    pregnant = regimen_schedule("zhang-2021-hsct", "90", START, pregnant="yes", **common)
    assert (pregnant.dosing_weight.basis, pregnant.weight_kg) == ("actual", 90)
    assert pregnant.warnings[-1] == ("Adjusted body weight is not used in pregnancy (NBA "
                                     "guidance): the actual weight is used.")
    adjusted = regimen_schedule("zhang-2021-hsct", "90", START, **common)
    assert (adjusted.dosing_weight.basis, adjusted.weight_kg) == ("adjusted", Decimal("75.6"))
    assert not any("no age was given" in w for w in adjusted.warnings)
