"""The one schedule engine: a rule's steps as dated doses for one patient.

A rule is a tuple of :class:`Step` -- the day, the amount in the rule's unit (:data:`MG_PER_KG`,
:data:`UNITS_PER_KG` or :data:`FIXED_MG`) and the phase it belongs to; :func:`every` and
:func:`on_days` write the usual ones. :func:`dated_doses` turns the steps into :class:`Dose` for
one patient: the date (from the start date and the day number it has), the dose in mg (mg/kg or
U/kg of the dosing weight, or a fixed mg), its volume and units, the dose to give and the vials to
open under the rounding policy (:func:`calculators.vials.vial_plan`, the only rounding of doses,
which never rounds above the label maximum), the time at the labelled rates with the label's
preparation window, and the running total.

The label's prophylaxis schedules (:mod:`calculators.prophylaxis`) and the sources' treatment
regimens (:mod:`calculators.regimens`, their data in :mod:`calculators.regimen_catalogue`) both
go through here, so a dose is worked out one way, and both results hold the one :class:`Dose`;
each names the facts of a dose it reports (:func:`calculators.plain.reported`). Both show their
doses alike too: :func:`schedule_answer` (the doses to give, run by run, and the course),
:func:`schedule_table` (the dated doses) and :func:`first_dose_formula`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .body_weight import DosingWeight
from .display import date_text, kg_text, mg_text, plural, shown
from .infusion import infusion_time
from .layout import Box, Column, Part, Row, Table, Total, strong, when
from .products import Product
from .results import Result
from .rounding import round_to
from .vials import VialPlan, dose_parts, to_give, vial_plan, vials_to_open

__all__ = ["MG_PER_KG", "UNITS_PER_KG", "FIXED_MG", "Step", "every", "on_days", "Amount",
           "amount", "per_kg_given", "Dose", "dated_doses", "Totals", "totals", "schedule_answer",
           "schedule_table", "first_dose_formula"]

# How a rule gives its amounts.
MG_PER_KG = "mg/kg"
UNITS_PER_KG = "U/kg"  # CMV antibody units: needs a product labelled in units per mL
FIXED_MG = "mg"  # a total per dose, whatever the weight


@dataclass(frozen=True, slots=True)
class Step:
    """One dose of a rule: the day (as the rule numbers its days), the amount (in the rule's
    unit), and the phase of the rule it belongs to."""

    day: int
    amount: Decimal
    phase: str


def every(first: int, interval: int, count: int, amount: int | Decimal,
          phase: str) -> tuple[Step, ...]:
    """``count`` doses of ``amount``, ``interval`` days apart from day ``first``."""
    return tuple(Step(first + interval * n, Decimal(amount), phase) for n in range(count))


def on_days(days: tuple[int, ...], amount: int | Decimal, phase: str) -> tuple[Step, ...]:
    """A dose of ``amount`` on each of ``days``."""
    return tuple(Step(day, Decimal(amount), phase) for day in days)


@dataclass(frozen=True, slots=True)
class Amount:
    """One dose's amount for a patient: per kg, in mg, mL and units, and its vials."""

    mg_per_kg: Decimal | None  # None for a fixed dose; derived from U/kg for a units dose
    units_per_kg: Decimal | None  # U/kg rules only
    dose_mg: Decimal  # calculated, unrounded
    volume_ml: Decimal  # calculated, unrounded
    dose_units: Decimal | None  # calculated CMV antibody units, where the product has them
    vials: VialPlan  # the dose to give and the vials to open under the rounding policy


def amount(unit: str, value: Decimal, weight: DosingWeight, drug: Product, policy: str,
           tolerance: Decimal) -> Amount:
    """``value`` in ``unit`` as a dose of ``drug`` for ``weight``, with its vials.

    A U/kg rule needs a product labelled in units: the calculator refuses others first, naming
    the product field.
    """
    units_per_kg = None
    if unit == UNITS_PER_KG:
        assert drug.units_per_ml is not None  # refused by the calculator, naming the field
        units_per_kg = value
        mg_per_kg: Decimal | None = value / drug.units_per_ml * drug.mg_per_ml
    elif unit == MG_PER_KG:
        mg_per_kg = value
    else:
        mg_per_kg = None
    dose_mg = value if mg_per_kg is None else mg_per_kg * weight.dosing_kg
    volume_ml = dose_mg / drug.mg_per_ml
    return Amount(
        mg_per_kg=mg_per_kg, units_per_kg=units_per_kg, dose_mg=dose_mg, volume_ml=volume_ml,
        dose_units=None if drug.units_per_ml is None else volume_ml * drug.units_per_ml,
        vials=vial_plan(dose_mg, drug, policy, tolerance, weight.actual_kg),
    )


def per_kg_given(vials: VialPlan, weight: DosingWeight) -> Decimal:
    """The dose to give per kg of actual weight, unrounded (the label maximum is per kg of body
    weight)."""
    return vials.rounded_mg / weight.actual_kg


@dataclass(frozen=True, slots=True)
class Dose(Result):
    """One dated dose, with all the engine works out for it. A result reports the facts it shows
    (``DOSE_FACTS`` of :mod:`calculators.prophylaxis` and :mod:`calculators.regimens`)."""

    number: int
    date: date
    day: int  # as the rule numbers it (prophylaxis: 0 = transplant day; regimens: 1 = start date)
    week: int | None  # whole weeks after the start date, when the dose falls on one
    phase: str
    mg_per_kg: Decimal | None  # None for a fixed dose; derived from U/kg for a units dose
    units_per_kg: Decimal | None  # U/kg rules only
    dose_mg: Decimal  # calculated (per kg x dosing weight, or the fixed mg), unrounded
    volume_ml: Decimal  # calculated, unrounded
    dose_units: Decimal | None  # calculated CMV antibody units, where the product has them
    mg_per_kg_given: Decimal  # the dose to give per kg of actual weight, to 0.1
    vials: VialPlan  # the dose to give and the vials to open under the rounding policy
    infusion_min: Decimal | None  # at the labelled rates (first infusion for dose 1), if labelled
    window_warnings: tuple[str, ...]  # the label's preparation window against that time
    cumulative_mg: Decimal  # running total of the doses to give


def dated_doses(steps: tuple[Step, ...], unit: str, weight: DosingWeight, drug: Product,
                policy: str, tolerance: Decimal, start: date,
                start_day: int) -> tuple[Dose, ...]:
    """``steps`` as dated doses of ``drug`` for ``weight``, numbered from 1.

    ``start`` is the date of day ``start_day`` (prophylaxis counts from day 0, the transplant
    day; the regimens from day 1). Rounding follows ``policy`` within ``tolerance`` %.
    """
    doses: list[Dose] = []
    cumulative = Decimal(0)
    for number, step in enumerate(steps, start=1):
        dose = amount(unit, step.amount, weight, drug, policy, tolerance)
        minutes, window = infusion_time(drug.id, weight.actual_kg, dose.vials.rounded_mg,
                                        first=number == 1)
        cumulative += dose.vials.rounded_mg
        offset = step.day - start_day
        doses.append(Dose(
            number=number, date=start + timedelta(days=offset), day=step.day,
            week=offset // 7 if offset % 7 == 0 else None, phase=step.phase,
            mg_per_kg=dose.mg_per_kg, units_per_kg=dose.units_per_kg, dose_mg=dose.dose_mg,
            volume_ml=dose.volume_ml, dose_units=dose.dose_units,
            mg_per_kg_given=round_to(per_kg_given(dose.vials, weight), "0.1"), vials=dose.vials,
            infusion_min=minutes, window_warnings=tuple(window), cumulative_mg=cumulative))
    return tuple(doses)


@dataclass(frozen=True, slots=True)
class Totals:
    """A course's totals: calculated, to give, and the vials to open."""

    mg: Decimal  # sum of calculated doses
    ml: Decimal
    rounded_mg: Decimal  # sum of the doses to give
    rounded_ml: Decimal
    vials: int


def totals(doses: tuple[Dose, ...]) -> Totals:
    """The totals of ``doses``: the doses shown, which may not be the whole course."""
    return Totals(
        mg=sum((d.dose_mg for d in doses), Decimal(0)),
        ml=sum((d.volume_ml for d in doses), Decimal(0)),
        rounded_mg=sum((d.vials.rounded_mg for d in doses), Decimal(0)),
        rounded_ml=sum((d.vials.rounded_ml for d in doses), Decimal(0)),
        vials=sum(d.vials.vial_count for d in doses),
    )


# ---- how dated doses are shown -----------------------------------------------------------

def schedule_answer(doses: tuple[Dose, ...]) -> Box:
    """One line per run of equal doses to give, then the course (its :func:`totals`)."""
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
        lines.append((strong(f"{named}: "), *dose_parts(run[0].vials)))
    course = totals(doses)
    lines.append((f"Course: {plural(len(doses), 'dose')}, {mg_text(course.rounded_mg)}, "
                  f"{course.vials} vials.",))
    return Box("answer", tuple(lines))


def schedule_table(caption: str, doses: tuple[Dose, ...], named: Callable[[Dose], str]) -> Table:
    """The dated doses, each row found again by its number on a recompute, and their
    :func:`totals`; "To give (mg)" only where a dose was rounded to whole vials (otherwise it
    repeats the dose)."""
    any_rounded = any(d.vials.rounded_mg != d.dose_mg for d in doses)
    to_give_column = (Column("To give (mg)", quantity="mg"),) if any_rounded else ()
    columns = (Column("Dose", lead=True), Column("Date", lead=True), Column("When", lead=True),
               Column("mg/kg", numeric=True), Column("Dose (mg)", quantity="mg"),
               Column("Volume (mL)", quantity="ml"), *to_give_column,
               Column("Vials to open", quantity="vials"))

    def row(d: Dose) -> Row:
        per_kg = "fixed" if d.mg_per_kg is None else shown(d.mg_per_kg, "mg_per_kg")
        cells = ((str(d.number),), (when(d.date, date_text(d.date)),), (named(d),), (per_kg,),
                 (shown(d.dose_mg, "mg"),), (shown(d.volume_ml, "ml"),),
                 *(((to_give(d.vials),),) if any_rounded else ()), (vials_to_open(d.vials),))
        return Row(cells, key=f"dose {d.number}", dose_mg=d.dose_mg)

    course = totals(doses)
    rounded_total = ((shown(course.rounded_mg, "mg"),),) if any_rounded else ()
    return Table(caption, columns, tuple(row(d) for d in doses), Total(
        "Total", 4, ((shown(course.mg, "mg"),), (shown(course.ml, "ml"),), *rounded_total,
                     (f"{course.vials} vials",))))


def first_dose_formula(first: Dose, weight_kg: Decimal) -> str:
    """"Dose = mg/kg × dosing weight (first dose: ...)": a per-kg schedule's formula, with its
    first dose's numbers."""
    assert first.mg_per_kg is not None  # per-kg schedules; fixed doses are said otherwise
    return (f"Dose = mg/kg × dosing weight (first dose: {shown(first.mg_per_kg, 'mg_per_kg')} × "
            f"{kg_text(weight_kg)} = {mg_text(first.dose_mg)})")
