"""Treatment regimens from the sources as dated schedules for one patient.

The regimens themselves are data (:mod:`calculators.regimen_catalogue`: each with its source keys,
the source's own words and a rule). :func:`regimen_schedule` turns a rule into dated doses from a
weight and a start date (day 1) through the schedule engine (:func:`calculators.schedule.
dated_doses`): each dose has its mg (and units where the product is labelled in units), its volume
and its vials under the rounding policy (:func:`calculators.vials.vial_plan`). Continuations that
a source offers as a choice are listed as ``options``, never mixed into ``doses``; Zhang 2021's
doses run until a CMV-DNA conversion date. The warnings say where the product chosen differs from
the source's, where a dose is above the label maximum, and where the label's preparation window
cannot be met.

A :class:`RegimenSchedule` shows itself (:class:`calculators.layout.Presentable`): the doses to
give, the setting and evidence, the dosing weight, the dated doses, the options and the source's
words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from . import products
from .body_weight import (
    DOSING_WEIGHT_FIELDS,
    OPTIONAL_HEIGHT_FIELD,
    OPTIONAL_SEX_FIELD,
    WEIGHT_FIELD,
    DosingWeight,
    dosing_weight,
    dosing_weight_line,
)
from .calculator import Calculator, Cite, Listing
from .display import date_text, kg_text, mg_text, ml_text
from .display import number as plain_number  # `number` names a dose's number here
from .errors import InputError
from .fields import ChoiceField, DateExpectation, DateField
from .infusion import RatePlan, rate_plan_blocks, rate_plans
from .layout import Block, Items, Line, Part, Sources, note_blocks, strong, warning_blocks
from .plain import reported
from .products import PRODUCT_FIELD, Product
from .regimen_catalogue import REGIMENS, SETTINGS, OptionRule, Quote, Regimen, UntilConversion
from .results import Result, unique
from .rounding import round_to
from .schedule import (
    FIXED_MG,
    MG_PER_KG,
    UNITS_PER_KG,
    Dose,
    Step,
    amount,
    dated_doses,
    every,
    first_dose_formula,
    per_kg_given,
    schedule_answer,
    schedule_table,
    totals,
)
from .settings import DEFAULTS, Settings
from .vials import ROUNDING_FIELD, TOLERANCE_FIELD, VialPlan, rounding_choice

__all__ = ["CONVERSION_MAX_DAYS", "REGIMEN_FIELD", "REGIMEN_FIELDS", "DOSE_FACTS", "Option",
           "RegimenSchedule", "regimen_schedule", "CALCULATORS"]

# A plausibility bound on the conversion date (a typed year is the usual slip), not a clinical one.
CONVERSION_MAX_DAYS = 180

REGIMEN_FIELD = ChoiceField(
    name="regimen", label="Regimen",
    hint="Grouped by where the source used it; each names its evidence.",
    choices=tuple((r.id, f"{r.title} — {r.evidence.tag}") for r in REGIMENS.values()),
    groups=tuple((label, ids) for setting, label in SETTINGS.items()
                 if (ids := tuple(r.id for r in REGIMENS.values() if r.setting == setting))),
)
START_DATE_FIELD = DateField(
    name="start_date", label="Start date",
    hint="The day of the first dose (day 1).",
    expected=DateExpectation(),
)
CONVERSION_DATE_FIELD = DateField(
    name="conversion_date", label="CMV-DNA conversion date",
    hint="Zhang 2021 only: the day CMV-DNA conversion was confirmed by two consecutive tests.",
    optional=True, expected=DateExpectation(),
)
REGIMEN_FIELDS = (REGIMEN_FIELD, WEIGHT_FIELD, START_DATE_FIELD, PRODUCT_FIELD,
                  *DOSING_WEIGHT_FIELDS, ROUNDING_FIELD, TOLERANCE_FIELD, CONVERSION_DATE_FIELD)


# The facts of each dose a regimen's result reports (calculators.schedule.Dose), in this order.
DOSE_FACTS = ("number", "date", "day", "phase", "mg_per_kg", "units_per_kg", "dose_mg",
              "volume_ml", "dose_units", "mg_per_kg_given", "vials", "infusion_min")


@dataclass(frozen=True, slots=True)
class Option(Result):
    """A continuation the source offers, with the amount of each dose; dated where it can be."""

    id: str
    label: str
    quote: Quote
    frequency: str
    mg_per_kg: Decimal | None
    units_per_kg: Decimal | None
    dose_mg: Decimal
    volume_ml: Decimal
    dose_units: Decimal | None
    vials: VialPlan
    days: tuple[int, ...]
    dates: tuple[date, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RegimenSchedule(Result):
    regimen: str
    title: str
    setting: str  # a key of SETTINGS
    setting_label: str
    evidence: str  # the evidence tag: "Single case", "Case series of 4 patients", ...
    evidence_quote: Quote  # the source's words behind the setting and the tag
    regimen_sources: tuple[str, ...]
    wording: tuple[Quote, ...]
    reading: str
    source_product: str
    start_date: date
    conversion_date: date | None
    product: str
    product_name: str
    mg_per_ml: Decimal
    units_per_ml: Decimal | None
    dosing_weight: DosingWeight
    weight_kg: Decimal  # the dosing weight
    rounding: str
    rounding_tolerance_pct: Decimal | None
    doses: tuple[Dose, ...] = field(metadata=reported(*DOSE_FACTS))
    course_complete: bool  # False when the doses shown are not the whole course
    total_mg: Decimal  # sum of calculated doses
    total_ml: Decimal
    total_rounded_mg: Decimal  # sum of the doses to prepare
    total_rounded_ml: Decimal
    total_vials: int
    rate_plans: tuple[RatePlan, ...]  # the label's rates at the actual weight: first, later
    options: tuple[Option, ...]
    notes: tuple[str, ...]
    sources: tuple[str, ...]
    warnings: tuple[str, ...]

    def explanation(self) -> str:
        first = self.doses[0]
        volume = f"volume = dose ÷ {plain_number(self.mg_per_ml)} mg/mL."
        if first.mg_per_kg is None:
            return f"Fixed dose from the source: {mg_text(first.dose_mg)}; {volume}"
        return f"{first_dose_formula(first, self.weight_kg)}; {volume}"

    def blocks(self, hazards: Sequence[str]) -> tuple[Block, ...]:
        caption = (f"{self.title}: {self.product_name}, {kg_text(self.weight_kg)}, from "
                   f"{date_text(self.start_date)}, rounding: {self.rounding}")
        open_course = () if self.course_complete else (Line((
            "The source leaves the number of doses open: the totals cover the doses shown only.",
        )),)
        options = ((Items(tuple(_option(o) for o in self.options), None,
                          "Options the source offers (not included above):"),)
                   if self.options else ())
        quotes = ((Items(tuple((f"“{q.text}”",) for q in self.wording), "quotes"),)
                  if self.wording else ())
        return (
            schedule_answer(self.doses),
            Line((strong("For: "), f"{self.setting_label}. ", strong("Evidence: "),
                  f"{self.evidence}."), "evidence"),
            *warning_blocks(hazards), dosing_weight_line(self.dosing_weight),
            schedule_table(caption, self.doses, lambda d: f"day {d.day}: {d.phase}"),
            *open_course, *options, *quotes,
            *rate_plan_blocks(self.rate_plans, self.product_name, self.dosing_weight),
            *note_blocks(self.notes), Sources(self.sources),
        )


def _option(o: Option) -> tuple[Part, ...]:
    dates = f" — {', '.join(date_text(d) for d in o.dates)}" if o.dates else ""
    return (f"{o.label}: {mg_text(o.dose_mg)} ({ml_text(o.volume_ml)}), {o.frequency}{dates}. "
            f"Source wording: “{o.quote.text}”",)


def _product_for(regimen: Regimen, product_id: str, settings: Settings) -> Product:
    drug = products.product(product_id, settings.custom_product)
    if regimen.unit == UNITS_PER_KG and drug.units_per_ml is None:
        raise InputError(
            "product", product_id,
            f"Product: the {regimen.id} regimen is dosed in CMV antibody units (U/kg), and "
            f"{drug.name} has no labelled unit strength; choose Cytotect CP (100 U/mL) or a "
            "product with units per mL.")
    return drug


def _conversion(regimen: Regimen, start: date, raw: object) -> date | None:
    conversion = CONVERSION_DATE_FIELD.parse(raw)
    if conversion is None or regimen.until_conversion is None:
        return conversion
    if conversion <= start:
        raise InputError("conversion_date", raw,
                         "CMV-DNA conversion date must be after the start date "
                         f"({start.isoformat()}).")
    if conversion > start + timedelta(days=CONVERSION_MAX_DAYS):
        raise InputError("conversion_date", raw,
                         f"CMV-DNA conversion date must be within {CONVERSION_MAX_DAYS} days of "
                         f"the start date ({start.isoformat()}); check the year.")
    return conversion


def _conversion_steps(rule: UntilConversion, start: date,
                      conversion: date | None) -> tuple[tuple[Step, ...], list[str]]:
    """Zhang 2021's doses, up to the conversion date or, without one, the horizon."""
    phase = f"{rule.amount} mg/kg every {rule.every_days} days until CMV-DNA conversion"
    if conversion is None:
        last_day = rule.horizon_days
        warnings = [
            f"No CMV-DNA conversion date: only the first {rule.horizon_days} days of doses every "
            f"{rule.every_days} days are shown (the study's median time to CMV clearance was 14 "
            "days with early CMV-IVIG, 21 days when it was started late). The doses continue "
            "until conversion is confirmed by two consecutive tests, then weekly for two weeks "
            "(see options); the totals cover the doses shown only. Enter the conversion date for "
            "the whole course."]
    else:
        last_day = (conversion - start).days  # the day before conversion, counting day 1
        warnings = []
    count = (last_day + rule.every_days - 1) // rule.every_days  # days 1, 1 + every, ... <= last
    steps = every(1, rule.every_days, count, rule.amount, phase)
    if conversion is not None:
        offset = (conversion - start).days + 1
        steps += tuple(
            Step(offset + rule.then_every_days * n, rule.amount,
                 f"{rule.amount} mg/kg once a week for two weeks after conversion")
            for n in range(1, rule.then_count + 1))
    return steps, warnings


def _text(value: Decimal) -> str:
    """A decimal for a sentence: no exponent, no trailing zeros (200, 178.6)."""
    return f"{value.normalize():f}"


def _by_wording(per_dose: list[tuple[int, str]]) -> list[str]:
    """Each wording once, naming every dose it is about: "Doses 1, 2, 3: ..." (a long schedule
    would otherwise repeat one sentence for each of its doses)."""
    numbers: dict[str, list[str]] = {}
    for number, warning in per_dose:
        numbers.setdefault(warning, []).append(str(number))
    return [f"Dose{'s' if len(names) > 1 else ''} {', '.join(names)}: {warning}"
            for warning, names in numbers.items()]


def _above_label_max(given: list[tuple[int | None, Decimal]], drug: Product) -> list[str]:
    """One warning naming every dose above the label maximum, grouped by mg/kg given.

    ``given`` pairs a dose number (None: each dose of an option) with its mg/kg given. The maximum
    is the product's own, else CytoGam's, the only maximum per infusion the sources state.
    """
    ceiling = products.label_maximum(drug)
    assert ceiling.label_max_mg_per_kg is not None  # label_maximum returns a product with one
    groups: dict[Decimal, list[str]] = {}
    for number, per_kg in given:
        if per_kg > ceiling.label_max_mg_per_kg:
            groups.setdefault(round_to(per_kg, "0.1"), []).append(str(number or ""))
    if not groups:
        return []
    listed = "; ".join(
        ("each dose" if names == [""] else f"dose{'s' if len(names) > 1 else ''} "
         + ", ".join(names)) + f": {_text(per_kg)} mg/kg"
        for per_kg, names in groups.items())
    whose = "" if ceiling is drug else f" (the sources give no maximum for {drug.name})"
    return [f"Above the {ceiling.name} label maximum of {ceiling.label_max_mg_per_kg} mg/kg per "
            f"infusion{whose} (mg/kg of actual weight): {listed}. Never rounded to whole vials: "
            "the dose to give is the source's dose, flagged."]


def _product_warnings(regimen: Regimen, drug: Product) -> list[str]:
    warnings = []
    if drug.id not in regimen.own_products:
        measure = {MG_PER_KG: "the same mg/kg", UNITS_PER_KG: "the same U/kg",
                   FIXED_MG: "the same mg"}[regimen.unit]
        warnings.append(
            f"The source used {regimen.source_product}; the doses here are {measure} of "
            f"{drug.name}. CMV antibody content per mg may differ between products.")
    elif not regimen.strength_named:
        warnings.append(
            f"The source used {regimen.source_product} without naming its strength (Cytotect CP "
            f"is 100 U/mL; the older Cytotect was 50 U/mL); the doses here are for {drug.name}. "
            "CMV antibody content per mg may differ between products.")
    if regimen.stated_mg_per_ml is not None and drug.mg_per_ml != regimen.stated_mg_per_ml:
        warnings.append(
            f"The source's mL and mg figures agree at {regimen.stated_mg_per_ml} mg/mL; "
            f"{drug.name} is {drug.mg_per_ml} mg/mL. The dose here follows the mg.")
    if regimen.stated_mg_per_unit is not None:
        assert drug.units_per_ml is not None  # units regimens refuse products without units
        mg_per_unit = drug.mg_per_ml / drug.units_per_ml
        if mg_per_unit != regimen.stated_mg_per_unit:
            warnings.append(
                f"The source's units and mg figures agree at {regimen.stated_mg_per_unit} mg per "
                f"unit (Cytotect CP: 100 U/mL, 50 mg/mL); {drug.name} has {mg_per_unit} mg per "
                "unit. The dose here follows the units.")
    return warnings


def regimen_schedule(
    regimen: object, weight_kg: object, start_date: object, product: object = None,
    weight_basis: object = None, height_cm: object = None, sex: object = None,
    age: object = None, pregnant: object = None, rounding: object = None,
    rounding_tolerance_pct: object = None, conversion_date: object = None, *,
    settings: Settings = DEFAULTS,
) -> RegimenSchedule:
    """The doses of ``regimen`` for one patient, dated from ``start_date`` (day 1).

    Every argument but ``settings`` (the institution's defaults) may be text as typed into a
    form. ``conversion_date`` is used by
    ``zhang-2021-hsct`` only. Raises :class:`~calculators.errors.InputError` naming the argument
    when one is missing or invalid, or when ``product`` cannot carry the regimen's units.
    """
    chosen = REGIMENS[REGIMEN_FIELD.parse(regimen)]
    start = START_DATE_FIELD.parse_required(start_date)
    drug = _product_for(chosen, PRODUCT_FIELD.parse(product), settings)
    height = OPTIONAL_HEIGHT_FIELD.parse_optional(height_cm)
    weight = dosing_weight(weight_kg, weight_basis, height, OPTIONAL_SEX_FIELD.parse(sex), age,
                           pregnant, settings=settings)
    policy, tolerance = rounding_choice(rounding, rounding_tolerance_pct, settings)
    conversion = _conversion(chosen, start, conversion_date)

    warnings: list[str] = list(chosen.warnings)
    warnings.extend(_product_warnings(chosen, drug))
    steps = chosen.steps
    complete = chosen.course_complete
    if chosen.until_conversion is not None:
        steps, horizon_warnings = _conversion_steps(chosen.until_conversion, start, conversion)
        warnings.extend(horizon_warnings)
        complete = conversion is not None

    doses = dated_doses(steps, chosen.unit, weight, drug, policy, tolerance, start, start_day=1)
    # Each wording said once, naming its doses.
    warnings.extend(_by_wording([(d.number, warning) for d in doses
                                 for warning in (*d.window_warnings, *d.vials.warnings)]))
    above_max = _above_label_max([(d.number, per_kg_given(d.vials, weight)) for d in doses], drug)
    warnings.extend(above_max)

    options = []
    option_rules = chosen.options
    if chosen.until_conversion is not None and conversion is None:
        rule = chosen.until_conversion
        option_rules = (OptionRule(
            "weekly-after-conversion", f"{rule.amount} mg/kg once a week for two weeks",
            chosen.wording[0], rule.amount,
            "once a week for two weeks (two doses) after CMV-DNA conversion is confirmed by two "
            "consecutive tests"),)
    for option in option_rules:
        each = amount(chosen.unit, option.amount, weight, drug, policy, tolerance)
        option_above_max = _above_label_max([(None, per_kg_given(each.vials, weight))], drug)
        above_max += option_above_max
        options.append(Option(
            id=option.id, label=option.label, quote=option.quote, frequency=option.frequency,
            mg_per_kg=each.mg_per_kg, units_per_kg=each.units_per_kg, dose_mg=each.dose_mg,
            volume_ml=each.volume_ml, dose_units=each.dose_units, vials=each.vials,
            days=option.days,
            dates=tuple(start + timedelta(days=day - 1) for day in option.days),
            warnings=unique(each.vials.warnings, option_above_max),
        ))

    choice = " (a choice: the wording allows more than one reading)" if chosen.ambiguous else ""
    notes = [f"How the wording was read{choice}: {chosen.reading}", *drug.notes]
    if chosen.vial_wording:
        notes.append(f"The study used '{chosen.vial_wording}'; here the rounding policy is "
                     f"'{policy}'.")
    course = totals(doses)
    return RegimenSchedule(
        regimen=chosen.id, title=chosen.title, setting=chosen.setting,
        setting_label=SETTINGS[chosen.setting], evidence=chosen.evidence.tag,
        evidence_quote=chosen.evidence.quote, regimen_sources=chosen.sources,
        wording=chosen.wording, reading=chosen.reading, source_product=chosen.source_product,
        start_date=start, conversion_date=conversion, product=drug.id, product_name=drug.name,
        mg_per_ml=drug.mg_per_ml, units_per_ml=drug.units_per_ml, dosing_weight=weight,
        weight_kg=weight.dosing_kg, rounding=policy,
        rounding_tolerance_pct=tolerance if policy == "nearest" else None,
        doses=doses, course_complete=complete, total_mg=course.mg, total_ml=course.ml,
        total_rounded_mg=course.rounded_mg, total_rounded_ml=course.rounded_ml,
        total_vials=course.vials,
        rate_plans=rate_plans(drug.id, weight.actual_kg),
        options=tuple(options), notes=tuple(notes),
        sources=unique(chosen.sources, chosen.cites, weight.sources, (drug.source,),
                       *(d.vials.sources for d in doses), *(o.vials.sources for o in options),
                       (products.label_maximum(drug).source,) if above_max else ()),
        warnings=unique(warnings, weight.warnings),
    )


CALCULATORS = (
    Calculator("regimen", "Treatment regimens from the sources, as dated doses", regimen_schedule,
               REGIMEN_FIELDS, uses_settings=True,
               example={"regimen": "chou-1996", "weight_kg": "70", "start_date": "2026-01-01"},
               listing=Listing(
                   "Treatment regimens",
                   "the regimens reported in the sources as dated doses, with the original "
                   "wording",
                   (Cite("cmvig-monograph"), Cite("schulz-2016"), Cite("zhang-2021"),))),
)
