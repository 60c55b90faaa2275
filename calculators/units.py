"""Convert an amount of a CMV immunoglobulin product between mg, units (U) and mL.

Protein (mg) and volume (mL) are linked by each product's labelled strength; CMV antibody units
(Paul-Ehrlich-Institut units, U) only where the product labels a unit strength. Cytotect CP holds
100 U/mL and 50 mg/mL (SmPC); CytoGam labels 50 mg/mL and no units, so it cannot be dosed in U.
The older Cytotect (50 U/mL) is a different product: the same number of units is twice the volume
in it, so it is not offered and every Cytotect CP result says so.

:func:`unit_conversion` gives the amount in all three units and the vials that hold it, under the
institution's rounding policy (:mod:`calculators.vials`) unless the caller picks one. A
:class:`UnitConversion` shows itself (:class:`calculators.layout.Presentable`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .body_weight import WEIGHT_FIELD
from .calculator import Calculator, Cite, Listing
from .display import number, shown
from .errors import InputError
from .fields import ChoiceField, NumberField
from .layout import Block, Box, Column, Part, Row, Sources, Table, note_blocks, warning_blocks
from .products import PRODUCT_FIELD, PRODUCTS, Product
from .products import product as find_product
from .results import Result, unique
from .settings import DEFAULTS, Settings
from .vials import (
    ROUNDING_FIELD,
    TOLERANCE_FIELD,
    VialPlan,
    dose_parts,
    rounding_choice,
    to_give,
    vial_plan,
    vials_to_open,
)

__all__ = ["UNIT_FIELD", "AMOUNT_FIELD", "UNITS_FIELDS", "UnitConversion", "unit_conversion",
           "CALCULATORS"]

# A plausibility bound, not a clinical limit: above the largest labelled dose, CytoGam's label
# maximum at the heaviest weight the weight fields allow (150 mg/kg at 300 kg, 900 mL at
# 50 mg/mL). It also keeps the vial search small for a custom product of low strength.
MAX_ML = Decimal(1000)
_CYTOGAM = PRODUCTS["cytogam"]
_LABEL_MAX = _CYTOGAM.label_max_mg_per_kg or Decimal(0)
_LARGEST_LABELLED_ML = _LABEL_MAX * (WEIGHT_FIELD.maximum or Decimal(0)) / _CYTOGAM.mg_per_ml
# Expected: at most the CytoGam label maximum for a patient at the top of the expected weights
# (150 mg/kg at 150 kg: 22,500 mg, 450 mL at 50 mg/mL); above it the amount is accepted with a
# warning (a bare amount has no weight).
_EXPECTED_KG = (WEIGHT_FIELD.expected.high if WEIGHT_FIELD.expected else None) or Decimal(0)
EXPECTED_MAX_ML = _LABEL_MAX * _EXPECTED_KG / _CYTOGAM.mg_per_ml

# ChoiceField compares lower-cased text, so the values are lower case; SHOWN gives the usual form.
UNIT_FIELD = ChoiceField(
    name="unit", label="Unit",
    hint="What the amount is in: mg of protein, CMV antibody units (U), or mL of product.",
    choices=(("mg", "mg"), ("u", "U (CMV antibody units, Paul-Ehrlich-Institut)"), ("ml", "mL")),
)
SHOWN = {"mg": "mg", "u": "U", "ml": "mL"}

# What the form shows; the amount is checked against the bounds of its own unit (_AMOUNT_IN).
AMOUNT_FIELD = NumberField(
    name="amount", label="Amount", hint="In the unit chosen ('5000 U' is fine when the unit is U).",
    maximum=MAX_ML * 100, example="5000",
    range_reason=f"at most {MAX_ML:,} mL of product in its unit: the largest labelled dose, "
                 f"{_CYTOGAM.name} {_LABEL_MAX} mg/kg at {WEIGHT_FIELD.maximum} kg, is "
                 f"{_LARGEST_LABELLED_ML} mL.", range_source="cytogam-label",
)
# Bounds: MAX_ML at the labelled strengths, 50 mg/mL and 100 U/mL (Cytotect CP SmPC).
_AMOUNT_IN = {
    unit: NumberField(name="amount", label=f"Amount ({shown})", hint=AMOUNT_FIELD.hint,
                      unit=shown, maximum=MAX_ML * per_ml, example=AMOUNT_FIELD.example)
    for unit, shown, per_ml in (("mg", "mg", 50), ("u", "U", 100), ("ml", "mL", 1))
}


UNITS_FIELDS = (AMOUNT_FIELD, UNIT_FIELD, PRODUCT_FIELD, ROUNDING_FIELD, TOLERANCE_FIELD)



@dataclass(frozen=True, slots=True)
class UnitConversion(Result):
    product: str
    product_name: str
    amount: Decimal
    unit: str  # the unit given, as usually written: "mg", "U" or "mL"
    mg: Decimal
    units: Decimal | None  # None where the product has no unit strength (CytoGam)
    ml: Decimal
    mg_per_ml: Decimal
    units_per_ml: Decimal | None
    vial_plan: VialPlan  # vials for ``mg`` under the rounding policy
    rounded_units: Decimal | None  # the plan's rounded dose in U
    sources: tuple[str, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...]

    def explanation(self) -> str:
        units = ("." if self.units_per_ml is None
                 else f"; U = mL × {number(self.units_per_ml)} U/mL.")
        return f"mL = mg ÷ {number(self.mg_per_ml)} mg/mL{units}"

    def blocks(self, hazards: Sequence[str]) -> tuple[Block, ...]:
        plan = self.vial_plan
        units: tuple[Part, ...] = (() if self.units is None
                                   else (f"{shown(self.units, 'units')} U = ",))
        rounded = plan.rounded_mg != plan.calculated_mg
        columns = (Column("mg", quantity="mg"), Column("Units (U)", numeric=True),
                   Column("mL", quantity="ml"),
                   *((Column("To give (mg)", quantity="mg"),) if rounded else ()),
                   Column("Vials to open", quantity="vials"))
        cells = ((shown(self.mg, "mg"),),
                 ("not labelled" if self.units is None else shown(self.units, "units"),),
                 (shown(self.ml, "ml"),), *(((to_give(plan),),) if rounded else ()),
                 (vials_to_open(plan),))
        return (
            Box("answer", ((*units, *dose_parts(plan)),)), *warning_blocks(hazards),
            Table(f"{number(self.amount)} {self.unit} of {self.product_name}", columns,
                  (Row(cells),)),
            *note_blocks(self.notes), Sources(self.sources),
        )


def _volume(amount: Decimal, unit: str, chosen: Product) -> Decimal:
    if unit == "ml":
        return amount
    if unit == "mg":
        return amount / chosen.mg_per_ml
    assert chosen.units_per_ml is not None  # checked by the caller, which knows the raw unit
    return amount / chosen.units_per_ml


def unit_conversion(
    amount: object,
    unit: object,
    product: object = None,
    rounding: object = None,
    rounding_tolerance_pct: object = None,
    *,
    settings: Settings = DEFAULTS,
) -> UnitConversion:
    """``amount`` of ``product`` in ``unit`` (mg, U or mL) as mg, U and mL, with its vials.

    ``rounding`` and ``rounding_tolerance_pct`` default to the institution's ``settings``, whose
    custom product is ``product`` ``custom``. Raises
    :class:`~calculators.errors.InputError` naming the field, including for U of a product with no
    unit strength.
    """
    chosen = find_product(PRODUCT_FIELD.parse(product), settings.custom_product)
    unit_id = UNIT_FIELD.parse(unit)
    if unit_id == "u" and chosen.units_per_ml is None:
        raise InputError(
            "unit", unit,
            f"Unit: {chosen.name} has no labelled unit strength (U/mL); give the amount in mg "
            "or mL, or choose a product labelled in units (Cytotect CP).",
        )
    value = _AMOUNT_IN[unit_id].parse(amount)
    ml = _volume(value, unit_id, chosen)
    if ml > MAX_ML:
        raise InputError(
            "amount", amount,
            f"Amount: {value} {SHOWN[unit_id]} of {chosen.name} is {ml} mL, more than {MAX_ML} mL; "
            "check the amount and its unit.",
        )
    policy, tolerance = rounding_choice(rounding, rounding_tolerance_pct, settings)

    # The given amount is kept exactly; the other two follow from the labelled strengths.
    mg = value if unit_id == "mg" else ml * chosen.mg_per_ml
    units: Decimal | None = None
    rounded_units: Decimal | None = None
    plan = vial_plan(mg, chosen, policy, tolerance)
    if chosen.units_per_ml is not None:
        units = value if unit_id == "u" else ml * chosen.units_per_ml
        rounded_units = plan.rounded_ml * chosen.units_per_ml
    notes = chosen.notes + chosen.conversion_notes
    return UnitConversion(
        product=chosen.id,
        product_name=chosen.name,
        amount=value,
        unit=SHOWN[unit_id],
        mg=mg,
        units=units,
        ml=ml,
        mg_per_ml=chosen.mg_per_ml,
        units_per_ml=chosen.units_per_ml,
        vial_plan=plan,
        rounded_units=rounded_units,
        sources=unique((chosen.source,), plan.sources),
        warnings=plan.warnings + ((
            f"Amount: {ml} mL is more than {EXPECTED_MAX_ML} mL, the {_CYTOGAM.name} label "
            f"maximum of {_LABEL_MAX} mg/kg per infusion for a {_EXPECTED_KG} kg patient: check "
            "the amount and its unit. The "
            "label maximum needs a weight, which this conversion does not have; rounding here is "
            "bounded by the tolerance only.",) if ml > EXPECTED_MAX_ML else ()),
        notes=notes,
    )


CALCULATORS = (
    Calculator("units", "Convert between mg, units (U) and mL", unit_conversion, UNITS_FIELDS,
               uses_settings=True,
               example={"amount": "5000", "unit": "u", "product": "cytotect-cp"},
               listing=Listing(
                   "Units and vials",
                   "mg, units and mL for a product, and the vials needed",
                   (Cite("cytogam-label"), Cite("cytotect-cp-smpc"),))),
)
