"""calculators.infusion against the CytoGam label and the Cytotect CP SmPC infusion rates.

Worked cases live in golden/cytogam-label.json and golden/cytotect-cp-smpc.json
(run by test_golden.py and the Pyodide run); these tests cover defaults, warnings, edges and errors.
Rates (clinical-facts.md): CytoGam first infusion 15 -> 30 -> 60 mg/kg/h at 30-minute steps, later
infusions 15 -> 30 mg/kg/h for 15 minutes each then up to 60 mg/kg/h, never above 75 mL/h, at the
nominal 50 mg/mL; Cytotect CP 0.08 mL/kg/h for 10 minutes, then at most 0.8 mL/kg/h.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from calculators import infusion as infusion_module
from calculators import settings
from calculators.errors import InputError
from calculators.infusion import (
    CALCULATORS,
    DOSE_FIELD,
    FIRST_INFUSION_FIELD,
    RENAL_NOTE,
    SCHEDULES,
    infusion_plan,
    rate_plans,
    window_warnings,
)
from calculators.registry import CALCULATORS as REGISTRY
from calculators.registry import run
from calculators.sources import SOURCES
from tests.conftest import ROOT


def test_registered_with_its_fields() -> None:
    assert REGISTRY["infusion"] is CALCULATORS[0]
    assert [f.name for f in CALCULATORS[0].fields] == [
        "weight_kg", "product", "first_infusion", "dose_mg", "renal_impairment"]
    assert DOSE_FIELD.required is False


def test_schedules_cite_known_sources() -> None:
    assert {s.source for s in SCHEDULES} <= set(SOURCES)
    # Every schedule ends with one open-ended step; all steps before it are timed.
    for schedule in SCHEDULES:
        assert schedule.steps[-1].duration_min is None
        assert all(step.duration_min is not None for step in schedule.steps[:-1])


@pytest.mark.parametrize("answer", [None, "", "  "])
def test_first_infusion_defaults_to_the_slower_schedule(answer: object) -> None:
    # CytoGam label: first infusion steps last 30 minutes (later infusions: 15).
    plan = infusion_plan("70", "cytogam", answer)
    assert plan.first_infusion is True
    assert plan.first_infusion_assumed is True
    assert [s.duration_min for s in plan.steps] == [30, 30, None]
    assert any("not answered" in w for w in plan.warnings)


@pytest.mark.parametrize(("answer", "first"), [("yes", True), ("no", False), (True, True),
                                               (False, False), ("0", False)])
def test_first_infusion_answered(answer: object, first: bool) -> None:
    plan = infusion_plan("70", "cytogam", answer)
    assert plan.first_infusion is first
    assert plan.first_infusion_assumed is False
    assert not any("not answered" in w for w in plan.warnings)
    # CytoGam label: later infusions 15 min at 15, 15 min at 30, then up to 60 mg/kg/h.
    expected = [30, 30, None] if first else [15, 15, None]
    assert [s.duration_min for s in plan.steps] == expected
    assert plan.steps[-1].rate_is_limit is (not first)


def test_product_defaults_to_cytogam() -> None:
    # PRODUCT_FIELD's default.
    assert infusion_plan("70").product == "cytogam"


def test_cap_binds_only_above_62_5_kg() -> None:
    # Clinical facts: at 50 mg/mL the 75 mL/h cap binds above 62.5 kg (60 x 62.5 / 50 = 75).
    at_edge = infusion_plan("62.5", "cytogam", "yes").steps[-1]
    assert (at_edge.uncapped_rate_ml_h, at_edge.rate_ml_h, at_edge.capped) == (75, 75, False)
    above = infusion_plan("62.6", "cytogam", "yes").steps[-1]
    assert above.uncapped_rate_ml_h == Decimal("75.12")
    assert (above.rate_ml_h, above.rate_mg_h, above.capped) == (75, 3750, True)


def test_cap_note_names_the_first_capped_step() -> None:
    # 100 kg: 30 mg/kg/h = 60 mL/h (not capped); 60 mg/kg/h = 120 mL/h -> 75 mL/h. The cap is
    # what the plan is, not a hazard: a note, in mL/h as the pump is set (issue 15).
    plan = infusion_plan("100", "cytogam", "no")
    assert ("The 75 mL/h cap applies from step 3: 60 mg/kg/h would be 120 mL/h at 100 kg; "
            "run at 75 mL/h.") in plan.notes
    assert not any("cap applies" in w for w in plan.warnings)
    no_cap = infusion_plan("50", "cytogam", "no")
    assert not any("cap applies" in n for n in no_cap.notes)
    # 154 lb: the figures as the page shows them, not 83.823869976 mL/h at 69.85322498 kg.
    pounds = infusion_plan("154 lb", "cytogam", "no")
    assert ("60 mg/kg/h would be 83 mL/h at 69.9 kg; run at 75 mL/h.") in pounds.notes[0]


def test_renal_note_only_with_renal_impairment_and_sources() -> None:
    # CMV Ig monograph, dosage adjustments: in renal impairment keep the rate as low as possible.
    # A note about the patient: shown only when renal impairment is ticked (issue 15).
    for product in ("cytogam", "cytotect-cp"):
        plan = infusion_plan("70", product, "yes", renal_impairment="yes")
        assert RENAL_NOTE in plan.notes and RENAL_NOTE not in plan.warnings
        assert "cmvig-monograph" in plan.sources
        assert RENAL_NOTE not in infusion_plan("70", product, "yes").notes
        assert RENAL_NOTE not in infusion_plan("70", product, "yes", renal_impairment="no").notes
    assert infusion_plan("70", "cytogam").sources == ("cytogam-label", "cmvig-monograph")
    assert infusion_plan("70", "cytotect-cp").sources == ("cytotect-cp-smpc", "cmvig-monograph")


def test_cytotect_cp_start_rate_and_maximum_only() -> None:
    # Cytotect CP SmPC: 0.08 mL/kg/h for 10 min, then increase gradually to at most 0.8 mL/kg/h.
    plan = infusion_plan("80", "cytotect-cp", "no", "4000")
    first, maximum = plan.steps
    assert (first.start_min, first.duration_min, first.rate_ml_h) == (0, 10, Decimal("6.4"))
    # The SmPC speaks in mL/kg/h; the CytoGam label in mg/kg/h: the page shows each in its own.
    assert {s.label_rate_unit for s in plan.steps} == {"mL/kg/h"}
    assert {s.label_rate_unit for s in infusion_plan("80", "cytogam").steps} == {"mg/kg/h"}
    assert (maximum.start_min, maximum.duration_min, maximum.rate_ml_h) == (10, None, 64)
    assert maximum.rate_is_limit and not first.rate_is_limit
    assert "prescriber's" in maximum.instruction
    assert plan.max_rate_ml_h is None and not any(s.capped for s in plan.steps)
    assert plan.duration_min is None and plan.dose_ml == 80
    assert plan.duration_method.startswith("Not computed")
    assert any("none are invented" in n for n in plan.notes)
    assert any("one rate plan for every infusion" in n for n in plan.notes)
    # Issue 13: the SmPC facts held give Cytotect CP no maximum per infusion, so CytoGam's
    # 150 mg/kg (the only one the sources state) is the bound, and the warning says whose it is
    # (before, Cytotect CP got no warning at 160 mg/kg).
    big = infusion_plan("80", "cytotect-cp", "yes", "12800")
    assert ("The dose is more than the CytoGam label's maximum of 150 mg/kg per infusion (the "
            "sources give no maximum for Cytotect CP) (12000 mg at 80 kg).") in big.warnings
    assert not any("maximum of" in w for w in infusion_plan("80", "cytotect-cp", "yes",
                                                            "12000").warnings)


def test_dose_delivered_through_the_steps() -> None:
    # CytoGam first infusion, 70 kg, 150 mg/kg = 10,500 mg (golden case, worked there):
    # 525 mg in 30 min at 21 mL/h, 1,050 mg in 30 min at 42 mL/h, 8,925 mg at 75 mL/h = 142.8 min.
    plan = infusion_plan("70", "cytogam", "yes", "10500")
    assert [s.dose_mg for s in plan.steps] == [525, 1050, 8925]
    assert [s.volume_ml for s in plan.steps] == [Decimal("10.5"), 21, Decimal("178.5")]
    assert plan.steps[-1].duration_min == Decimal("142.8")
    assert plan.duration_min == Decimal("202.8")
    assert plan.dose_ml == 210
    assert "Exact" not in plan.duration_method  # no programmer words in a result (issue 15)


def test_dose_finished_before_the_last_step() -> None:
    # 50 kg later infusion: step 1 gives 750 mg/h x 15 min = 187.5 mg; 500 mg leaves 312.5 mg at
    # 1,500 mg/h = 12.5 min of step 2; step 3 is not reached.
    plan = infusion_plan("50", "cytogam", "no", "500")
    assert [s.number for s in plan.steps] == [1, 2]
    assert [s.duration_min for s in plan.steps] == [15, Decimal("12.5")]
    assert plan.duration_min == Decimal("27.5")
    assert "later steps are not reached" in plan.duration_method


def test_dose_exactly_filling_a_step() -> None:
    # 50 kg first infusion: 750 mg/h x 30 min = 375 mg, so a 375 mg dose ends with step 1.
    plan = infusion_plan("50", "cytogam", "yes", "375")
    assert [(s.number, s.duration_min, s.dose_mg) for s in plan.steps] == [(1, 30, 375)]
    assert plan.duration_min == 30


def test_duration_that_does_not_end_is_kept_exact() -> None:
    # 7 kg later infusion, 100 mg: 26.25 + 52.5 mg in the first 30 min; 21.25 mg at 420 mg/h
    # = 85/28 min, a recurring decimal.
    plan = infusion_plan("7", "cytogam", "no", "100")
    assert plan.duration_min is not None
    assert abs(Fraction(plan.duration_min) - (30 + Fraction(85, 28))) < Fraction(1, 10**25)
    assert "significant digits" not in plan.duration_method


def test_dose_above_the_label_maximum_warns() -> None:
    # CytoGam label: maximum per infusion 150 mg/kg (10,500 mg at 70 kg).
    at_maximum = infusion_plan("70", "cytogam", "yes", "10500")
    assert not any("maximum of" in w for w in at_maximum.warnings)
    plan = infusion_plan("70", "cytogam", "yes", "10501")
    assert ("The dose is more than the CytoGam label's maximum of 150 mg/kg per infusion "
            "(10500 mg at 70 kg).") in plan.warnings


def test_infusion_longer_than_12_hours_warns() -> None:
    # 300 kg, 400 mg/kg (monograph, off-label pneumonitis) = 120,000 mg, everything at 75 mL/h
    # (3,750 mg/h): 32 h. The CytoGam label: finish within 12 h of entering the vial.
    plan = infusion_plan("300", "cytogam", "yes", "120000")
    assert plan.duration_min == 1920
    assert all(s.capped for s in plan.steps)
    assert any("more than 12 hours" in w and "cannot be met" in w for w in plan.warnings)
    # 150 mg/kg at 300 kg takes exactly 720 min (golden later-300kg case): it must start as soon
    # as the vial is entered (issue 13: before, no warning).
    at_limit = infusion_plan("300", "cytogam", "no", "45000")
    assert at_limit.duration_min == 720
    assert any("start it within 0 minutes of entering the vial" in w
               for w in at_limit.warnings)
    # 6 hours or less leaves the label's full 6 hours to start: no window warning.
    six_hours = infusion_plan("70", "cytogam", "no", "10500")
    assert six_hours.duration_min is not None and six_hours.duration_min <= 360
    assert not any("entering the vial" in w for w in six_hours.warnings)


def test_units_typed_with_the_numbers() -> None:
    # 154 lb = 69.85322498 kg (exact pound); 10.5 g = 10,500 mg.
    plan = infusion_plan("154 lb", "cytogam", "yes", "10.5 g")
    assert plan.weight_kg == Decimal("69.85322498")
    assert plan.dose_mg == 10500
    # 15 x 69.85322498 / 50 mL/h.
    assert plan.steps[0].uncapped_rate_ml_h == Decimal("20.955967494")


def test_a_product_without_labelled_rates_is_refused_naming_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A product added to calculators/products.py without its label's rates (README, "Adding a
    product") gets the product field's message, never another product's rates or a traceback:
    shown here by taking Cytotect CP's rates away."""
    monkeypatch.setattr(infusion_module, "SCHEDULES", tuple(
        s for s in infusion_module.SCHEDULES if s.product != "cytotect-cp"))
    with pytest.raises(InputError, match="Cytotect CP has no labelled infusion rates") as caught:
        run("infusion", {"weight_kg": "70", "product": "cytotect-cp", "first_infusion": "yes"})
    assert (caught.value.field, caught.value.value) == ("product", "cytotect-cp")


def test_custom_product_is_refused_even_when_configured() -> None:
    local = settings.parse({"custom_product": {"name": "Local CMVIG", "mg_per_ml": 50,
                                               "vial_ml": [50]}})
    with pytest.raises(InputError) as caught:
        run("infusion", {"weight_kg": "70", "product": "custom", "first_infusion": "yes"}, local)
    assert (caught.value.field, caught.value.value) == ("product", "custom")
    # Mutation testing: the whole message, which says where the rates come from instead.
    assert caught.value.message == ("Product: this hospital's own product has no labelled "
                                    "infusion rates here; follow its product information.")


@pytest.mark.parametrize(("params", "field"), [
    ({"weight_kg": "abc"}, "weight_kg"),
    ({"weight_kg": None}, "weight_kg"),
    ({"weight_kg": "301"}, "weight_kg"),
    ({"weight_kg": "70", "product": "cytotect"}, "product"),
    ({"weight_kg": "70", "first_infusion": "perhaps"}, "first_infusion"),
    ({"weight_kg": "70", "dose_mg": "abc"}, "dose_mg"),
    ({"weight_kg": "70", "dose_mg": "0"}, "dose_mg"),
    ({"weight_kg": "70", "dose_mg": "120001"}, "dose_mg"),
    ({"weight_kg": "70", "dose_mg": "10 kg"}, "dose_mg"),
    ({"weight_kg": "70", "rate": "10"}, "rate"),
])
def test_bad_input_names_the_field(params: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as caught:
        run("infusion", params)
    assert caught.value.field == field


def test_plain_result_keys() -> None:
    result = run("infusion", {"weight_kg": "70", "product": "cytogam", "first_infusion": "no"})
    assert {"steps", "duration_min", "duration_method", "sources", "warnings"} <= set(result)
    assert set(result["steps"][0]) >= {"start_min", "duration_min", "rate_mg_per_kg_h", "rate_ml_h",
                                       "uncapped_rate_ml_h", "capped"}
    assert result["steps"][-1]["duration_min"] is None


def test_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "calculators", "infusion", "--json", "--weight-kg", "70",
         "--product", "cytogam", "--no-first-infusion", "--dose-mg", "10500"],
        cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    # Golden later-70kg-150mg-per-kg: 185.4 min.
    assert json.loads(done.stdout)["duration_min"] == 185.4


@hypothesis_settings(max_examples=200, deadline=None)
@given(weight=st.decimals(min_value="0.5", max_value="300", places=2),
       mg_per_kg=st.decimals(min_value="0.5", max_value="400", places=1),
       first=st.booleans())
def test_any_cytogam_dose_is_delivered_whole_within_the_cap(weight: Decimal, mg_per_kg: Decimal,
                                                            first: bool) -> None:
    dose = weight * mg_per_kg
    plan = infusion_plan(weight, "cytogam", first, dose)
    assert all(s.rate_ml_h <= 75 for s in plan.steps)  # CytoGam label: never above 75 mL/h
    assert all(s.rate_ml_h == min(s.uncapped_rate_ml_h, 75) for s in plan.steps)
    given_mg = sum((s.dose_mg or Decimal(0) for s in plan.steps), Decimal(0))
    assert abs(given_mg - dose) <= Decimal("1e-20") * dose
    # Steps follow one another without gaps.
    for before, after in itertools.pairwise(plan.steps):
        assert before.duration_min is not None
        assert before.start_min + before.duration_min == after.start_min
    last = plan.steps[-1]
    assert last.duration_min is not None and plan.duration_min == last.start_min + last.duration_min


def test_first_infusion_field_is_a_flag() -> None:
    assert FIRST_INFUSION_FIELD.kind == "flag"
    assert "safe default" in FIRST_INFUSION_FIELD.hint


def test_warnings_and_method_in_full() -> None:
    # Mutation testing: the whole sentences shown beside the plan. CytoGam label: first-infusion
    # schedule as the safe default; Cytotect CP SmPC: one plan, no step sizes (clinical-facts.md).
    unanswered = infusion_plan("50", "cytogam")
    assert unanswered.duration_method == "No dose given: the last step is open-ended."
    assert unanswered.warnings[0] == (
        "First infusion was not answered: the slower first-infusion schedule is shown. Answer "
        "'no' for the later-infusion schedule.")
    cytotect = infusion_plan("80", "cytotect-cp", None, "4000")
    assert cytotect.duration_method == (
        "Not computed: the label leaves the steps between the start rate and the maximum to the "
        "prescriber, so the time depends on those steps.")
    assert cytotect.notes[:2] == (
        "The Cytotect CP label gives one rate plan for every infusion, first or later.",
        "The label gives no step sizes between the start rate and the maximum: the increases are "
        "the prescriber's; none are invented here.")


DELIVERY_METHOD = (
    "Each timed step runs at its rate for its length; what is left of the dose when the last "
    "step starts runs at that step's rate. This assumes each increase is made on time, with no "
    "reaction, and the highest labelled rate in an 'up to' step; slower rates take longer.")


def test_delivery_method_in_full_and_the_steps_not_reached() -> None:
    # CytoGam label, first infusion (15 -> 30 -> 60 mg/kg/h, 30-minute steps, nominal 50 mg/mL).
    # 70 kg, 10,500 mg reaches step 3: the method alone, each rate in mL/kg/h = mg/kg/h / 50.
    through = infusion_plan("70", "cytogam", "yes", "10500")
    assert through.duration_method == DELIVERY_METHOD
    assert [s.rate_ml_per_kg_h for s in through.steps] == [
        Decimal("0.3"), Decimal("0.6"), Decimal("1.2")]
    # 6 kg, 50 mg: 90 mg/h x 30 min = 45 mg, then 5 mg at 180 mg/h = 5/3 min (does not end):
    # step 2 gives exactly the 5 mg left, and step 3 is not reached.
    early = infusion_plan("6", "cytogam", "yes", "50")
    assert [(s.number, s.dose_mg) for s in early.steps] == [(1, 45), (2, 5)]
    assert early.duration_method == (
        DELIVERY_METHOD + " The dose is complete during step 2; later steps are not reached.")


def test_preparation_window_edges_and_warnings_in_full() -> None:
    # CytoGam label: start within 6 hours of entering the vial, finish within 12 hours. An
    # infusion of exactly 6 hours leaves the full 6 hours to start; one minute more does not.
    cytogam = SCHEDULES[0]
    assert window_warnings(cytogam, Decimal(360), Decimal(210)) == []
    window = ("the label says to start within 6 hours of entering the vial and finish within 12 "
              "hours")
    assert window_warnings(cytogam, Decimal(361), Decimal(210)) == [
        f"The infusion takes 6.0 hours (210.0 mL) at the labelled rates: {window}, so start it "
        "within 359 minutes of entering the vial, not 6 hours."]
    assert window_warnings(cytogam, Decimal(721), Decimal(210)) == [
        f"The infusion takes 12.0 hours (210.0 mL) at the labelled rates, more than 12 hours: "
        f"{window}, which cannot be met this way. Plan it with the prescriber and the pharmacy."]


# --- rate plans for a schedule's print sheet (issue 15) ------------------------------------------

def test_rate_plans_are_the_infusion_calculators_steps_for_first_and_later() -> None:
    # cytogam-label: first 15 -> 30 -> 60 mg/kg/h (30 min each), later 15 -> 30 (15 min each)
    # -> up to 60 mg/kg/h, never above 75 mL/h; at 70 kg and 50 mg/mL 15 mg/kg/h is 21 mL/h.
    first, later = rate_plans("cytogam", Decimal(70))
    assert (first.infusions, later.infusions) == ("first", "later")
    assert first.steps == infusion_plan("70", "cytogam", "yes").steps
    assert later.steps == infusion_plan("70", "cytogam", "no").steps
    assert [s.rate_ml_h for s in first.steps] == [Decimal(21), Decimal(42), Decimal(75)]
    assert [s.duration_min for s in later.steps] == [Decimal(15), Decimal(15), None]
    assert (first.max_rate_ml_h, first.source) == (Decimal(75), "cytogam-label")
    # cytotect-cp-smpc: one plan for every infusion, 0.08 mL/kg/h for 10 min, then up to 0.8.
    (every,) = rate_plans("cytotect-cp", Decimal(70))
    assert every.infusions == "every" and every.steps[0].rate_ml_h == Decimal("5.6")
    assert rate_plans("custom", Decimal(70)) == ()  # no labelled rates here
