"""(c) Rounding never under-doses where it promises not to, and opened vials hold the dose.

Rounding (up or nearest) happens only within the tolerance, at most 10 % (HOPA); otherwise the
dose to give stays the calculated dose and the vials to open cover it.

Vials: CytoGam label (50 mL), Cytotect CP SmPC (10 and 50 mL), and custom products as an
institution could configure them.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from calculators import settings as site_settings
from calculators.products import Product, product
from calculators.vials import VialPlan, vial_plan

FAST = settings(max_examples=300, deadline=None)

doses_mg = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(15000), places=3)
tolerances = st.decimals(min_value=Decimal(0), max_value=Decimal(10), places=2)


@st.composite
def products(draw: st.DrawFn) -> Product:
    choice = draw(st.sampled_from(["cytogam", "cytotect-cp", "custom"]))
    if choice != "custom":
        return product(choice)
    # Up to three vial sizes of at least 5 mL keep the vial search small for 300 mL doses.
    sizes = draw(st.lists(st.decimals(min_value=Decimal(5), max_value=Decimal(250), places=1),
                          min_size=1, max_size=3))
    strength = draw(st.decimals(min_value=Decimal(50), max_value=Decimal(200), places=1))
    chosen = site_settings.parse({"custom_product": {"name": "Local", "mg_per_ml": strength,
                                                     "vial_ml": sizes}})
    return product("custom", chosen.custom_product)


def _same(rounded: Decimal, dose: Decimal) -> bool:
    # Exactly equal for the labelled products; a custom strength that does not divide the dose
    # comes back through mL at 28 digits (reported as a defect of vials.py; see test_vials.py).
    return abs(rounded - dose) <= dose * Decimal("1e-25")


def _common(plan: VialPlan, item: Product) -> None:
    assert all(v.count > 0 for v in plan.vials)
    assert plan.vial_count == sum(v.count for v in plan.vials)
    assert plan.opened_ml == sum(v.vial_ml * v.count for v in plan.vials)
    assert plan.left_over_ml == plan.opened_ml - plan.rounded_ml >= 0
    # The vials opened hold the dose to give.
    assert plan.opened_ml * item.mg_per_ml >= plan.rounded_mg
    assert sum(v.vial_mg * v.count for v in plan.vials) >= plan.rounded_mg
    # Least waste: less than one smallest vial left over the calculated dose.
    smallest = min(v.ml for v in item.vials)
    assert plan.opened_ml - plan.calculated_ml < smallest


@FAST
@given(dose=doses_mg, item=products(), tolerance=tolerances)
def test_up_never_under_doses(dose: Decimal, item: Product, tolerance: Decimal) -> None:
    plan = vial_plan(dose, item, "up", tolerance)
    assert plan.rounded_mg >= plan.calculated_mg == dose
    assert plan.difference_pct >= 0
    if plan.rounded_to_vials:
        assert plan.left_over_ml == 0  # rounded up to exactly what the vials hold
        assert (plan.rounded_mg - dose) * 100 <= tolerance * dose
    else:  # not rounded: the dose itself, with a warning unless whole vials hold it exactly
        assert _same(plan.rounded_mg, dose) and (plan.warnings or plan.left_over_ml == 0)
    _common(plan, item)


@FAST
@given(dose=doses_mg, item=products())
def test_none_gives_the_dose_and_opens_enough(dose: Decimal, item: Product) -> None:
    plan = vial_plan(dose, item, "none")
    assert plan.calculated_mg == dose and _same(plan.rounded_mg, dose)
    assert plan.opened_ml >= plan.calculated_ml
    assert plan.warnings == () and plan.tolerance_pct is None
    _common(plan, item)


@FAST
@given(dose=doses_mg, item=products(), tolerance=tolerances)
def test_nearest_stays_within_the_tolerance(dose: Decimal, item: Product,
                                            tolerance: Decimal) -> None:
    plan = vial_plan(dose, item, "nearest", tolerance)
    if plan.warnings:
        assert _same(plan.rounded_mg, dose)
    else:
        assert abs(plan.rounded_mg - dose) * 100 <= tolerance * dose
        assert plan.opened_ml == plan.rounded_ml  # rounded to whole vials
    assert plan.tolerance_pct == tolerance
    assert plan.opened_ml * item.mg_per_ml >= plan.rounded_mg
    assert plan.left_over_ml >= 0
