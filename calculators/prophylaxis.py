"""CMV prophylaxis after solid-organ transplant: the labelled schedules as dated doses.

- CytoGam (label; the CMV Ig monograph repeats it): seven doses, the first within 72 hours of
  transplant, then at weeks 2, 4, 6, 8, 12 and 16. Kidney: 150, then 100 (weeks 2-8), then 50
  mg/kg (weeks 12, 16). Liver, lung, pancreas, heart: 150 mg/kg to week 8, then 100 mg/kg.
- Cytotect CP (SmPC): 1 mL/kg (100 U/kg, 50 mg/kg) per dose from the day of transplant, at least
  six doses 2 to 3 weeks apart; the interval is an input (14 to 21 days, default 14).

:func:`prophylaxis_schedule` dates each dose from the transplant day (the first dose on that day)
through the schedule engine (:func:`calculators.schedule.dated_doses`), which gives the dose in mg
and mL, the dose to give and the vials to open under the rounding policy (:mod:`calculators.vials`,
which never rounds above the label maximum per infusion), and the running total. No labelled dose
is above the label maximum (150 mg/kg at most, of a dosing weight never above the actual weight),
so no dose here can be.

A :class:`ProphylaxisSchedule` shows itself (:class:`calculators.layout.Presentable`): the doses to
give, the dosing weight, the dated doses, the rule and the label's rate plans.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from . import products
from .body_weight import (
    DOSING_WEIGHT_FIELDS,
    WEIGHT_FIELD,
    DosingWeight,
    dosing_weight,
    dosing_weight_line,
)
from .calculator import Calculator, Cite, Listing
from .display import date_text, kg_text, ml_text, number
from .errors import InputError
from .fields import ChoiceField, DateExpectation, DateField, NumberField
from .infusion import RENAL_IMPAIRMENT_FIELD, RatePlan, rate_plan_blocks, rate_plans
from .layout import Block, Line, Sources, note_blocks, warning_blocks
from .plain import reported
from .products import PRODUCT_FIELD
from .results import Result, unique
from .schedule import (
    MG_PER_KG,
    Dose,
    Step,
    dated_doses,
    every,
    first_dose_formula,
    schedule_answer,
    schedule_table,
    totals,
)
from .settings import DEFAULTS, Settings
from .vials import ROUNDING_FIELD, TOLERANCE_FIELD, rounding_choice

__all__ = ["SCHEDULES", "PROPHYLAXIS_FIELDS", "DOSE_FACTS", "ProphylaxisSchedule",
           "prophylaxis_schedule", "CALCULATORS"]

ORGANS = ("kidney", "liver", "lung", "pancreas", "heart")


@dataclass(frozen=True, slots=True)
class Schedule:
    """A labelled schedule: a dose in mg/kg on each day after transplant, or a repeating dose."""

    id: str
    product: str
    organs: tuple[str, ...]
    doses: tuple[Step, ...]  # day 0 = the transplant day; empty for a repeating schedule
    repeat_mg_per_kg: Decimal | None
    repeat_count: int
    rule: str  # the label's rule, in our words
    sources: tuple[str, ...]
    first_dose_window: str = ""  # the label's leeway for the first dose, where it gives one
    interval_rule: str = ""  # a repeating schedule: what the label allows between doses


def _weeks(*pairs: tuple[int, int]) -> tuple[Step, ...]:
    """(week, mg/kg) pairs as steps, days counted from the transplant day."""
    return tuple(Step(week * 7, Decimal(mg_per_kg), f"week {week}") for week, mg_per_kg in pairs)


SCHEDULES: tuple[Schedule, ...] = (
    Schedule(
        id="cytogam-kidney", product="cytogam", organs=("kidney",),
        doses=_weeks((0, 150), (2, 100), (4, 100), (6, 100), (8, 100), (12, 50), (16, 50)),
        repeat_mg_per_kg=None, repeat_count=0,
        rule="Kidney: 150 mg/kg within 72 hours of transplant; 100 mg/kg at weeks 2, 4, 6 and 8; "
             "50 mg/kg at weeks 12 and 16.",
        sources=("cytogam-label", "cmvig-monograph"), first_dose_window="within 72 hours",
    ),
    Schedule(
        id="cytogam-liver-lung-pancreas-heart", product="cytogam",
        organs=("liver", "lung", "pancreas", "heart"),
        doses=_weeks((0, 150), (2, 150), (4, 150), (6, 150), (8, 150), (12, 100), (16, 100)),
        repeat_mg_per_kg=None, repeat_count=0,
        rule="Liver, lung, pancreas or heart: 150 mg/kg within 72 hours of transplant and at "
             "weeks 2, 4, 6 and 8; 100 mg/kg at weeks 12 and 16.",
        sources=("cytogam-label", "cmvig-monograph"), first_dose_window="within 72 hours",
    ),
    Schedule(
        id="cytotect-cp", product="cytotect-cp", organs=ORGANS,
        doses=(), repeat_mg_per_kg=Decimal(50), repeat_count=6,
        rule="1 mL/kg (100 U/kg, 50 mg/kg) per dose from the day of transplant; at least 6 doses "
             "given 2 to 3 weeks apart.",
        sources=("cytotect-cp-smpc",),
        interval_rule="the SmPC allows 14 to 21 days and at least six doses",
    ),
)

ORGAN_FIELD = ChoiceField(
    name="organ", label="Transplanted organ",
    choices=(("kidney", "Kidney"), ("liver", "Liver"), ("lung", "Lung"),
             ("pancreas", "Pancreas"), ("heart", "Heart")),
)
TRANSPLANT_DATE_FIELD = DateField(
    name="transplant_date", label="Transplant date",
    hint="The day of transplant; the first dose is dated on it (CytoGam: within 72 hours).",
    expected=DateExpectation(),
)
INTERVAL_FIELD = NumberField(
    name="interval_days", label="Days between doses (Cytotect CP)", unit="days",
    hint="Cytotect CP only: 14 to 21 days (2 to 3 weeks).", minimum_exclusive=None,
    minimum=Decimal(14), maximum=Decimal(21), integer=True, default=Decimal(14), example="14",
    range_reason="the SmPC gives 2 to 3 weeks between doses.", range_source="cytotect-cp-smpc",
)
PROPHYLAXIS_FIELDS = (WEIGHT_FIELD, ORGAN_FIELD, TRANSPLANT_DATE_FIELD, PRODUCT_FIELD,
                      INTERVAL_FIELD, *DOSING_WEIGHT_FIELDS, ROUNDING_FIELD, TOLERANCE_FIELD,
                      RENAL_IMPAIRMENT_FIELD)


# The facts of each dose a prophylaxis result reports (calculators.schedule.Dose), in this order.
DOSE_FACTS = ("number", "day", "week", "date", "mg_per_kg", "dose_mg", "volume_ml", "vials",
              "cumulative_mg")


@dataclass(frozen=True, slots=True)
class ProphylaxisSchedule(Result):
    schedule: str
    rule: str
    product: str
    product_name: str
    mg_per_ml: Decimal
    organ: str
    transplant_date: date
    weight: DosingWeight
    weight_kg: Decimal  # the dosing weight
    rounding: str
    doses: tuple[Dose, ...] = field(metadata=reported(*DOSE_FACTS))
    total_mg: Decimal  # sum of calculated doses
    total_ml: Decimal
    total_rounded_mg: Decimal  # sum of the doses to prepare
    total_vials: int
    rate_plans: tuple[RatePlan, ...]  # the label's rates at the actual weight: first, later
    sources: tuple[str, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...]

    def explanation(self) -> str:
        first = self.doses[0]
        return (f"{first_dose_formula(first, self.weight_kg)}; volume = dose ÷ "
                f"{number(self.mg_per_ml)} mg/mL ({ml_text(first.volume_ml)}); vials under "
                f"rounding \"{self.rounding}\".")

    def blocks(self, hazards: Sequence[str]) -> tuple[Block, ...]:
        caption = (f"{self.product_name} prophylaxis: {self.organ} transplant on "
                   f"{date_text(self.transplant_date)}, {kg_text(self.weight_kg)}, "
                   f"{number(self.mg_per_ml)} mg/mL, rounding: {self.rounding}")

        def named(d: Dose) -> str:
            if d.day == 0:
                return "transplant day"
            return f"week {d.week}" if d.week is not None else f"day {d.day}"

        return (
            schedule_answer(self.doses),
            *warning_blocks(hazards), dosing_weight_line(self.weight),
            schedule_table(caption, self.doses, named),
            Line((f"Rule: {self.rule}",), "rule"),
            *rate_plan_blocks(self.rate_plans, self.product_name, self.weight),
            *note_blocks(self.notes), Sources(self.sources),
        )


def _schedule_for(product_id: str, organ: str) -> Schedule:
    for schedule in SCHEDULES:
        if schedule.product == product_id and organ in schedule.organs:
            return schedule
    raise InputError("product", product_id,
                     "Product: prophylaxis schedules come from a product's label, and this "
                     "site's custom product has none; choose CytoGam or Cytotect CP.")


def prophylaxis_schedule(
    weight_kg: object, organ: object, transplant_date: object, product: object = None,
    interval_days: object = None, weight_basis: object = None, height_cm: object = None,
    sex: object = None, age: object = None, pregnant: object = None, rounding: object = None,
    rounding_tolerance_pct: object = None, renal_impairment: object = None, *,
    settings: Settings = DEFAULTS,
) -> ProphylaxisSchedule:
    """The labelled prophylaxis doses for a recipient of ``organ``, dated from the transplant.

    Every argument but ``settings`` (the institution's defaults) may be text as typed into a
    form. Raises
    :class:`~calculators.errors.InputError` naming the argument when one is missing or invalid.
    """
    organ_id = ORGAN_FIELD.parse(organ)
    day0 = TRANSPLANT_DATE_FIELD.parse_required(transplant_date)
    product_id = PRODUCT_FIELD.parse(product)
    interval = int(INTERVAL_FIELD.parse(interval_days))
    weight = dosing_weight(weight_kg, weight_basis, height_cm, sex, age, pregnant,
                           settings=settings)
    policy, tolerance = rounding_choice(rounding, rounding_tolerance_pct, settings)
    schedule = _schedule_for(product_id, organ_id)
    drug = products.product(product_id, settings.custom_product)

    steps = schedule.doses or every(0, interval, schedule.repeat_count,
                                    schedule.repeat_mg_per_kg or Decimal(0),
                                    f"every {interval} days")
    doses = dated_doses(steps, MG_PER_KG, weight, drug, policy, tolerance, day0, start_day=0)

    notes = [
        "The first dose is dated on the transplant day"
        + (f"; the label allows it {schedule.first_dose_window}."
           if schedule.first_dose_window else "."),
        *drug.notes,
    ]
    # The monograph's renal advice is about the patient: only when renal impairment is ticked.
    if RENAL_IMPAIRMENT_FIELD.parse(renal_impairment):
        notes.append("Renal impairment: no labelled dose change, but infuse as slowly as "
                     "practical (CMV Ig monograph).")
    if schedule.interval_rule:
        notes.append(f"Doses {interval} days apart; {schedule.interval_rule}.")
    course = totals(doses)
    return ProphylaxisSchedule(
        schedule=schedule.id, rule=schedule.rule, product=drug.id, product_name=drug.name,
        mg_per_ml=drug.mg_per_ml, organ=organ_id, transplant_date=day0, weight=weight,
        weight_kg=weight.dosing_kg, rounding=policy, doses=doses, total_mg=course.mg,
        total_ml=course.ml, total_rounded_mg=course.rounded_mg, total_vials=course.vials,
        rate_plans=rate_plans(drug.id, weight.actual_kg),
        sources=unique(schedule.sources, weight.sources, *(d.vials.sources for d in doses)),
        warnings=unique(weight.warnings, *(d.vials.warnings for d in doses)),
        notes=tuple(notes),
    )


CALCULATORS = (
    Calculator("prophylaxis", "Prophylaxis schedule (CytoGam, Cytotect CP)", prophylaxis_schedule,
               PROPHYLAXIS_FIELDS, uses_settings=True,
               example={"weight_kg": "70", "organ": "kidney", "transplant_date": "2026-01-01"},
               listing=Listing(
                   "Prophylaxis schedule",
                   "the CytoGam schedule for kidney or for liver, lung, pancreas and heart, or "
                   "the Cytotect CP schedule, as dated doses in mg, mL and vials",
                   (Cite("cytogam-label"), Cite("cytotect-cp-smpc"), Cite("cmvig-monograph"),))),
)
