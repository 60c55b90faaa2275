"""Infusion-rate plans for CMV immunoglobulin, step by step, from the product labels.

- CytoGam, first infusion: 15 mg/kg/h; if no reaction after 30 min, 30 mg/kg/h; if none after
  another 30 min, 60 mg/kg/h. Later infusions: 15 mg/kg/h for 15 min, 30 mg/kg/h for 15 min, then
  up to 60 mg/kg/h. Never above 75 mL/h (CytoGam label), which at the nominal 50 mg/mL binds
  above 62.5 kg.
- Cytotect CP: 0.08 mL/kg/h for 10 min, then, if tolerated, increase gradually to at most
  0.8 mL/kg/h (SmPC). The SmPC gives no step sizes, so the plan shows the start rate and the
  maximum only: the steps between are the prescriber's.
- This hospital's own product has no labelled rates here and is refused.

Each step gives the labelled rate per kg, the rate in mL/h before and after the cap, and whether
the cap applied. With a dose, :func:`infusion_plan` also works out how the dose runs through the
steps and the total time, exactly, assuming each increase is made on time.

``warnings`` are hazards to act on (a dose above the label maximum, a preparation window that
cannot be met, an assumed schedule); ``notes`` hold what is true of the plan (the cap applied, the
product's strength), and the renal-impairment note only when renal impairment is ticked.

An :class:`InfusionPlan` shows itself (:class:`calculators.layout.Presentable`): the rates to
start at and step up to, then its steps as a table; :func:`rate_plan_blocks` shows a schedule's
rate plans (:func:`rate_plans`) the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .body_weight import WEIGHT_FIELD, DosingWeight
from .calculator import Calculator, Cite, Listing
from .display import duration, kg_text, mg_text, ml_h_text, ml_text, shown
from .display import number as plain_number  # `number` names a step's number here
from .errors import InputError
from .fields import Expectation, FlagField, NumberField
from .layout import (
    Block,
    Box,
    Column,
    Folded,
    Part,
    Row,
    Sources,
    Table,
    figure_of,
    note_blocks,
    strong,
    warning_blocks,
)
from .products import PRODUCT_FIELD, Product, label_maximum
from .products import product as find_product
from .results import Result, unique
from .rounding import round_down, round_to

__all__ = [
    "CALCULATORS",
    "DOSE_FIELD",
    "FIRST_INFUSION_FIELD",
    "RENAL_IMPAIRMENT_FIELD",
    "RENAL_NOTE",
    "SCHEDULES",
    "InfusionPlan",
    "InfusionStep",
    "LabelStep",
    "RatePlan",
    "RateSchedule",
    "infusion_plan",
    "infusion_time",
    "rate_plan_blocks",
    "rate_plans",
    "window_warnings",
]

CYTOGAM_MAX_ML_H = Decimal(75)
MINUTES_PER_HOUR = Decimal(60)
RENAL_NOTE = ("Renal impairment: keep the infusion rate as low as possible "
              "(CMV Ig monograph, dosage adjustments).")
# The monograph's renal advice is about the patient, not the product: shown only when ticked.
RENAL_IMPAIRMENT_FIELD = FlagField(
    name="renal_impairment", label="Renal impairment",
    hint="Tick if the patient has renal impairment: the monograph's advice on the infusion rate "
         "is then shown.",
)


@dataclass(frozen=True, slots=True)
class LabelStep:
    """One step as the label gives it: per-kg rate in the label's own unit, and its wording.

    ``duration_min`` is None for the last, open-ended step. ``rate_is_limit`` marks a rate the
    label gives as a ceiling ("up to", "at most") rather than a rate to set.
    """

    duration_min: Decimal | None
    mg_per_kg_h: Decimal | None
    ml_per_kg_h: Decimal | None
    rate_is_limit: bool
    instruction: str


@dataclass(frozen=True, slots=True)
class RateSchedule:
    product: str
    first_infusion: bool | None  # None: the label gives one plan for every infusion
    steps: tuple[LabelStep, ...]
    max_ml_h: Decimal | None
    source: str
    steps_in_full: bool = True  # False: the label leaves the steps between to the prescriber
    # Hours from entering the vial within which the infusion must start and finish (label).
    start_within_h: Decimal | None = None
    finish_within_h: Decimal | None = None


def _cytogam(mg_per_kg_h: int, minutes: int | None, instruction: str,
             rate_is_limit: bool = False) -> LabelStep:
    duration = None if minutes is None else Decimal(minutes)
    return LabelStep(duration, Decimal(mg_per_kg_h), None, rate_is_limit, instruction)


SCHEDULES: tuple[RateSchedule, ...] = (
    RateSchedule("cytogam", True, (
        _cytogam(15, 30, "Start at 15 mg/kg/h."),
        _cytogam(30, 30, "If there is no reaction after 30 minutes, increase to 30 mg/kg/h."),
        _cytogam(60, None, "If there is no reaction after another 30 minutes, increase to "
                           "60 mg/kg/h; never above 75 mL/h."),
    ), CYTOGAM_MAX_ML_H, "cytogam-label", start_within_h=Decimal(6),
        finish_within_h=Decimal(12)),
    RateSchedule("cytogam", False, (
        _cytogam(15, 15, "15 mg/kg/h for 15 minutes."),
        _cytogam(30, 15, "Then 30 mg/kg/h for 15 minutes."),
        _cytogam(60, None, "Then up to 60 mg/kg/h; never above 75 mL/h.", rate_is_limit=True),
    ), CYTOGAM_MAX_ML_H, "cytogam-label", start_within_h=Decimal(6),
        finish_within_h=Decimal(12)),
    RateSchedule("cytotect-cp", None, (
        LabelStep(Decimal(10), None, Decimal("0.08"), False, "0.08 mL/kg/h for 10 minutes."),
        LabelStep(None, None, Decimal("0.8"), True,
                  "If tolerated, increase gradually to at most 0.8 mL/kg/h. The SmPC gives no "
                  "step sizes: the steps between the start rate and this maximum are the "
                  "prescriber's."),
    ), None, "cytotect-cp-smpc", steps_in_full=False),
)

FIRST_INFUSION_FIELD = FlagField(
    name="first_infusion", label="First infusion",
    hint="Answer 'no' for later infusions. If not answered, the slower first-infusion schedule "
         "is used, as the safe default.",
    default=True, needed=True,  # first or later infusion: the rate steps differ
)
# The monograph's off-label pneumonitis dose, the largest in the sources, and the heaviest
# weight the weight field allows: what bounds a dose in mg.
_LARGEST_MG_PER_KG = Decimal(400)
_HEAVIEST_KG = WEIGHT_FIELD.maximum or Decimal(0)
_CYTOGAM = find_product("cytogam")
_LABEL_MAX = _CYTOGAM.label_max_mg_per_kg or Decimal(0)
DOSE_FIELD = NumberField(
    name="dose_mg", label="Dose (mg)",
    hint="Optional: the dose to give, to work out how long the infusion takes; '10.5 g' is "
         "converted.",
    # A plausibility bound, not a clinical limit.
    unit="mg", maximum=_LARGEST_MG_PER_KG * _HEAVIEST_KG, example="10500",
    other_units=(("g", Decimal(1000)),),
    optional=True, needed=True,  # without it the plan cannot say how long the infusion takes
    range_reason=(f"above {{maximum:,}} mg ({_LARGEST_MG_PER_KG} mg/kg, the largest dose in the "
                  f"sources, at {_HEAVIEST_KG} kg) is a typing or unit slip."),
    range_source="cmvig-monograph",
    expected=Expectation(Decimal(50), _LABEL_MAX * _HEAVIEST_KG,
                         "check the dose and its unit (mg or g): {high:,} mg is the "
                         f"{_CYTOGAM.name} label maximum of {_LABEL_MAX} mg/kg at {_HEAVIEST_KG} "
                         "kg", "cytogam-label"),
)


@dataclass(frozen=True, slots=True)
class InfusionStep(Result):
    number: int
    start_min: Decimal
    duration_min: Decimal | None  # None: open-ended (no dose given, or not computable)
    rate_mg_per_kg_h: Decimal
    rate_ml_per_kg_h: Decimal
    label_rate_unit: str  # the per-kg rate the label speaks in: "mg/kg/h" or "mL/kg/h"
    uncapped_rate_ml_h: Decimal
    rate_ml_h: Decimal  # after the cap
    rate_mg_h: Decimal  # after the cap
    capped: bool
    rate_is_limit: bool
    dose_mg: Decimal | None  # given during this step, when a dose is given
    volume_ml: Decimal | None
    instruction: str


@dataclass(frozen=True, slots=True)
class InfusionPlan(Result):
    product: str
    product_name: str
    weight_kg: Decimal
    first_infusion: bool
    first_infusion_assumed: bool  # True when not answered: the safe default was used
    mg_per_ml: Decimal
    max_rate_ml_h: Decimal | None
    steps: tuple[InfusionStep, ...]
    dose_mg: Decimal | None
    dose_ml: Decimal | None
    duration_min: Decimal | None  # total, with a dose, when the label's steps allow it
    duration_method: str
    sources: tuple[str, ...]
    warnings: tuple[str, ...]  # hazards: act on them
    notes: tuple[str, ...]  # true of this plan; shown quietly

    def explanation(self) -> str:
        cap = "" if self.max_rate_ml_h is None else f"never above {ml_h_text(self.max_rate_ml_h)}, "
        return (f"Rate (mL/h) = mg/kg/h × {kg_text(self.weight_kg)} ÷ "
                f"{plain_number(self.mg_per_ml)} mg/mL, {cap}rounded down to whole mL/h.")

    def blocks(self, hazards: Sequence[str]) -> tuple[Block, ...]:
        first, *later = self.steps
        start: tuple[Part, ...] = (strong("Start at "),
                                   figure_of("rate", ml_h_text(first.rate_ml_h)))
        for step in later:
            start += (f"; from {duration(step.start_min)}, ", figure_of("rate", _rate_text(step)))
        lines = [start]
        if self.dose_mg is not None:
            assert self.dose_ml is not None  # given with the dose
            takes = ("" if self.duration_min is None
                     else f": takes {duration(self.duration_min)} at these rates")
            lines.append((figure_of("mg", mg_text(self.dose_mg)), " = ",
                          figure_of("ml", ml_text(self.dose_ml)), *((takes,) if takes else ())))
        caption = (f"{self.product_name}, {kg_text(self.weight_kg)}, "
                   f"{'first' if self.first_infusion else 'later'} infusion")
        method = () if self.dose_mg is None else (self.duration_method,)
        return (Box("answer", tuple(lines)), *warning_blocks(hazards),
                _steps_table(caption, self.steps), *note_blocks((*method, *self.notes)),
                Sources(self.sources))


def _has_labelled_rates(product_id: str) -> bool:
    return any(s.product == product_id for s in SCHEDULES)


def _schedule(product_id: str, first: bool) -> RateSchedule:
    return next(s for s in SCHEDULES
                if s.product == product_id and s.first_infusion in (first, None))


def _step(number: int, start_min: Decimal, label: LabelStep, weight: Decimal,
          mg_per_ml: Decimal, max_ml_h: Decimal | None) -> InfusionStep:
    if label.mg_per_kg_h is not None:
        mg_per_kg_h = label.mg_per_kg_h
        ml_per_kg_h = mg_per_kg_h / mg_per_ml
    else:
        assert label.ml_per_kg_h is not None
        ml_per_kg_h = label.ml_per_kg_h
        mg_per_kg_h = ml_per_kg_h * mg_per_ml
    uncapped = mg_per_kg_h * weight / mg_per_ml
    capped = max_ml_h is not None and uncapped > max_ml_h
    rate_ml_h = max_ml_h if capped and max_ml_h is not None else uncapped
    return InfusionStep(
        number=number, start_min=start_min, duration_min=label.duration_min,
        rate_mg_per_kg_h=mg_per_kg_h, rate_ml_per_kg_h=ml_per_kg_h,
        label_rate_unit="mg/kg/h" if label.mg_per_kg_h is not None else "mL/kg/h",
        uncapped_rate_ml_h=uncapped,
        rate_ml_h=rate_ml_h, rate_mg_h=rate_ml_h * mg_per_ml, capped=capped,
        rate_is_limit=label.rate_is_limit, dose_mg=None, volume_ml=None,
        instruction=label.instruction,
    )


def _steps(schedule: RateSchedule, weight: Decimal, mg_per_ml: Decimal) -> tuple[InfusionStep, ...]:
    steps: list[InfusionStep] = []
    start = Decimal(0)
    for number, label in enumerate(schedule.steps, start=1):
        steps.append(_step(number, start, label, weight, mg_per_ml, schedule.max_ml_h))
        if label.duration_min is not None:
            start += label.duration_min
    return tuple(steps)


def _deliver(steps: tuple[InfusionStep, ...], dose_mg: Decimal,
             mg_per_ml: Decimal) -> tuple[tuple[InfusionStep, ...], Decimal, str]:
    """Run ``dose_mg`` through ``steps``: the steps reached, the total minutes, and how."""
    delivered: list[InfusionStep] = []
    remaining = dose_mg
    for step in steps:
        if remaining == 0:
            break
        needed = remaining * MINUTES_PER_HOUR / step.rate_mg_h
        minutes = needed if step.duration_min is None else min(needed, step.duration_min)
        given = remaining if minutes == needed else step.rate_mg_h * minutes / MINUTES_PER_HOUR
        delivered.append(_with_dose(step, minutes, given, mg_per_ml))
        remaining -= given
    last = delivered[-1]
    assert last.duration_min is not None  # every delivered step has its minutes
    total = last.start_min + last.duration_min
    how = ("Each timed step runs at its rate for its length; what is left of the dose when the "
           "last step starts runs at that step's rate. This assumes each increase is made on "
           "time, with no reaction, and the highest labelled rate in an 'up to' step; slower "
           "rates take longer.")
    if len(delivered) < len(steps):
        how += f" The dose is complete during step {last.number}; later steps are not reached."
    return tuple(delivered), total, how


def _with_dose(step: InfusionStep, minutes: Decimal, mg: Decimal,
               mg_per_ml: Decimal) -> InfusionStep:
    return InfusionStep(
        number=step.number, start_min=step.start_min, duration_min=minutes,
        rate_mg_per_kg_h=step.rate_mg_per_kg_h, rate_ml_per_kg_h=step.rate_ml_per_kg_h,
        label_rate_unit=step.label_rate_unit, uncapped_rate_ml_h=step.uncapped_rate_ml_h,
        rate_ml_h=step.rate_ml_h,
        rate_mg_h=step.rate_mg_h, capped=step.capped, rate_is_limit=step.rate_is_limit,
        dose_mg=mg, volume_ml=mg / mg_per_ml, instruction=step.instruction,
    )


def infusion_plan(weight_kg: object, product: object = None, first_infusion: object = None,
                  dose_mg: object = None, renal_impairment: object = None) -> InfusionPlan:
    """The labelled infusion-rate steps for ``product`` at ``weight_kg``.

    ``first_infusion`` defaults to yes (the slower schedule) when not answered. ``dose_mg``
    (optional) adds the dose given in each step and the total time. Raises
    :class:`~calculators.errors.InputError` naming the field for bad input, and for ``product``
    ``custom``, which has no labelled rates.
    """
    weight = WEIGHT_FIELD.parse(weight_kg)
    product_id = PRODUCT_FIELD.parse(product)
    assumed = FIRST_INFUSION_FIELD.is_missing(first_infusion)
    first = True if assumed else FIRST_INFUSION_FIELD.parse(first_infusion)
    dose = DOSE_FIELD.parse_optional(dose_mg)
    renal = RENAL_IMPAIRMENT_FIELD.parse(renal_impairment)
    if not _has_labelled_rates(product_id):
        # The hospital's own product, or a product added without its label's rates: no rate is
        # ever guessed from another product's label.
        whose = ("this hospital's own product" if product_id == "custom"
                 else find_product(product_id).name)
        raise InputError("product", product,
                         f"Product: {whose} has no labelled infusion rates here; follow its "
                         "product information.")
    chosen = find_product(product_id)
    schedule = _schedule(product_id, first)

    plan_steps = _steps(schedule, weight, chosen.mg_per_ml)
    total: Decimal | None = None
    if dose is None:
        how = "No dose given: the last step is open-ended."
    elif not schedule.steps_in_full:
        how = ("Not computed: the label leaves the steps between the start rate and the maximum "
               "to the prescriber, so the time depends on those steps.")
    else:
        plan_steps, total, how = _deliver(plan_steps, dose, chosen.mg_per_ml)

    warnings: list[str] = []
    notes: list[str] = []
    if assumed and schedule.first_infusion is not None:
        warnings.append("First infusion was not answered: the slower first-infusion schedule is "
                        "shown. Answer 'no' for the later-infusion schedule.")
    if schedule.first_infusion is None:
        notes.append(f"The {chosen.name} label gives one rate plan for every infusion, first "
                     "or later.")
    if not schedule.steps_in_full:
        notes.append("The label gives no step sizes between the start rate and the maximum: "
                     "the increases are the prescriber's; none are invented here.")
    capped = [step for step in plan_steps if step.capped]
    if capped:
        step = capped[0]
        notes.append(
            f"The {shown(step.rate_ml_h, 'rate_ml_h')} mL/h cap applies from step {step.number}: "
            f"{shown(step.rate_mg_per_kg_h, 'mg_per_kg_h')} mg/kg/h would be "
            f"{shown(step.uncapped_rate_ml_h, 'rate_ml_h')} mL/h at {shown(weight, 'kg')} kg; "
            f"run at {shown(step.rate_ml_h, 'rate_ml_h')} mL/h.")
    if dose is not None:
        warnings.extend(_dose_warnings(chosen, dose, weight))
        warnings.extend(window_warnings(schedule, total, dose / chosen.mg_per_ml))
    if renal:
        notes.append(RENAL_NOTE)
    notes.extend(chosen.notes)

    return InfusionPlan(
        product=chosen.id, product_name=chosen.name, weight_kg=weight, first_infusion=first,
        first_infusion_assumed=assumed, mg_per_ml=chosen.mg_per_ml,
        max_rate_ml_h=schedule.max_ml_h, steps=plan_steps, dose_mg=dose,
        dose_ml=None if dose is None else dose / chosen.mg_per_ml,
        duration_min=total, duration_method=how,
        sources=unique((schedule.source, chosen.source, "cmvig-monograph")),
        warnings=tuple(warnings), notes=tuple(notes),
    )


def _dose_warnings(chosen: Product, dose: Decimal, weight: Decimal) -> list[str]:
    warnings = []
    ceiling = label_maximum(chosen)
    max_mg = ceiling.max_mg(weight)
    assert max_mg is not None  # label_maximum returns a product with a maximum
    if dose > max_mg:
        whose = "" if ceiling is chosen else f" (the sources give no maximum for {chosen.name})"
        warnings.append(f"The dose is more than the {ceiling.name} label's maximum of "
                        f"{ceiling.label_max_mg_per_kg} mg/kg per infusion{whose} "
                        f"({max_mg} mg at {weight} kg).")
    return warnings


def window_warnings(schedule: RateSchedule, total_min: Decimal | None,
                    dose_ml: Decimal) -> list[str]:
    """The label's preparation window against the infusion's length: start within 6 hours of
    entering the vial and finish within 12 (CytoGam label), for a dose of ``dose_ml``."""
    if schedule.finish_within_h is None or schedule.start_within_h is None or total_min is None:
        return []
    hours = total_min / MINUTES_PER_HOUR
    shown = f"{round_to(hours, '0.1')} hours ({round_to(dose_ml, '0.1')} mL)"
    window = (f"the label says to start within {schedule.start_within_h} hours of entering the "
              f"vial and finish within {schedule.finish_within_h} hours")
    if hours > schedule.finish_within_h:
        return [f"The infusion takes {shown} at the labelled rates, more than "
                f"{schedule.finish_within_h} hours: {window}, which cannot be met this way. "
                "Plan it with the prescriber and the pharmacy."]
    if hours > schedule.finish_within_h - schedule.start_within_h:
        latest = round_down(schedule.finish_within_h * MINUTES_PER_HOUR - total_min, "1")
        return [f"The infusion takes {shown} at the labelled rates: {window}, so start it within "
                f"{latest} minutes of entering the vial, not {schedule.start_within_h} hours."]
    return []


@dataclass(frozen=True, slots=True)
class RatePlan(Result):
    """The label's rate steps at one weight for the first infusions, the later ones, or every
    infusion (``infusions``: "first", "later", "every"), for a schedule's print sheet."""

    infusions: str
    steps: tuple[InfusionStep, ...]
    max_rate_ml_h: Decimal | None
    source: str


def rate_plans(product_id: str, weight_kg: Decimal) -> tuple[RatePlan, ...]:
    """The rate plans of ``product_id`` at ``weight_kg`` (first and later infusions, or one for
    every infusion), as :func:`infusion_plan` gives them without a dose; () for a product with
    no labelled rates."""
    return tuple(
        RatePlan("every" if s.first_infusion is None else "first" if s.first_infusion else "later",
                 _steps(s, weight_kg, find_product(s.product).mg_per_ml), s.max_ml_h, s.source)
        for s in SCHEDULES if s.product == product_id)


def infusion_time(product_id: str, weight_kg: Decimal, dose_mg: Decimal,
                  first: bool) -> tuple[Decimal | None, list[str]]:
    """How long ``dose_mg`` takes at the labelled rates, and the window warnings; (None, []) for
    a product whose label leaves the steps to the prescriber or that has no labelled rates."""
    if not _has_labelled_rates(product_id):
        return None, []
    chosen = find_product(product_id)
    schedule = _schedule(product_id, first)
    if not schedule.steps_in_full:
        return None, []
    steps = _steps(schedule, weight_kg, chosen.mg_per_ml)
    _, total, _ = _deliver(steps, dose_mg, chosen.mg_per_ml)
    return total, window_warnings(schedule, total, dose_mg / chosen.mg_per_ml)


# ---- how steps are shown -----------------------------------------------------------------

def _rate_text(step: InfusionStep) -> str:
    """A step's pump rate: "up to 75 mL/h (capped)"."""
    return (("up to " if step.rate_is_limit else "") + ml_h_text(step.rate_ml_h)
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
    return Row(((str(step.number),), (duration(step.start_min),), (lasts,), (_rate_text(step),),
                (label_rate,), (step.instruction,)))


def _steps_table(caption: str, steps: tuple[InfusionStep, ...]) -> Table:
    return Table(caption, _STEP_COLUMNS, tuple(_step_row(s) for s in steps))


_INFUSIONS = {"first": "First infusion", "later": "Later infusions", "every": "Every infusion"}


def rate_plan_blocks(plans: tuple[RatePlan, ...], product_name: str,
                     weight: DosingWeight) -> tuple[Block, ...]:
    """The label's rate plans at the actual weight, folded under a schedule (printed open)."""
    if not plans:
        return ()
    return (Folded("rate-plans",
                   "Infusion-rate plan for the first and later doses (label rates, actual weight)",
                   tuple(_steps_table(f"{_INFUSIONS[p.infusions]}: {product_name}, "
                                      f"{kg_text(weight.actual_kg)}", p.steps) for p in plans)),)


CALCULATORS = (
    Calculator("infusion", "Infusion-rate plan", infusion_plan,
               (WEIGHT_FIELD, PRODUCT_FIELD, FIRST_INFUSION_FIELD, DOSE_FIELD,
                RENAL_IMPAIRMENT_FIELD),
               example={"weight_kg": "70", "dose_mg": "10500"},
               listing=Listing(
                   "Infusion rate",
                   "the rate steps in mg/kg/h and mL/h with the 75 mL/h cap, and the running "
                   "time",
                   (Cite("cytogam-label"), Cite("cytotect-cp-smpc"),))),
)
