"""(d) Dose invariants that no input and no institution setting can break (issue 13).

Over every calculator that plans vials (prophylaxis, regimen, units), every input its fields
accept and every setting an institution may configure (rounding policy, tolerance, dosing weight,
a custom product with or without a label maximum):

- the tolerance is never above 10 % (HOPA position statement: hopa-rounding);
- the dose to give differs from the calculated dose by at most the tolerance;
- the dose to give is never above the label maximum per infusion (CytoGam label: 150 mg/kg of
  actual weight; cytogam-label), unless the calculated dose already is, and then it is the
  calculated dose exactly, never rounded up (the 400 mg/kg pneumonitis course, cmvig-monograph,
  keeps its flagged dose; only a dose within the tolerance of the maximum may round down to it);
- a dose not rounded to whole vials is the calculated dose exactly, and the vials to open hold it,
  with the amount to discard given apart;
- wherever a weight is known, the label maximum bounds the plan.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculators import settings as site_settings
from calculators.errors import InputError
from calculators.products import product
from calculators.regimens import regimen_schedule
from calculators.registry import CALCULATORS
from calculators.settings import MAX_TOLERANCE_PCT
from calculators.vials import VialPlan, vial_plan

from .strategies import any_settings, tolerances, valid_params

CHECKED = settings(max_examples=200, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

PLANNING = ("prophylaxis", "regimen", "units")
WEIGHED = ("prophylaxis", "regimen")  # a patient's weight is known: the label maximum applies



def vial_plans(value: Any) -> Iterator[VialPlan]:
    """Every vial plan anywhere in a result (doses, options, the units conversion)."""
    if isinstance(value, VialPlan):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from vial_plans(getattr(value, field.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from vial_plans(item)


def assert_safe(plan: VialPlan) -> None:
    calculated, given_mg = plan.calculated_mg, plan.rounded_mg
    tolerance = plan.tolerance_pct if plan.tolerance_pct is not None else Decimal(0)
    assert tolerance <= MAX_TOLERANCE_PCT
    assert abs(given_mg - calculated) * 100 <= tolerance * calculated, plan
    if plan.label_max_mg is not None:
        if calculated > plan.label_max_mg:
            # A source's dose above it: never rounded up; only down to the maximum or below.
            assert given_mg == calculated or given_mg <= plan.label_max_mg, plan
        else:
            assert given_mg <= plan.label_max_mg, plan
    if not plan.rounded_to_vials:
        assert given_mg == calculated, plan
    assert plan.opened_mg >= given_mg and plan.left_over_ml >= 0
    assert plan.discard_mg == plan.opened_mg - given_mg or not plan.rounded_to_vials
    assert plan.left_over_ml == plan.opened_ml - plan.rounded_ml


@pytest.mark.parametrize("name", PLANNING)
@CHECKED
@given(data=st.data())
def test_no_setting_breaks_the_dose_invariants(name: str, data: st.DataObject) -> None:
    chosen = data.draw(any_settings, label="institution settings")
    params = data.draw(valid_params(name), label="inputs")
    try:
        result = CALCULATORS[name].function(**params, settings=chosen)
    except InputError:
        return  # refused, naming a field: no dose at all
    plans = list(vial_plans(result))
    assert plans
    for plan in plans:
        assert_safe(plan)
        if name in WEIGHED:
            assert plan.label_max_mg is not None


@CHECKED
@given(dose=st.decimals(min_value=Decimal("0.01"), max_value=Decimal(60000), places=2),
       weight=st.decimals(min_value=Decimal("0.5"), max_value=Decimal(300), places=1),
       item=st.sampled_from(["cytogam", "cytotect-cp"]),
       policy=st.sampled_from(["none", "up", "nearest"]), tolerance=tolerances)
def test_vial_plan_keeps_the_invariants_for_any_dose(dose: Decimal, weight: Decimal, item: str,
                                                     policy: str, tolerance: Decimal) -> None:
    plan = vial_plan(dose, product(item), policy, tolerance, weight)
    assert plan.label_max_mg == Decimal(150) * weight  # CytoGam's, for both (Cytotect: none)
    assert_safe(plan)


@CHECKED
@given(weight=st.decimals(min_value=Decimal("0.5"), max_value=Decimal(300), places=1),
       item=st.sampled_from(["cytogam", "cytotect-cp"]),
       policy=st.sampled_from(["none", "up", "nearest"]), tolerance=tolerances)
def test_pneumonitis_course_keeps_its_flagged_dose(weight: Decimal, item: str, policy: str,
                                                   tolerance: Decimal) -> None:
    # cmvig-monograph: 400 mg/kg on days 1, 2, 7; 200 mg/kg on day 14; all above 150 mg/kg.
    result = regimen_schedule("pneumonitis-label", weight, "2026-01-01", product=item,
                              rounding=policy, rounding_tolerance_pct=tolerance)
    for dose in result.doses:
        assert dose.vials.rounded_mg == dose.dose_mg and not dose.vials.rounded_to_vials
    assert any("label maximum of 150 mg/kg" in w for w in result.warnings)


@CHECKED
@given(tolerance=st.decimals(min_value=Decimal("10.000001"), max_value=Decimal(1000), places=6))
def test_no_tolerance_above_ten_percent_anywhere(tolerance: Decimal) -> None:
    # HOPA: within 10 %. The settings, the form field and the core each refuse more.
    with pytest.raises(InputError) as caught:
        site_settings.parse({"rounding": "up", "rounding_tolerance_pct": str(tolerance)})
    assert caught.value.field == "rounding_tolerance_pct"
    assert "Rounding tolerance (%)" in caught.value.message
    with pytest.raises(InputError) as caught:
        vial_plan(Decimal(500), product("cytogam"), "up", tolerance)
    assert caught.value.field == "rounding_tolerance_pct"
    with pytest.raises(InputError) as caught:
        CALCULATORS["units"].function("500", "mg", rounding="up",
                                      rounding_tolerance_pct=str(tolerance))
    assert caught.value.field == "rounding_tolerance_pct"
