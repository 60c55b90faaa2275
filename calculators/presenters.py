"""How each kind of result is shown, and how it was calculated, in the core's own words.

:func:`present` turns a calculator's result into the blocks of :mod:`calculators.layout`, which
the page draws with one generic renderer: the answer a nurse acts on first, then the hazards
(the inputs outside their expected range, then the result's own warnings), the detail, the quiet
notes, the sources and a "how this was calculated" line. :func:`explanation` is that line: the
formula with this result's numbers in it, written from the constants the calculation itself
uses (the Devine weights, the adjustment factor, the strength of the product, the label's cap),
so it can never state another rule than the one that ran.

Each result type has its presenter in :data:`PRESENTERS` (a result's type says how it is shown,
so no calculator name is repeated here). Figures are shown with :mod:`calculators.display`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from .body_weight import (
    ADJUSTMENT_FACTOR,
    CM_PER_INCH,
    DEVINE_BASE_KG,
    DEVINE_FROM_INCHES,
    DEVINE_KG_PER_INCH,
    BodyWeight,
    DosingWeight,
)
from .criteria import CmvigCriteria, CriterionResult
from .display import date_text, duration, number, shown
from .hsct import AtgGroup, StudyOutcome
from .infusion import InfusionPlan, InfusionStep, RatePlan
from .layout import (
    Block,
    Box,
    Column,
    Folded,
    Items,
    Line,
    Part,
    Row,
    Sources,
    Table,
    Total,
    figure_of,
    strong,
    when,
)
from .prophylaxis import ProphylaxisSchedule
from .regimens import Option, RegimenSchedule
from .renal import DrugAdjustment, RenalDosing
from .schedule import Dose
from .units import UnitConversion
from .vials import VialPlan
from .viral_load import SCHULZ_PCR_LOG10, Measurement, ViralLoad

__all__ = ["present", "explanation", "PRESENTERS", "EXPLANATIONS"]


def _kg(value: Decimal) -> str:
    return f"{shown(value, 'kg')} kg"


def _mg(value: Decimal) -> str:
    return f"{shown(value, 'mg')} mg"


def _ml(value: Decimal) -> str:
    return f"{shown(value, 'ml')} mL"


def _ml_h(value: Decimal) -> str:
    return f"{shown(value, 'rate_ml_h')} mL/h"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# ---- the parts every result shares -------------------------------------------------------

def _warnings(warnings: Sequence[str]) -> tuple[Block, ...]:
    """The hazards, in one style that stands out; nothing when there are none."""
    if not warnings:
        return ()
    return (Box("warnings", tuple((strong("Warning: "), warning) for warning in warnings)),)


def _notes(notes: Sequence[str]) -> tuple[Block, ...]:
    """Notes true of this answer, quiet, at the end; nothing when there are none."""
    return (Items(tuple((note,) for note in notes), "notes", "Notes"),) if notes else ()


def _weight_line(weight: DosingWeight) -> Line:
    basis = {"actual": "actual", "ideal": "ideal (Devine)", "adjusted": "adjusted"}[weight.basis]
    actual = "." if weight.basis == "actual" else f" (actual {_kg(weight.actual_kg)})."
    return Line((f"Dosing weight: {_kg(weight.dosing_kg)}, {basis} body weight{actual}",),
                "basis")


# ---- vials and dated doses ---------------------------------------------------------------

def _discard(plan: VialPlan) -> str:
    return f"; discard {_ml(plan.left_over_ml)}" if plan.left_over_ml > 0 else ""


def _vial_sizes(plan: VialPlan) -> str:
    return " + ".join(f"{v.count} × {number(v.vial_ml)} mL" for v in plan.vials)


def _vials_to_open(plan: VialPlan) -> str:
    """The vials to open, and what is left to discard, apart from the dose to give."""
    return _vial_sizes(plan) + _discard(plan)


def _vials_short(plan: VialPlan) -> str:
    if len(plan.vials) == 1:
        return f"{_plural(plan.vial_count, 'vial')} ({number(plan.vials[0].vial_ml)} mL)"
    return f"{_vial_sizes(plan)} vials"


def _to_give(plan: VialPlan) -> str:
    """The dose to give, with how far whole vials moved it from the calculated dose."""
    if not plan.difference_pct:
        return shown(plan.rounded_mg, "mg")
    sign = "+" if plan.difference_pct > 0 else ""
    return f"{shown(plan.rounded_mg, 'mg')} ({sign}{shown(plan.difference_pct, 'percent')} %)"


def _dose_parts(plan: VialPlan) -> tuple[Part, ...]:
    """"10,500 mg = 210 mL = 5 vials (50 mL)": the dose to give, its volume, the vials."""
    parts: tuple[Part, ...] = (figure_of("mg", _mg(plan.rounded_mg)), " = ",
                               figure_of("ml", _ml(plan.rounded_ml)), " = ",
                               figure_of("vials", _vials_short(plan)))
    return parts + ((_discard(plan),) if plan.left_over_ml > 0 else ())


def _schedule_answer(doses: tuple[Dose, ...], rounded_mg: Decimal, vials: int) -> Box:
    """One line per run of equal doses to give, then the course."""
    runs: list[list[Dose]] = []
    for dose in doses:
        if runs and runs[-1][-1].vials.rounded_mg == dose.vials.rounded_mg:
            runs[-1].append(dose)
        else:
            runs.append([dose])
    lines: list[tuple[Part, ...]] = []
    for run in runs:
        named = (f"Dose {run[0].number}" if len(run) == 1
                 else f"Doses {run[0].number}–{run[-1].number}")
        lines.append((strong(f"{named}: "), *_dose_parts(run[0].vials)))
    lines.append((f"Course: {_plural(len(doses), 'dose')}, {_mg(rounded_mg)}, {vials} vials.",))
    return Box("answer", tuple(lines))


def _schedule_table(caption: str, doses: tuple[Dose, ...], named: Callable[[Dose], str],
                    total: tuple[Decimal, Decimal, Decimal, int]) -> Table:
    """The dated doses, each row found again by its number on a recompute; "To give (mg)" only
    where a dose was rounded to whole vials (otherwise it repeats the dose)."""
    any_rounded = any(d.vials.rounded_mg != d.dose_mg for d in doses)
    to_give = (Column("To give (mg)", quantity="mg"),) if any_rounded else ()
    columns = (Column("Dose", lead=True), Column("Date", lead=True), Column("When", lead=True),
               Column("mg/kg", numeric=True), Column("Dose (mg)", quantity="mg"),
               Column("Volume (mL)", quantity="ml"), *to_give,
               Column("Vials to open", quantity="vials"))

    def row(d: Dose) -> Row:
        per_kg = "fixed" if d.mg_per_kg is None else shown(d.mg_per_kg, "mg_per_kg")
        cells = ((str(d.number),), (when(d.date, date_text(d.date)),), (named(d),), (per_kg,),
                 (shown(d.dose_mg, "mg"),), (shown(d.volume_ml, "ml"),),
                 *(((_to_give(d.vials),),) if any_rounded else ()), (_vials_to_open(d.vials),))
        return Row(cells, key=f"dose {d.number}", dose_mg=d.dose_mg)

    mg, ml, rounded_mg, vials = total
    rounded_total = ((shown(rounded_mg, "mg"),),) if any_rounded else ()
    return Table(caption, columns, tuple(row(d) for d in doses), Total(
        "Total", 4, ((shown(mg, "mg"),), (shown(ml, "ml"),), *rounded_total, (f"{vials} vials",))))


# ---- infusion-rate steps -----------------------------------------------------------------

def _rate(step: InfusionStep) -> str:
    """A step's pump rate: "up to 75 mL/h (capped)"."""
    return (("up to " if step.rate_is_limit else "") + _ml_h(step.rate_ml_h)
            + (" (capped)" if step.capped else ""))


_STEP_COLUMNS = (
    Column("Step", lead=True), Column("From", numeric=True, lead=True),
    Column("For", numeric=True, lead=True), Column("Rate (mL/h)", quantity="rate"),
    Column("Label rate", numeric=True), Column("Instruction", wide=True),
)


def _step_row(step: InfusionStep) -> Row:
    # The label rate in the unit the label speaks in (CytoGam mg/kg/h, Cytotect CP mL/kg/h).
    label_rate = (f"{shown(step.rate_ml_per_kg_h, 'ml_per_kg_h')} mL/kg/h"
                  if step.label_rate_unit == "mL/kg/h"
                  else f"{shown(step.rate_mg_per_kg_h, 'mg_per_kg_h')} mg/kg/h")
    lasts = "until done" if step.duration_min is None else duration(step.duration_min)
    return Row(((str(step.number),), (duration(step.start_min),), (lasts,), (_rate(step),),
                (label_rate,), (step.instruction,)))


def _steps_table(caption: str, steps: tuple[InfusionStep, ...]) -> Table:
    return Table(caption, _STEP_COLUMNS, tuple(_step_row(s) for s in steps))


_INFUSIONS = {"first": "First infusion", "later": "Later infusions", "every": "Every infusion"}


def _rate_plans(plans: tuple[RatePlan, ...], product_name: str,
                weight: DosingWeight) -> tuple[Block, ...]:
    """The label's rate plans at the actual weight, folded under a schedule (printed open)."""
    if not plans:
        return ()
    return (Folded("rate-plans",
                   "Infusion-rate plan for the first and later doses (label rates, actual weight)",
                   tuple(_steps_table(f"{_INFUSIONS[p.infusions]}: {product_name}, "
                                      f"{_kg(weight.actual_kg)}", p.steps) for p in plans)),)


# ---- each result -------------------------------------------------------------------------

def _first_dose(first: Dose, weight_kg: Decimal) -> str:
    assert first.mg_per_kg is not None  # per-kg schedules; fixed doses are said otherwise
    return (f"Dose = mg/kg × dosing weight (first dose: {shown(first.mg_per_kg, 'mg_per_kg')} × "
            f"{_kg(weight_kg)} = {_mg(first.dose_mg)})")


def _prophylaxis_how(r: ProphylaxisSchedule) -> str:
    first = r.doses[0]
    return (f"{_first_dose(first, r.weight_kg)}; volume = dose ÷ {number(r.mg_per_ml)} mg/mL "
            f"({_ml(first.volume_ml)}); vials under rounding \"{r.rounding}\".")


def _prophylaxis(r: ProphylaxisSchedule, warnings: Sequence[str]) -> tuple[Block, ...]:
    caption = (f"{r.product_name} prophylaxis: {r.organ} transplant on "
               f"{date_text(r.transplant_date)}, {_kg(r.weight_kg)}, {number(r.mg_per_ml)} mg/mL, "
               f"rounding: {r.rounding}")

    def named(d: Dose) -> str:
        if d.day == 0:
            return "transplant day"
        return f"week {d.week}" if d.week is not None else f"day {d.day}"

    return (
        _schedule_answer(r.doses, r.total_rounded_mg, r.total_vials), *_warnings(warnings),
        _weight_line(r.weight),
        _schedule_table(caption, r.doses, named,
                        (r.total_mg, r.total_ml, r.total_rounded_mg, r.total_vials)),
        Line((f"Rule: {r.rule}",), "rule"), *_rate_plans(r.rate_plans, r.product_name, r.weight),
        *_notes(r.notes), Sources(r.sources),
    )


def _regimen_how(r: RegimenSchedule) -> str:
    first = r.doses[0]
    volume = f"volume = dose ÷ {number(r.mg_per_ml)} mg/mL."
    if first.mg_per_kg is None:
        return f"Fixed dose from the source: {_mg(first.dose_mg)}; {volume}"
    return f"{_first_dose(first, r.weight_kg)}; {volume}"


def _option(o: Option) -> tuple[Part, ...]:
    dates = f" — {', '.join(date_text(d) for d in o.dates)}" if o.dates else ""
    return (f"{o.label}: {_mg(o.dose_mg)} ({_ml(o.volume_ml)}), {o.frequency}{dates}. "
            f"Source wording: “{o.quote.text}”",)


def _regimen(r: RegimenSchedule, warnings: Sequence[str]) -> tuple[Block, ...]:
    caption = (f"{r.title}: {r.product_name}, {_kg(r.weight_kg)}, from "
               f"{date_text(r.start_date)}, rounding: {r.rounding}")
    open_course = () if r.course_complete else (Line((
        "The source leaves the number of doses open: the totals cover the doses shown only.",)),)
    options = (Items(tuple(_option(o) for o in r.options), None,
                     "Options the source offers (not included above):"),) if r.options else ()
    quotes = (Items(tuple((f"“{q.text}”",) for q in r.wording), "quotes"),) if r.wording else ()
    return (
        _schedule_answer(r.doses, r.total_rounded_mg, r.total_vials),
        Line((strong("For: "), f"{r.setting_label}. ", strong("Evidence: "), f"{r.evidence}."),
             "evidence"),
        *_warnings(warnings), _weight_line(r.dosing_weight),
        _schedule_table(caption, r.doses, lambda d: f"day {d.day}: {d.phase}",
                        (r.total_mg, r.total_ml, r.total_rounded_mg, r.total_vials)),
        *open_course, *options, *quotes,
        *_rate_plans(r.rate_plans, r.product_name, r.dosing_weight), *_notes(r.notes),
        Sources(r.sources),
    )


def _units_how(r: UnitConversion) -> str:
    units = "." if r.units_per_ml is None else f"; U = mL × {number(r.units_per_ml)} U/mL."
    return f"mL = mg ÷ {number(r.mg_per_ml)} mg/mL{units}"


def _units(r: UnitConversion, warnings: Sequence[str]) -> tuple[Block, ...]:
    plan = r.vial_plan
    units: tuple[Part, ...] = () if r.units is None else (f"{shown(r.units, 'units')} U = ",)
    rounded = plan.rounded_mg != plan.calculated_mg
    columns = (Column("mg", quantity="mg"), Column("Units (U)", numeric=True),
               Column("mL", quantity="ml"),
               *((Column("To give (mg)", quantity="mg"),) if rounded else ()),
               Column("Vials to open", quantity="vials"))
    cells = ((shown(r.mg, "mg"),),
             ("not labelled" if r.units is None else shown(r.units, "units"),),
             (shown(r.ml, "ml"),), *(((_to_give(plan),),) if rounded else ()),
             (_vials_to_open(plan),))
    return (
        Box("answer", ((*units, *_dose_parts(plan)),)), *_warnings(warnings),
        Table(f"{number(r.amount)} {r.unit} of {r.product_name}", columns, (Row(cells),)),
        *_notes(r.notes), Sources(r.sources),
    )


def _infusion_how(r: InfusionPlan) -> str:
    cap = "" if r.max_rate_ml_h is None else f"never above {_ml_h(r.max_rate_ml_h)}, "
    return (f"Rate (mL/h) = mg/kg/h × {_kg(r.weight_kg)} ÷ {number(r.mg_per_ml)} mg/mL, {cap}"
            "rounded down to whole mL/h.")


def _infusion(r: InfusionPlan, warnings: Sequence[str]) -> tuple[Block, ...]:
    first, *later = r.steps
    start: tuple[Part, ...] = (strong("Start at "), figure_of("rate", _ml_h(first.rate_ml_h)))
    for step in later:
        start += (f"; from {duration(step.start_min)}, ", figure_of("rate", _rate(step)))
    lines = [start]
    if r.dose_mg is not None:
        assert r.dose_ml is not None  # given with the dose
        takes = ("" if r.duration_min is None
                 else f": takes {duration(r.duration_min)} at these rates")
        lines.append((figure_of("mg", _mg(r.dose_mg)), " = ", figure_of("ml", _ml(r.dose_ml)),
                      *((takes,) if takes else ())))
    caption = (f"{r.product_name}, {_kg(r.weight_kg)}, "
               f"{'first' if r.first_infusion else 'later'} infusion")
    method = () if r.dose_mg is None else (r.duration_method,)
    return (Box("answer", tuple(lines)), *_warnings(warnings), _steps_table(caption, r.steps),
            *_notes((*method, *r.notes)), Sources(r.sources))


def _body_weight_how(r: BodyWeight) -> str:
    inches = r.height_cm / CM_PER_INCH
    return (f"Ideal (Devine) = {number(DEVINE_BASE_KG[r.sex])} kg + {number(DEVINE_KG_PER_INCH)} "
            f"kg per inch over {number(DEVINE_FROM_INCHES)} in ({shown(r.height_cm, 'cm')} cm = "
            f"{shown(inches, 'cm')} in); adjusted = ideal + {number(ADJUSTMENT_FACTOR)} × "
            "(actual − ideal); BMI = kg ÷ m².")


def _body_weight(r: BodyWeight, warnings: Sequence[str]) -> tuple[Block, ...]:
    bmi = shown(r.bmi, "bmi")
    return (
        Box("answer", ((f"Ideal {_kg(r.ibw_kg)}; adjusted {_kg(r.adjbw_kg)}; BMI {bmi} kg/m²",),)),
        *_warnings(warnings),
        Table(f"{_kg(r.weight_kg)}, {shown(r.height_cm, 'cm')} cm, {r.sex}",
              (Column("Ideal body weight (kg)", numeric=True),
               Column("Adjusted body weight (kg)", numeric=True),
               Column("BMI (kg/m²)", numeric=True)),
              (Row(((shown(r.ibw_kg, "kg"),), (shown(r.adjbw_kg, "kg"),), (bmi,))),)),
        Sources(r.sources),
    )


def _viral_load_how(r: ViralLoad) -> str:
    copies = shown(r.copies_per_ml or Decimal(0), "copies")
    return (f"log10 of {copies} copies/mL; change = current − previous log10; fold change = "
            "current ÷ previous.")


def _log10(m: Measurement) -> str:
    return "not detected" if m.log10_display is None else shown(m.log10_display, "log10")


def _viral_load(r: ViralLoad, warnings: Sequence[str]) -> tuple[Block, ...]:
    change = ""
    if r.log10_change_display is not None:
        sign = "+" if r.log10_change_display > 0 else ""
        fold = ("" if r.fold_change_display is None
                else f", {shown(r.fold_change_display, 'fold')}-fold")
        change = f"; change {sign}{shown(r.log10_change_display, 'log10')} log10{fold}"
    measured = [("Current", r.current)] + ([] if r.previous is None
                                           else [("Previous", r.previous)])
    met = {None: "needs a previous result", True: "met", False: "not met"}
    return (
        Box("answer", ((f"{shown(r.current.copies_per_ml_display, 'copies')} copies/mL = "
                        f"{_log10(r.current)} log10{change}",),)),
        *_warnings(warnings),
        Table("CMV DNA", (Column("Result"), Column("copies/mL", numeric=True),
                          Column("log10", numeric=True)),
              tuple(Row(((label,), (shown(m.copies_per_ml_display, "copies"),), (_log10(m),)))
                    for label, m in measured)),
        Items(tuple((f"{f.threshold}: {met[f.met]}. {f.note}",) for f in r.flags), "flags"),
        *_notes(r.notes), Sources(r.sources),
    )


def _atg_how(r: AtgGroup) -> str:
    return f"Group by the study's definition: {r.definition}."


def _atg(r: AtgGroup, warnings: Sequence[str]) -> tuple[Block, ...]:
    start = f"; CMV-IVIG start: {r.start}" if r.start else ""

    # Both starts, always (the study's comparison); the patient's row is marked.
    def row(o: StudyOutcome) -> Row:
        this = o.start == r.start
        return Row(((f"{o.start} (this patient)" if this else o.start,),
                    (o.two_week_response_rate.printed,), (o.median_days_to_conversion.printed,),
                    (o.reactivation_rate.printed,)), marked=this)

    return (
        Box("answer", ((f"ATG group: {r.group} dose ({r.definition}){start}",),)),
        *_warnings(warnings),
        Table("What the HSCT study found for this group, early and late start",
              (Column("Start", lead=True), Column("Two-week response"),
               Column("Median days to CMV-DNA conversion"), Column("Reactivation")),
              tuple(row(o) for o in r.outcomes)),
        *_notes(r.notes), Sources(r.sources),
    )


def _criteria_how(r: CmvigCriteria) -> str:
    return (f"{len(r.met)} of {len(r.criteria)} criteria met: each ticked box, and (iii) also "
            f"from a viral load above {SCHULZ_PCR_LOG10} log10, rising, on antivirals, with "
            "symptoms.")


def _criteria(r: CmvigCriteria, warnings: Sequence[str]) -> tuple[Block, ...]:
    def row(c: CriterionResult) -> Row:
        return Row(((f"({c.numeral})" if c.numeral else "—",), (c.label,),
                    ("yes" if c.met else "no",), (f"“{c.quote}”",)))

    return (
        Box("answer", ((r.reason,),)), *_warnings(warnings),
        Table("Criteria for considering CMVIG (thoracic review)",
              (Column("No.", lead=True), Column("Criterion", wide=True), Column("Met", lead=True),
               Column("Source wording", wide=True)),
              tuple(row(c) for c in r.criteria)),
        *_notes(r.notes), Sources(r.sources),
    )


def _renal_how(r: RenalDosing) -> str:
    return r.formula


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


def _renal(r: RenalDosing, warnings: Sequence[str]) -> tuple[Block, ...]:
    caption = ("Antiviral doses for this clearance (label tables)" if r.crcl_applies
               else "Antiviral doses on haemodialysis (label tables)")
    applies = () if r.crcl_applies else (" (for information only: on haemodialysis)",)
    return (
        Box("answer", (("Creatinine clearance (Cockcroft–Gault): ",
                        strong(f"{shown(r.crcl_ml_min_rounded, 'ml_min')} mL/min"), *applies),)),
        *_warnings(warnings),
        Table(caption, (Column("Drug", lead=True), Column("CrCl row (mL/min)", lead=True),
                        Column("Induction"), Column("Maintenance / prevention")),
              (_drug_row(r.ganciclovir, True), _drug_row(r.valganciclovir, False))),
        # The notes say which weight the mg are for, and why there is no tablet count.
        *_notes(r.notes), Sources(r.sources),
    )


# Result type -> (its blocks, its "how this was calculated" line).
PRESENTERS: dict[type, Callable[[Any, Sequence[str]], tuple[Block, ...]]] = {
    ProphylaxisSchedule: _prophylaxis, RegimenSchedule: _regimen, UnitConversion: _units,
    InfusionPlan: _infusion, BodyWeight: _body_weight, ViralLoad: _viral_load, AtgGroup: _atg,
    CmvigCriteria: _criteria, RenalDosing: _renal,
}
EXPLANATIONS: dict[type, Callable[[Any], str]] = {
    ProphylaxisSchedule: _prophylaxis_how, RegimenSchedule: _regimen_how,
    UnitConversion: _units_how, InfusionPlan: _infusion_how, BodyWeight: _body_weight_how,
    ViralLoad: _viral_load_how, AtgGroup: _atg_how, CmvigCriteria: _criteria_how,
    RenalDosing: _renal_how,
}


def explanation(result: object) -> str:
    """How ``result`` was calculated: the formula with its numbers, from the calculation's own
    constants."""
    return EXPLANATIONS[type(result)](result)


def present(result: Any, input_warnings: Sequence[str] = ()) -> tuple[Block, ...]:
    """What the page shows of ``result``, in order; ``input_warnings`` (inputs outside their
    expected range) lead its hazards."""
    blocks = PRESENTERS[type(result)](result, (*input_warnings, *result.warnings))
    how = Line((strong("How this was calculated: "), explanation(result)), "how")
    return (*blocks, how)
