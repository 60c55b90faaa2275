"""calculators.schedule: the one engine behind the prophylaxis and regimen schedules.

Worked numbers cite their sources: CytoGam label (50 mg/mL, 50 mL vials; kidney 150 mg/kg at
week 0), Cytotect CP SmPC (100 U/mL, 50 mg/mL; 10 mL and 50 mL vials).
"""

from __future__ import annotations

import ast
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from calculators import prophylaxis, regimens
from calculators.body_weight import dosing_weight
from calculators.products import PRODUCTS
from calculators.prophylaxis import prophylaxis_schedule
from calculators.regimens import regimen_schedule
from calculators.schedule import (
    FIXED_MG,
    MG_PER_KG,
    UNITS_PER_KG,
    Dose,
    Step,
    amount,
    dated_doses,
    every,
    on_days,
    totals,
)
from calculators.settings import DEFAULTS

START = date(2026, 1, 5)


def test_prophylaxis_and_regimens_hold_the_one_dose_type() -> None:
    kidney = prophylaxis_schedule("70", "kidney", "2026-01-01")
    pneumonitis = regimen_schedule("pneumonitis-label", "70", "2026-01-01")
    assert {type(d) for d in (*kidney.doses, *pneumonitis.doses)} == {Dose}
    # Neither calculator keeps a dose type of its own.
    for module in (prophylaxis, regimens):
        tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
        assert "Dose" not in {node.name for node in tree.body if isinstance(node, ast.ClassDef)}


def test_each_result_reports_its_own_facts_of_a_dose_in_its_order() -> None:
    # The page reads these names (site_src/javascripts): the serialized doses are as before the
    # engine was shared.
    kidney = prophylaxis_schedule("70", "kidney", "2026-01-01").to_dict()
    assert list(kidney["doses"][0]) == ["number", "day", "week", "date", "mg_per_kg", "dose_mg",
                                        "volume_ml", "vials", "cumulative_mg"]
    pneumonitis = regimen_schedule("pneumonitis-label", "70", "2026-01-01").to_dict()
    assert list(pneumonitis["doses"][0]) == [
        "number", "date", "day", "phase", "mg_per_kg", "units_per_kg", "dose_mg", "volume_ml",
        "dose_units", "mg_per_kg_given", "vials", "infusion_min"]


def test_step_builders() -> None:
    assert every(1, 2, 3, 200, "alternate days") == (
        Step(1, Decimal(200), "alternate days"), Step(3, Decimal(200), "alternate days"),
        Step(5, Decimal(200), "alternate days"))
    assert on_days((1, 2, 7), Decimal("12.5"), "p") == (
        Step(1, Decimal("12.5"), "p"), Step(2, Decimal("12.5"), "p"), Step(7, Decimal("12.5"), "p"))


def test_dates_and_weeks_count_from_the_start_day() -> None:
    weight = dosing_weight("70", settings=DEFAULTS)
    steps = on_days((0, 14, 18), 100, "p")
    from_zero = dated_doses(steps, MG_PER_KG, weight, PRODUCTS["cytogam"], "none", Decimal(10),
                            START, start_day=0)
    assert [(d.date, d.week) for d in from_zero] == [
        (START, 0), (START + timedelta(days=14), 2), (START + timedelta(days=18), None)]
    from_one = dated_doses(on_days((1, 8, 14), 100, "p"), MG_PER_KG, weight,
                           PRODUCTS["cytogam"], "none", Decimal(10), START, start_day=1)
    assert [(d.day, d.date, d.week) for d in from_one] == [
        (1, START, 0), (8, START + timedelta(days=7), 1), (14, START + timedelta(days=13), None)]
    assert [d.number for d in from_one] == [1, 2, 3]


def test_a_dose_in_each_unit() -> None:
    weight = dosing_weight("70", settings=DEFAULTS)
    cytotect = PRODUCTS["cytotect-cp"]
    # Cytotect CP SmPC: 100 U/mL and 50 mg/mL, so 50 U/kg is 25 mg/kg: 1,750 mg, 35 mL, 3,500 U.
    units = amount(UNITS_PER_KG, Decimal(50), weight, cytotect, "none", Decimal(10))
    assert (units.units_per_kg, units.mg_per_kg, units.dose_mg, units.volume_ml,
            units.dose_units) == (50, 25, 1750, 35, 3500)
    # A fixed dose whatever the weight: 2,500 mg is 50 mL.
    fixed = amount(FIXED_MG, Decimal(2500), weight, cytotect, "none", Decimal(10))
    assert (fixed.mg_per_kg, fixed.units_per_kg, fixed.dose_mg, fixed.volume_ml) == (
        None, None, 2500, 50)
    # CytoGam label: no unit strength, so no units; 150 mg/kg x 70 kg = 10,500 mg, 210 mL.
    cytogam = amount(MG_PER_KG, Decimal(150), weight, PRODUCTS["cytogam"], "up", Decimal(10))
    assert (cytogam.dose_mg, cytogam.volume_ml, cytogam.dose_units) == (10500, 210, None)
    assert cytogam.vials.policy == "up"


def test_running_total_time_and_window_of_each_dose() -> None:
    # CytoGam label, kidney: 150 then 100 mg/kg; rounded up to whole 2,500 mg vials at 70 kg.
    weight = dosing_weight("70", settings=DEFAULTS)
    doses = dated_doses(prophylaxis.SCHEDULES[0].doses[:2], MG_PER_KG, weight,
                        PRODUCTS["cytogam"], "up", Decimal(10), START, start_day=0)
    assert [d.vials.rounded_mg for d in doses] == [10500, 7500]  # 10,500 mg is 4.2 vials: kept
    assert [d.cumulative_mg for d in doses] == [10500, 18000]
    assert [d.mg_per_kg_given for d in doses] == [150, Decimal("107.1")]
    assert all(d.infusion_min is not None and d.window_warnings == () for d in doses)
    # The first infusion is the slower one (CytoGam label: first 15, later 30 mg/kg/h to start).
    first = dated_doses(on_days((0, 14), 100, "p"), MG_PER_KG, weight, PRODUCTS["cytogam"],
                        "none", Decimal(10), START, start_day=0)
    assert first[0].infusion_min is not None and first[1].infusion_min is not None
    assert first[0].infusion_min > first[1].infusion_min
    course = totals(doses)
    assert (course.mg, course.ml, course.rounded_mg, course.rounded_ml, course.vials) == (
        17500, 350, 18000, 360, 8)


@hypothesis_settings(max_examples=60, deadline=None)
@given(days=st.lists(st.integers(0, 400), min_size=1, max_size=8, unique=True).map(sorted),
       per_kg=st.decimals(1, 400, places=1), weight=st.decimals(3, 200, places=1),
       start_day=st.sampled_from([0, 1]), policy=st.sampled_from(["none", "up", "nearest"]))
def test_every_dose_is_dated_from_its_day_and_the_total_runs(
        days: list[int], per_kg: Decimal, weight: Decimal, start_day: int, policy: str) -> None:
    patient = dosing_weight(weight, settings=DEFAULTS)
    steps = on_days(tuple(day + start_day for day in days), per_kg, "p")
    doses = dated_doses(steps, MG_PER_KG, patient, PRODUCTS["cytotect-cp"], policy, Decimal(10),
                        START, start_day)
    running = Decimal(0)
    for dose, day in zip(doses, days, strict=True):
        running += dose.vials.rounded_mg
        assert dose.date == START + timedelta(days=day)
        assert dose.week == (day // 7 if day % 7 == 0 else None)
        assert dose.dose_mg == per_kg * patient.dosing_kg
        assert dose.cumulative_mg == running
    assert totals(doses).rounded_mg == running
