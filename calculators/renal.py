"""Creatinine clearance (Cockcroft–Gault) and the ganciclovir and valganciclovir rows for it.

CrCl (mL/min) = (140 − age) × weight (kg) / (72 × serum creatinine (mg/dL)), × 0.85 for women;
serum creatinine in µmol/L ÷ 88.4 = mg/dL (Cockcroft & Gault 1976; valganciclovir label).

The clearance picks a row of the ganciclovir IV table (label renal-impairment table) and of the
valganciclovir tablet table (label Table 2). Each row covers its lower bound up to, not including,
the next row's: 69.9 mL/min is in the 50–69 row, 70 in the ≥ 70 row. Bands use the unrounded
clearance, computed exactly, so rounding for display never moves a patient to a higher dose.

Each cell of a table is data: an amount (ganciclovir in mg/kg, valganciclovir in mg) and how
often, or the table's words where it gives no dose. The result gives each dose in mg too: for
ganciclovir the table's mg/kg times the weight entered (the actual body weight, the one
Cockcroft–Gault used; the sources do not say which weight to dose ganciclovir by, and the result
says so). The sources give valganciclovir doses in mg and state no tablet strength, so no tablet
count is given, and the result says why.

On haemodialysis the tables' haemodialysis rows are the answer, whatever the estimate: the
Cockcroft–Gault estimate does not apply on dialysis (the tables give it its own rows), so the
clearance is shown for information only, with that reason. Without haemodialysis, below 10 mL/min
the tables give no dose. A clearance above :data:`CRCL_CEILING` or a creatinine below the field's
expected floor is flagged with what to check.

A :class:`RenalDosing` shows itself (:class:`calculators.layout.Presentable`): the clearance, then
each drug's row with its doses, mg first where the core worked them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, Inexact, localcontext
from fractions import Fraction

from .body_weight import ADULT_AGE_YEARS, SEX_FIELD, WEIGHT_FIELD
from .calculator import Calculator, Cite, Listing
from .display import shown
from .errors import InputError
from .fields import Expectation, FlagField, NumberField
from .layout import Block, Box, Column, Row, Sources, Table, note_blocks, strong, warning_blocks
from .results import Result
from .rounding import round_to

__all__ = [
    "AGE_FIELD",
    "CALCULATORS",
    "CREATININE_MG_DL_FIELD",
    "CREATININE_UMOL_L_FIELD",
    "GANCICLOVIR_ROWS",
    "HAEMODIALYSIS_FIELD",
    "TABLES",
    "VALGANCICLOVIR_ROWS",
    "DrugAdjustment",
    "RenalDosing",
    "RenalRow",
    "TableDose",
    "creatinine_clearance",
]

UMOL_L_PER_MG_DL = Decimal("88.4")
FEMALE_FACTOR = Decimal("0.85")
CRCL_STEP = "0.1"  # mL/min, for display only
NO_DIALYSIS_BELOW = Decimal(10)  # the tables' rows below 10 mL/min are for haemodialysis only
# The sources give no upper limit; above this a clearance is more likely an entry to check.
CRCL_CEILING = Decimal(150)
SOURCES = ("cockcroft-gault-1976", "ganciclovir-label", "valganciclovir-label")

# A plausibility bound that also keeps (140 - age) positive.
_OLDEST_YEARS = Decimal(120)
AGE_FIELD = NumberField(
    name="age", label="Age (years)",
    # Adults: the formula and both drug tables are adult dosing; children need another estimate.
    hint=f"Adults, {ADULT_AGE_YEARS} to {_OLDEST_YEARS} years: Cockcroft–Gault and the drug "
         "tables are for adults.",
    unit="years", minimum_exclusive=None, minimum=ADULT_AGE_YEARS, maximum=_OLDEST_YEARS,
    example="60", integer=True,
    range_reason="Cockcroft–Gault and both drug tables are adult dosing; above {maximum} is a "
                 "typing slip.", range_source="cockcroft-gault-1976",
    expected=Expectation(None, Decimal(100), "check the age; (140 − age) gets small near 140"),
)
_CREATININE_EXPECTED_REASON = (
    "check the value and its unit against the lab report (µmol/L typed as mg/dL, or the other "
    "way); a very low creatinine makes the estimate very high")
# Plausibility bounds, the same in both units: 0.1 to 25 mg/dL = 8.84 to 2,210 µmol/L.
CREATININE_MG_DL_FIELD = NumberField(
    name="creatinine_mg_dl", label="Serum creatinine (mg/dL)",
    hint="Give this or serum creatinine in µmol/L, not both.",
    unit="mg/dL", minimum=Decimal("0.1"), maximum=Decimal(25), example="1.1", optional=True,
    needed=True,  # this or µmol/L: Cockcroft–Gault needs a creatinine
    range_reason="outside 0.1 to 25 mg/dL is a typing or unit slip.",
    expected=Expectation(Decimal("0.4"), Decimal(15), _CREATININE_EXPECTED_REASON),
)
CREATININE_UMOL_L_FIELD = NumberField(
    name="creatinine_umol_l", label="Serum creatinine (µmol/L)",
    hint="Give this or serum creatinine in mg/dL, not both.",
    unit="µmol/L", minimum=Decimal("8.84"), maximum=Decimal(2210), example="97",
    other_units=(("umol/L", Decimal(1)),), optional=True, needed=True,
    range_reason="outside 8.84 to 2,210 µmol/L (0.1 to 25 mg/dL) is a typing or unit slip.",
    expected=Expectation(Decimal("35.36"), Decimal(1326), _CREATININE_EXPECTED_REASON),
)
HAEMODIALYSIS_FIELD = FlagField(
    name="haemodialysis", label="On haemodialysis",
    hint="Yes: the tables' haemodialysis rows apply, whatever the estimated clearance.",
    needed=True,  # unticked means "not on haemodialysis", which picks the rows
)


@dataclass(frozen=True, slots=True)
class TableDose(Result):
    """One cell of a table: ``amount`` in ``unit`` and how often, or (amount None) the table's
    words where it gives no dose."""

    amount: Decimal | None
    unit: str  # "mg/kg" or "mg"
    frequency: str

    @property
    def text(self) -> str:
        """The cell as the table prints it: '5 mg/kg every 12 h'."""
        return self.frequency if self.amount is None else (
            f"{self.amount} {self.unit} {self.frequency}")

    def mg(self, weight_kg: Decimal) -> Decimal | None:
        """The dose in mg for ``weight_kg`` (a dose in mg/kg), or the dose in mg; None if none."""
        if self.amount is None:
            return None
        return self.amount * weight_kg if self.unit == MG_PER_KG else self.amount


@dataclass(frozen=True, slots=True)
class RenalRow(Result):
    """One table row: CrCl from ``min_crcl`` (inclusive) up to ``below_crcl`` (exclusive)."""

    drug: str
    row: str  # the table's own CrCl column, in mL/min
    min_crcl: Decimal | None
    below_crcl: Decimal | None
    haemodialysis: bool
    induction: str  # as the table prints it
    maintenance: str
    source: str
    induction_dose: TableDose
    maintenance_dose: TableDose


Cell = tuple[str | None, str]  # (amount, how often), or (None, the table's words)


def _row(drug: str, source: str, unit: str, row: str, low: int | None, below: int | None,
         induction: Cell, maintenance: Cell) -> RenalRow:
    doses = [TableDose(None if amount is None else Decimal(amount), unit, frequency)
             for amount, frequency in (induction, maintenance)]
    # The only rows without a lower bound are the "< 10 on haemodialysis" rows.
    return RenalRow(drug, row, None if low is None else Decimal(low),
                    None if below is None else Decimal(below), low is None, doses[0].text,
                    doses[1].text, source, doses[0], doses[1])


MG_PER_KG = "mg/kg"
GANCICLOVIR_ROWS: tuple[RenalRow, ...] = tuple(
    _row("ganciclovir", "ganciclovir-label", MG_PER_KG, *columns)
    for columns in (
        ("≥ 70", 70, None, ("5", "every 12 h"), ("5", "every 24 h")),
        ("50–69", 50, 70, ("2.5", "every 12 h"), ("2.5", "every 24 h")),
        ("25–49", 25, 50, ("2.5", "every 24 h"), ("1.25", "every 24 h")),
        ("10–24", 10, 25, ("1.25", "every 24 h"), ("0.625", "every 24 h")),
        ("< 10 on haemodialysis", None, 10, ("1.25", "3 times a week, after dialysis"),
         ("0.625", "3 times a week, after dialysis")),
    )
)
VALGANCICLOVIR_ROWS: tuple[RenalRow, ...] = tuple(
    _row("valganciclovir", "valganciclovir-label", "mg", *columns)
    for columns in (
        ("≥ 60", 60, None, ("900", "twice daily"), ("900", "once daily")),
        ("40–59", 40, 60, ("450", "twice daily"), ("450", "once daily")),
        ("25–39", 25, 40, ("450", "once daily"), ("450", "every 2 days")),
        ("10–24", 10, 25, ("450", "every 2 days"), ("450", "twice weekly")),
        ("< 10 on haemodialysis", None, 10,
         (None, "tablets not recommended (label gives no tablet dose)"),
         (None, "not recommended")),
    )
)
# What the result says about the doses in mg: which weight, and why no tablet count.
WEIGHT_NOTE = ("Ganciclovir in mg: the table's mg/kg × {weight} kg, the actual body weight entered "
               "(the weight Cockcroft–Gault used). The sources do not say whether to dose "
               "ganciclovir by actual or ideal body weight: check the local protocol.")
TABLET_NOTE = ("Valganciclovir: the label table gives each dose in mg. The sources here state no "
               "tablet strength, so no tablet count is given: count tablets from the product "
               "dispensed.")

TABLES = {"ganciclovir": GANCICLOVIR_ROWS, "valganciclovir": VALGANCICLOVIR_ROWS}


@dataclass(frozen=True, slots=True)
class DrugAdjustment(Result):
    """The row that applies to one drug; all None when the table gives no dose."""

    drug: str
    row: str | None
    induction: str | None
    maintenance: str | None  # valganciclovir: maintenance and prevention
    source: str
    # Each dose in mg (ganciclovir: for the dose weight; exact), None where the table gives none.
    induction_mg: Decimal | None = None
    maintenance_mg: Decimal | None = None


@dataclass(frozen=True, slots=True)
class RenalDosing(Result):
    age: Decimal
    weight_kg: Decimal
    sex: str
    creatinine_mg_dl: Decimal
    creatinine_umol_l: Decimal | None  # as given, when given in µmol/L
    haemodialysis: bool
    crcl_applies: bool  # False on haemodialysis: the estimate is shown for information only
    formula: str
    crcl_ml_min: Decimal  # exact where the division ends, else to 28 significant digits
    crcl_is_exact: bool
    crcl_ml_min_rounded: Decimal  # to 0.1 mL/min, for display; bands use crcl_ml_min
    ganciclovir: DrugAdjustment
    valganciclovir: DrugAdjustment
    dose_weight_kg: Decimal  # the weight the mg/kg doses are for
    dose_weight_basis: str  # "actual": the weight entered
    notes: tuple[str, ...]  # which weight, and why no tablet count
    sources: tuple[str, ...]
    warnings: tuple[str, ...]

    def explanation(self) -> str:
        return self.formula

    def blocks(self, hazards: Sequence[str]) -> tuple[Block, ...]:
        caption = ("Antiviral doses for this clearance (label tables)" if self.crcl_applies
                   else "Antiviral doses on haemodialysis (label tables)")
        applies = () if self.crcl_applies else (" (for information only: on haemodialysis)",)
        return (
            Box("answer", (("Creatinine clearance (Cockcroft–Gault): ",
                            strong(f"{shown(self.crcl_ml_min_rounded, 'ml_min')} mL/min"),
                            *applies),)),
            *warning_blocks(hazards),
            Table(caption, (Column("Drug", lead=True), Column("CrCl row (mL/min)", lead=True),
                            Column("Induction"), Column("Maintenance / prevention")),
                  (_drug_row(self.ganciclovir, True), _drug_row(self.valganciclovir, False))),
            # The notes say which weight the mg are for, and why there is no tablet count.
            *note_blocks(self.notes), Sources(self.sources),
        )


def _table_dose(text: str | None, mg: Decimal | None) -> str:
    """A dose as the label table gives it, with its mg first where the core worked them out."""
    if text is None:
        return "no dose in the table"
    return text if mg is None else f"{shown(mg, 'mg')} mg ({text})"


def _drug_row(d: DrugAdjustment, in_mg: bool) -> Row:
    # Ganciclovir's mg are for the weight the result names; valganciclovir's as the table says.
    return Row(((d.drug,), (d.row or "—",),
                (_table_dose(d.induction, d.induction_mg if in_mg else None),),
                (_table_dose(d.maintenance, d.maintenance_mg if in_mg else None),)))


def _find_row(rows: tuple[RenalRow, ...], crcl: Fraction, haemodialysis: bool) -> RenalRow | None:
    """The haemodialysis row on haemodialysis, whatever ``crcl``; else the row for ``crcl``."""
    for row in rows:
        in_band = ((row.min_crcl is None or crcl >= row.min_crcl)
                   and (row.below_crcl is None or crcl < row.below_crcl))
        if row.haemodialysis == haemodialysis and (haemodialysis or in_band):
            return row
    return None


def _adjustment(drug: str, row: RenalRow | None, source: str,
                weight_kg: Decimal) -> DrugAdjustment:
    if row is None:
        return DrugAdjustment(drug, None, None, None, source)
    return DrugAdjustment(drug, row.row, row.induction, row.maintenance, source,
                          row.induction_dose.mg(weight_kg), row.maintenance_dose.mg(weight_kg))


def _creatinine(mg_dl: object, umol_l: object) -> tuple[Fraction, Decimal | None, str]:
    """Serum creatinine in mg/dL (exact), the µmol/L value if given, and the formula's text."""
    given_mg = not CREATININE_MG_DL_FIELD.is_missing(mg_dl)
    given_umol = not CREATININE_UMOL_L_FIELD.is_missing(umol_l)
    if given_mg and given_umol:
        raise InputError("creatinine_umol_l", umol_l,
                         "Serum creatinine: give it in mg/dL or in µmol/L, not both.")
    if given_umol:
        umol = CREATININE_UMOL_L_FIELD.parse(umol_l)
        return (Fraction(umol) / Fraction(UMOL_L_PER_MG_DL), umol,
                f"({umol} µmol/L ÷ {UMOL_L_PER_MG_DL})")
    if not given_mg:
        raise InputError("creatinine_mg_dl", mg_dl,
                         "Serum creatinine is required, in mg/dL or in µmol/L.")
    mg = CREATININE_MG_DL_FIELD.parse(mg_dl)
    return Fraction(mg), None, f"{mg} mg/dL"


def _decimal(value: Fraction) -> tuple[Decimal, bool]:
    """``value`` as a Decimal, and whether that is exact (else 28 significant digits)."""
    with localcontext() as context:
        context.clear_flags()
        result = Decimal(value.numerator) / Decimal(value.denominator)
        return result, not context.flags[Inexact]


def creatinine_clearance(age: object, weight_kg: object, sex: object,
                         creatinine_mg_dl: object = None, creatinine_umol_l: object = None,
                         haemodialysis: object = None) -> RenalDosing:
    """Cockcroft–Gault creatinine clearance and the ganciclovir and valganciclovir rows for it.

    Give serum creatinine in exactly one unit. Raises :class:`~calculators.errors.InputError`
    naming the field for bad input.
    """
    years = AGE_FIELD.parse(age)
    weight = WEIGHT_FIELD.parse(weight_kg)
    sex_id = SEX_FIELD.parse(sex)
    creatinine, umol, creatinine_text = _creatinine(creatinine_mg_dl, creatinine_umol_l)
    dialysis = HAEMODIALYSIS_FIELD.parse(haemodialysis)

    # Exact rational arithmetic: a band edge (70, 50, ...) is never blurred by rounding.
    crcl = Fraction(140 - years) * Fraction(weight) / (72 * creatinine)
    formula = f"(140 − {years}) × {weight} kg / (72 × {creatinine_text})"
    if sex_id == "female":
        crcl *= Fraction(FEMALE_FACTOR)
        formula += f" × {FEMALE_FACTOR}"
    crcl_decimal, exact = _decimal(crcl)
    rounded = round_to(crcl_decimal, CRCL_STEP)

    rows = {drug: _find_row(table, crcl, dialysis) for drug, table in TABLES.items()}
    warnings: list[str] = []
    if not dialysis and any(_find_row(table, Fraction(rounded), dialysis) is not rows[drug]
                            for drug, table in TABLES.items()):
        chosen = "; ".join(f"{drug}: {row.row if row else 'no row'}" for drug, row in rows.items())
        warnings.append(f"CrCl {crcl_decimal} mL/min is shown as {rounded} mL/min, across a table "
                        f"boundary; the rows are chosen on the unrounded value ({chosen}).")
    ganciclovir = _adjustment("ganciclovir", rows["ganciclovir"], "ganciclovir-label", weight)
    valganciclovir = _adjustment("valganciclovir", rows["valganciclovir"], "valganciclovir-label",
                                 weight)

    if crcl < NO_DIALYSIS_BELOW and not dialysis:
        warnings.append("CrCl below 10 mL/min without haemodialysis: the ganciclovir and "
                        "valganciclovir tables give no dose.")
    if dialysis:
        warnings.append(f"On haemodialysis: the haemodialysis rows apply, whatever the estimate. "
                        f"Cockcroft–Gault does not apply on dialysis: its CrCl "
                        f"({rounded} mL/min) is shown for information only, and the tables give "
                        "haemodialysis its own rows.")
        warnings.append("Valganciclovir tablets are not recommended on haemodialysis: the label "
                        "gives no tablet dose; oral-solution doses are unverified here. "
                        "Ganciclovir doses are given after dialysis.")
    if crcl > CRCL_CEILING:
        warnings.append(f"CrCl {rounded} mL/min is above {CRCL_CEILING} mL/min: check the weight, "
                        "the age, and the creatinine and its unit against the lab report before "
                        "using the ≥ 70 "
                        "(ganciclovir) and ≥ 60 (valganciclovir) rows. The sources give no upper "
                        "limit: this is a plausibility check.")

    return RenalDosing(
        age=years, weight_kg=weight, sex=sex_id,
        creatinine_mg_dl=_decimal(creatinine)[0], creatinine_umol_l=umol,
        haemodialysis=dialysis, crcl_applies=not dialysis, formula=formula,
        crcl_ml_min=crcl_decimal, crcl_is_exact=exact, crcl_ml_min_rounded=rounded,
        ganciclovir=ganciclovir, valganciclovir=valganciclovir,
        dose_weight_kg=weight, dose_weight_basis="actual",
        notes=(WEIGHT_NOTE.format(weight=weight), TABLET_NOTE),
        sources=SOURCES, warnings=tuple(warnings),
    )


CALCULATORS = (
    Calculator("crcl", "Creatinine clearance and antiviral dose rows", creatinine_clearance,
               (AGE_FIELD, WEIGHT_FIELD, SEX_FIELD, CREATININE_MG_DL_FIELD,
                CREATININE_UMOL_L_FIELD, HAEMODIALYSIS_FIELD),
               example={"age": "60", "weight_kg": "70", "sex": "female",
                        "creatinine_mg_dl": "1.2"},
               listing=Listing(
                   "Creatinine clearance",
                   "Cockcroft–Gault clearance and the matching ganciclovir and valganciclovir "
                   "rows",
                   (Cite("cockcroft-gault-1976"), Cite("ganciclovir-label"),
                    Cite("valganciclovir-label")))),
)
