"""(b) Doses scale with weight: dose_mg = mg/kg x weight exactly; twice the weight, twice the dose.

Schedules: CytoGam label (mg/kg per dose) and Cytotect CP SmPC (1 mL/kg = 50 mg/kg).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from calculators.prophylaxis import ORGAN_FIELD
from calculators.registry import CALCULATORS

PROPHYLAXIS = CALCULATORS["prophylaxis"].function
LABELLED = ["cytogam", "cytotect-cp"]

# Up to 150 kg so that twice the weight is inside the 300 kg the weight field allows.
# Two decimals: text with exactly three ('1.250') is refused as possibly thousands (fields.py).
# From 0.5 kg, the weight field's hard minimum.
weights = st.decimals(min_value=Decimal("0.5"), max_value=Decimal(150), places=2)
organs = st.sampled_from([value for value, _ in ORGAN_FIELD.choices])


@settings(max_examples=200, deadline=None)
@given(weight=weights, organ=organs, product=st.sampled_from(LABELLED), as_text=st.booleans())
def test_dose_is_mg_per_kg_times_weight(weight: Decimal, organ: str, product: str,
                                        as_text: bool) -> None:
    raw = str(weight) if as_text else weight
    schedule = PROPHYLAXIS(weight_kg=raw, organ=organ, transplant_date=date(2026, 1, 1),
                           product=product, rounding="none")
    assert schedule.doses
    for dose in schedule.doses:
        assert dose.dose_mg == dose.mg_per_kg * weight
        assert dose.volume_ml == dose.dose_mg / schedule.mg_per_ml


@settings(max_examples=200, deadline=None)
@given(weight=weights, organ=organs, product=st.sampled_from(LABELLED))
def test_twice_the_weight_twice_every_dose(weight: Decimal, organ: str, product: str) -> None:
    once = PROPHYLAXIS(weight_kg=weight, organ=organ, transplant_date="2026-01-01",
                       product=product, rounding="none")
    twice = PROPHYLAXIS(weight_kg=weight * 2, organ=organ, transplant_date="2026-01-01",
                        product=product, rounding="none")
    assert len(once.doses) == len(twice.doses)
    for single, double in zip(once.doses, twice.doses, strict=True):
        assert double.mg_per_kg == single.mg_per_kg
        assert double.dose_mg == 2 * single.dose_mg
        assert double.volume_ml == 2 * single.volume_ml
    assert twice.total_mg == 2 * once.total_mg
