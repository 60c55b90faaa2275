"""Dosing weight: actual, ideal (Devine) or adjusted body weight, and BMI.

The CytoGam and Cytotect CP labels dose by body weight and give no rule for obesity, so the basis
is an explicit choice (default: actual) and every result says which basis was used.

- Devine ideal body weight: 50 kg (men) or 45.5 kg (women) + 2.3 kg per inch over 60 inches.
- Adjusted body weight: IBW + 0.4 x (actual - IBW).
(Both from the Australian National Blood Authority's immunoglobulin dosing guidance.)

Ideal and adjusted weights are given to 0.1 kg. Where the formula does not apply (under 60 inches,
152.4 cm) the ideal and adjusted bases are refused; where the chosen basis would exceed the actual
weight, the actual weight is used instead, with a warning.

A :class:`BodyWeight` shows itself (:class:`calculators.layout.Presentable`), with the Devine and
adjustment constants in its explanation; :func:`dosing_weight_line` is the line every weight-based
dose shows of its :class:`DosingWeight`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from .calculator import Calculator, Cite, Listing
from .display import kg_text, number, shown
from .errors import InputError
from .fields import ChoiceField, Expectation, FlagField, NumberField
from .layout import Block, Box, Column, Line, Row, Sources, Table, warning_blocks
from .results import Result
from .rounding import KG_STEP, round_to

__all__ = ["LB_IN_KG", "WEIGHT_FIELD", "HEIGHT_FIELD", "SEX_FIELD", "WEIGHT_BASES",
           "WEIGHT_BASIS_FIELD", "WeightBasisDefault",
           "OPTIONAL_AGE_FIELD", "PREGNANT_FIELD", "DOSING_WEIGHT_FIELDS", "PAEDIATRIC_WARNING",
           "BodyWeight", "body_weight", "DosingWeight", "dosing_weight", "dosing_weight_line",
           "CALCULATORS"]

LB_IN_KG = Decimal("0.45359237")  # exact, by definition
CM_PER_INCH = Decimal("2.54")
DEVINE_BASE_KG = {"male": Decimal(50), "female": Decimal("45.5")}
DEVINE_KG_PER_INCH = Decimal("2.3")
DEVINE_FROM_INCHES = Decimal(60)
DEVINE_FROM_CM = (DEVINE_FROM_INCHES * CM_PER_INCH).normalize()  # 152.4 cm
ADJUSTMENT_FACTOR = Decimal("0.4")
SOURCES = ("nba-ig-dosing",)

# The sources give no weight range; the bounds are ours, stated with their reasons.
WEIGHT_FIELD = NumberField(
    name="weight_kg", label="Weight (kg)", hint="Actual body weight; '154 lb' is converted.",
    unit="kg", minimum_exclusive=None, minimum=Decimal("0.5"), maximum=Decimal(300),
    example="72.5", other_units=(("lb", LB_IN_KG), ("lbs", LB_IN_KG)),
    range_reason="below {minimum} kg or above {maximum} kg is a typing or unit slip (grams, "
                 "pounds), not a patient's weight; the sources give no weight range.",
    expected=Expectation(
        Decimal(40), Decimal(150),
        "below {low} kg is a child's weight or a unit slip (for children the CMV Ig monograph "
        "says antivirals are generally recommended for prophylaxis, and that dosing varies); "
        "above {high} kg check the weight, its unit, and which dosing weight applies"),
)
HEIGHT_FIELD = NumberField(
    name="height_cm", label="Height (cm)", hint="Needed for ideal and adjusted body weight.",
    unit="cm", minimum_exclusive=None, minimum=Decimal(30), maximum=Decimal(250), example="170",
    other_units=(("in", CM_PER_INCH), ("m", Decimal(100))),
    range_reason="below {minimum} cm or above {maximum} cm is a typing or unit slip (inches, "
                 "metres); the sources give no height range.",
    expected=Expectation(
        Decimal(140), Decimal(210),
        f"check the height and its unit; below {DEVINE_FROM_CM} cm ({DEVINE_FROM_INCHES} in) the "
        "Devine formula does not apply",
        "nba-ig-dosing"),
)
OPTIONAL_HEIGHT_FIELD = NumberField(
    name=HEIGHT_FIELD.name, label=HEIGHT_FIELD.label, hint=HEIGHT_FIELD.hint, unit="cm",
    minimum_exclusive=None, minimum=HEIGHT_FIELD.minimum, maximum=HEIGHT_FIELD.maximum,
    example="170", other_units=HEIGHT_FIELD.other_units, optional=True,
    range_reason=HEIGHT_FIELD.range_reason, expected=HEIGHT_FIELD.expected,
)
# NBA guidance: adjusted body weight is not used under 18 years or in pregnancy.
ADULT_AGE_YEARS = Decimal(18)
OPTIONAL_AGE_FIELD = NumberField(
    name="age", label="Age (years)",
    hint=f"Optional; needed to apply adjusted body weight (not under {ADULT_AGE_YEARS} years).",
    unit="years", minimum_exclusive=None, minimum=Decimal(0), maximum=Decimal(120),
    example="45", integer=True, optional=True,
    range_reason="ages are whole years from {minimum} to {maximum}; more is a typing slip.",
    expected=Expectation(None, Decimal(100), "check the age"),
)
PREGNANT_FIELD = FlagField(
    name="pregnant", label="Pregnant",
    hint="Adjusted body weight is not used in pregnancy (NBA guidance).",
)
PAEDIATRIC_WARNING = (
    f"Under {ADULT_AGE_YEARS} years: the CMV Ig monograph says antivirals are generally "
    "recommended for CMV prophylaxis in children, and that dosing varies with the transplant, "
    "the child's risk and viremia; the doses here are per kg as for adults. Confirm with a "
    "paediatric specialist.")
# BMI from a weight and height that each passed their own bounds: outside these the pair cannot
# belong to one person (a unit slip in one of them). The sources give no BMI range; Schulz 2016's
# case weighed 40 kg with a BMI of 18 and is called in poor condition.
BMI_HARD = (Decimal(8), Decimal(100))
BMI_EXPECTED = Expectation(
    Decimal(15), Decimal(50),
    "check the weight and the height and their units; the dosing weight choice depends on both")
SEX_FIELD = ChoiceField(name="sex", label="Sex", choices=(("female", "Female"), ("male", "Male")))
OPTIONAL_SEX_FIELD = ChoiceField(name="sex", label="Sex",
                                 choices=(("", "Not given"), *SEX_FIELD.choices), default="")
# The bases a dose may be weighed by, each with the words a form shows for it; the settings and
# the forms list these.
WEIGHT_BASES = (("actual", "Actual body weight"), ("ideal", "Ideal body weight (Devine)"),
                ("adjusted", "Adjusted body weight"))
# Left empty, the institution's setting applies (calculators.settings; "actual" unless changed).
WEIGHT_BASIS_FIELD = ChoiceField(name="weight_basis", label="Dosing weight",
                                 choices=(("", "Hospital default"), *WEIGHT_BASES), default="")

# What a dosing calculator's form asks, besides the weight, for dosing_weight (in form order).
DOSING_WEIGHT_FIELDS = (WEIGHT_BASIS_FIELD, OPTIONAL_HEIGHT_FIELD, OPTIONAL_SEX_FIELD,
                        OPTIONAL_AGE_FIELD, PREGNANT_FIELD)


class WeightBasisDefault(Protocol):
    """The institution's default basis that :func:`dosing_weight` falls back to
    (:class:`calculators.settings.Settings` is one; it imports this module, not the reverse)."""

    @property
    def weight_basis(self) -> str: ...


@dataclass(frozen=True, slots=True)
class BodyWeight(Result):
    weight_kg: Decimal
    height_cm: Decimal
    sex: str
    ibw_kg: Decimal
    adjbw_kg: Decimal
    bmi: Decimal
    formula_applies: bool
    sources: tuple[str, ...]
    warnings: tuple[str, ...]

    def explanation(self) -> str:
        inches = self.height_cm / CM_PER_INCH
        return (f"Ideal (Devine) = {number(DEVINE_BASE_KG[self.sex])} kg + "
                f"{number(DEVINE_KG_PER_INCH)} kg per inch over {number(DEVINE_FROM_INCHES)} in "
                f"({shown(self.height_cm, 'cm')} cm = {shown(inches, 'cm')} in); adjusted = "
                f"ideal + {number(ADJUSTMENT_FACTOR)} × (actual − ideal); BMI = kg ÷ m².")

    def blocks(self, hazards: Sequence[str]) -> tuple[Block, ...]:
        bmi = shown(self.bmi, "bmi")
        return (
            Box("answer", ((f"Ideal {kg_text(self.ibw_kg)}; adjusted {kg_text(self.adjbw_kg)}; "
                            f"BMI {bmi} kg/m²",),)),
            *warning_blocks(hazards),
            Table(f"{kg_text(self.weight_kg)}, {shown(self.height_cm, 'cm')} cm, {self.sex}",
                  (Column("Ideal body weight (kg)", numeric=True),
                   Column("Adjusted body weight (kg)", numeric=True),
                   Column("BMI (kg/m²)", numeric=True)),
                  (Row(((shown(self.ibw_kg, "kg"),), (shown(self.adjbw_kg, "kg"),), (bmi,))),)),
            Sources(self.sources),
        )


@dataclass(frozen=True, slots=True)
class DosingWeight(Result):
    basis_requested: str
    basis: str  # the basis used
    actual_kg: Decimal
    dosing_kg: Decimal
    ibw_kg: Decimal | None
    adjbw_kg: Decimal | None
    sources: tuple[str, ...]
    warnings: tuple[str, ...]


def dosing_weight_line(weight: DosingWeight) -> Line:
    """"Dosing weight: 85 kg, adjusted body weight (actual 100 kg).": the basis a dose used."""
    basis = {"actual": "actual", "ideal": "ideal (Devine)", "adjusted": "adjusted"}[weight.basis]
    actual = "." if weight.basis == "actual" else f" (actual {kg_text(weight.actual_kg)})."
    return Line((f"Dosing weight: {kg_text(weight.dosing_kg)}, {basis} body weight{actual}",),
                "basis")


def _ibw(height_cm: Decimal, sex: str) -> Decimal:
    inches = height_cm / CM_PER_INCH
    return DEVINE_BASE_KG[sex] + DEVINE_KG_PER_INCH * (inches - DEVINE_FROM_INCHES)


def body_weight(weight_kg: object, height_cm: object, sex: object) -> BodyWeight:
    """Ideal (Devine) and adjusted body weight, and BMI, for an adult."""
    weight = WEIGHT_FIELD.parse(weight_kg)
    height = HEIGHT_FIELD.parse(height_cm)
    sex_id = SEX_FIELD.parse(sex)
    applies = height >= DEVINE_FROM_CM
    ibw = _ibw(height, sex_id)
    warnings = [] if applies else [
        f"The Devine formula is meant for heights of {DEVINE_FROM_CM} cm ({DEVINE_FROM_INCHES} in) "
        "and more; below that the "
        "ideal and adjusted weights are not a dosing basis."]
    metres = height / 100
    bmi = weight / (metres * metres)
    low, high = BMI_HARD
    if not low <= bmi <= high:
        raise InputError("weight_kg", weight_kg,
                         f"Weight (kg) and Height (cm): {weight} kg at {height} cm is a BMI of "
                         f"{round_to(bmi, '0.1')} kg/m²; one of them has a typing or unit slip. "
                         f"Range: a BMI outside {low} to {high} kg/m² cannot be one person's "
                         "(the sources give no BMI range).")
    bmi_warning = BMI_EXPECTED.warning("BMI", round_to(bmi, "0.1"), "kg/m²")
    warnings += [bmi_warning] if bmi_warning else []
    return BodyWeight(
        weight_kg=weight, height_cm=height, sex=sex_id,
        ibw_kg=round_to(ibw, KG_STEP),
        adjbw_kg=round_to(ibw + ADJUSTMENT_FACTOR * (weight - ibw), KG_STEP),
        bmi=round_to(bmi, "0.1"),
        formula_applies=applies, sources=SOURCES, warnings=tuple(warnings),
    )


def dosing_weight(weight_kg: object, weight_basis: object = None, height_cm: object = None,
                  sex: object = None, age: object = None, pregnant: object = None, *,
                  settings: WeightBasisDefault) -> DosingWeight:
    """The weight to dose by, on the chosen basis; height and sex are needed unless actual.

    With no basis given, the institution's default applies (``settings.weight_basis``). Adjusted
    body weight is not used under 18 years or in pregnancy (NBA guidance): the actual weight is,
    with a warning; without an age, the warning asks to confirm. A child (age under 18) gets the
    paediatric warning on any basis.
    """
    actual = WEIGHT_FIELD.parse(weight_kg)
    basis = WEIGHT_BASIS_FIELD.parse(weight_basis) or settings.weight_basis
    # Checked even when not needed: a typo in a field is an error, never silently ignored.
    OPTIONAL_HEIGHT_FIELD.parse_optional(height_cm)
    OPTIONAL_SEX_FIELD.parse(sex)
    years = OPTIONAL_AGE_FIELD.parse_optional(age)
    is_pregnant = PREGNANT_FIELD.parse(pregnant)
    child = years is not None and years < ADULT_AGE_YEARS
    cautions: tuple[str, ...] = (PAEDIATRIC_WARNING,) if child else ()
    excluded = [reason for reason, applies in ((f"under {ADULT_AGE_YEARS} years", child),
                                               ("pregnancy", is_pregnant)) if applies]
    if basis == "adjusted" and excluded:
        return DosingWeight("adjusted", "actual", actual, actual, None, None, SOURCES, (
            f"Adjusted body weight is not used in {' or '.join(excluded)} (NBA guidance): the "
            "actual weight is used.", *cautions))
    if basis == "actual":
        return DosingWeight("actual", "actual", actual, actual, None, None, (), cautions)
    if basis == "adjusted" and years is None:
        cautions = ("Adjusted body weight: no age was given. It is not used under "
                    f"{ADULT_AGE_YEARS} years or in pregnancy (NBA guidance); confirm neither "
                    "applies.",)
    if HEIGHT_FIELD.is_missing(height_cm):
        raise InputError("height_cm", height_cm,
                         f"Height (cm) is required for {basis} body weight.")
    if SEX_FIELD.is_missing(sex):
        raise InputError("sex", sex, f"Sex is required for {basis} body weight.")
    sizes = body_weight(actual, height_cm, sex)
    if not sizes.formula_applies:
        raise InputError("height_cm", height_cm,
                         f"Height (cm): {basis} body weight (Devine) is not defined below "
                         f"{DEVINE_FROM_CM} cm; dose by actual body weight.")
    chosen = sizes.ibw_kg if basis == "ideal" else sizes.adjbw_kg
    if chosen > actual:
        return DosingWeight(basis, "actual", actual, actual, sizes.ibw_kg, sizes.adjbw_kg, SOURCES,
                            (f"The {basis} body weight ({chosen} kg) is more than the actual "
                             "weight; the actual weight is used.", *cautions, *sizes.warnings))
    return DosingWeight(basis, basis, actual, chosen, sizes.ibw_kg, sizes.adjbw_kg, SOURCES,
                        (*cautions, *sizes.warnings))


CALCULATORS = (
    Calculator("body-weight", "Ideal and adjusted body weight, BMI", body_weight,
               (WEIGHT_FIELD, HEIGHT_FIELD, SEX_FIELD),
               example={"weight_kg": "100", "height_cm": "180", "sex": "male"},
               listing=Listing(
                   "Body weight",
                   "ideal (Devine) and adjusted body weight, and BMI",
                   (Cite("nba-ig-dosing"),))),
)
