"""HSCT: the ATG dose group and CMV-IVIG start of Zhang et al. 2021, with the study's outcomes.

Zhang et al. 2021 grouped 73 allo-HSCT recipients with CMV viremia by the total ATG dose of their
pretransplant conditioning, and by when CMV-IVIG was started. :func:`atg_group` places a patient in
the same groups and returns the study's outcome figures for that group, exactly as printed, so a
page can show what happened to "patients like this one in the study". They describe small groups
of one retrospective single-centre study; they are not a prediction.

The study defines the ATG groups twice, and not identically:

- Methods and Table 1: low dose = rabbit ATG <= 6 mg/kg, porcine ATG <= 40 mg/kg; high dose =
  rabbit ATG > 6 mg/kg, porcine ATG > 40 mg/kg.
- Abstract: low dose = rabbit ATG < 6 mg/kg, porcine ATG <= 40 mg/kg; high dose = rabbit > 6 mg/kg,
  porcine > 40 mg/kg, which leaves rabbit ATG of exactly 6 mg/kg in neither group.

The Methods' definition (stated twice, and the only one that places every dose) is used; at rabbit
ATG 6 mg/kg the result warns that the abstract differs.

Start of CMV-IVIG: "early (within 3 days after the diagnosis of CMV viremia) or late (after 3
days)". Days are whole days after the day of diagnosis (day 0): 0 to 3 is early, 4 or more late.

An :class:`AtgGroup` shows itself (:class:`calculators.layout.Presentable`): the group, then the
study's figures for both starts, the patient's marked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .calculator import Calculator, Cite, Listing
from .fields import ChoiceField, Expectation, NumberField
from .layout import Block, Box, Column, Row, Sources, Table, note_blocks, warning_blocks
from .results import Result

__all__ = [
    "ATG_AGENT_FIELD", "ATG_DOSE_FIELD", "DAYS_FROM_VIREMIA_FIELD", "ATG_FIELDS",
    "LOW_DOSE_LIMIT_MG_PER_KG", "EARLY_START_MAX_DAYS", "METHODS_QUOTE", "ABSTRACT_QUOTE",
    "StudyFigure", "StudyOutcome", "STUDY_OUTCOMES", "AtgGroup", "atg_group", "CALCULATORS",
]

SOURCE = "zhang-2021"

# Highest total ATG dose (mg/kg) of the low-dose group, by agent: Methods and Table 1 footnote.
LOW_DOSE_LIMIT_MG_PER_KG = {"rabbit": Decimal(6), "porcine": Decimal(40)}
# "early (within 3 days after the diagnosis of CMV viremia) or late (after 3 days)"
EARLY_START_MAX_DAYS = 3

METHODS_QUOTE = ("the low-dose ATG group (rabbit ATG ≤ 6 mg/kg, porcine ATG ≤ 40 mg/kg) and the "
                 "high-dose ATG group (rabbit ATG > 6 mg/kg, porcine ATG > 40 mg/kg)")
ABSTRACT_QUOTE = ("the low-dose ATG group (rabbit ATG <6 mg/kg, porcine ATG ≤40 mg/kg) (n=19) and "
                  "the high-dose ATG group (rabbit ATG >6 mg/kg, porcine ATG >40 mg/kg) (n=54)")
START_QUOTE = ("CMV-IVIG may not be given or may be given early (within 3 days after the diagnosis "
               "of CMV viremia) or late (after 3 days)")

ATG_AGENT_FIELD = ChoiceField(
    name="agent", label="ATG agent",
    hint="The antithymocyte globulin of the conditioning regimen.",
    choices=(("rabbit", "Rabbit ATG"), ("porcine", "Porcine ATG")),
)
ATG_DOSE_FIELD = NumberField(
    name="dose_mg_per_kg", label="Total ATG dose (mg/kg)",
    hint="The total ATG dose of the pretransplant conditioning regimen, in mg/kg.",
    unit="mg/kg", maximum=Decimal(200), example="7.5",
    range_reason="above 200 mg/kg is a typing slip; the study states no range of doses, only "
                 "its group limits (rabbit 6, porcine 40 mg/kg).", range_source="zhang-2021",
)
DAYS_FROM_VIREMIA_FIELD = NumberField(
    name="days_from_viremia", label="Days from CMV viremia to CMV-IVIG",
    hint="Whole days after the day CMV viremia was diagnosed (that day = 0); optional.",
    unit="days", minimum_exclusive=None, minimum=Decimal(0), maximum=Decimal(365), example="2",
    integer=True, optional=True,
    range_reason="0 (the day of diagnosis) to 365 days; more is a typing slip.",
    expected=Expectation(None, Decimal(30),
                         "check the date of diagnosis; the study compares starts within 3 days "
                         "and after 3 days of it, and gives no longer delays"),
)
# The study gives only the limits between its groups, no range of doses: a rabbit ATG dose above
# the porcine limit (40 mg/kg) is in the porcine range, beyond the study's rabbit doses.
ATG_FIELDS = (ATG_AGENT_FIELD, ATG_DOSE_FIELD, DAYS_FROM_VIREMIA_FIELD)


@dataclass(frozen=True, slots=True)
class StudyFigure:
    """One number from the study, as printed, with the sentence it comes from."""

    value: Decimal
    unit: str
    printed: str
    responders: int | None  # numerator and denominator, where the study prints them
    patients: int | None
    quote: str
    source: str


@dataclass(frozen=True, slots=True)
class StudyOutcome:
    """The study's results for one ATG group and CMV-IVIG start."""

    group: str
    start: str
    two_week_response_rate: StudyFigure
    median_days_to_conversion: StudyFigure
    reactivation_rate: StudyFigure


# Verbatim from the Results; " … " marks where the printed sentence is cut by a figure caption.
_LOW_QUOTE = ("In the low-dose ATG group, the two-week response rates were 66.67% (4/6) in the "
              "early CMV-IVIG therapy group and 25.00% (3/12) in the late CMV-IVIG therapy group, "
              "… and the median times of CMV-DNA conversion were 11 and 18 days, respectively "
              "(P=0.291).")
_HIGH_QUOTE = ("In the high-dose ATG group, the two-week response rates were 61.90% (13/21) in the "
               "early CMV-IVIG therapy group and 12.90% (4/31) in the late CMV-IVIG therapy group, "
               "and the median times of CMV-DNA conversion were 14 and 23 days, respectively "
               "(P=0.000)")
_REACTIVATION_QUOTE = ("In the low-dose ATG group, the reactivation rate was 50.00% in patients "
                       "who received early CMV-IVIG therapy and 63.64% in patients who received "
                       "late CMV-IVIG therapy; and in the high-dose ATG group, the numbers were "
                       "45.00% and 58.06%, respectively.")


def _outcome(group: str, start: str, response: str, responders: int, patients: int,
             median_days: int, reactivation: str, quote: str) -> StudyOutcome:
    return StudyOutcome(
        group=group, start=start,
        two_week_response_rate=StudyFigure(
            Decimal(response), "%", f"{response}% ({responders}/{patients})", responders,
            patients, quote, SOURCE),
        median_days_to_conversion=StudyFigure(
            Decimal(median_days), "days", f"{median_days} days", None, None, quote, SOURCE),
        # The study prints no denominators for reactivation (63.64 % is 7/11, not k/12).
        reactivation_rate=StudyFigure(
            Decimal(reactivation), "%", f"{reactivation}%", None, None, _REACTIVATION_QUOTE,
            SOURCE),
    )


# zhang-2021, Results, "Treatment outcomes for early versus late CMV-IVIG therapy".
STUDY_OUTCOMES: tuple[StudyOutcome, ...] = (
    _outcome("low", "early", "66.67", 4, 6, 11, "50.00", _LOW_QUOTE),
    _outcome("low", "late", "25.00", 3, 12, 18, "63.64", _LOW_QUOTE),
    _outcome("high", "early", "61.90", 13, 21, 14, "45.00", _HIGH_QUOTE),
    _outcome("high", "late", "12.90", 4, 31, 23, "58.06", _HIGH_QUOTE),
)

OUTCOME_NOTE = ("The study's figures for its patients in this group (6 to 31 patients per group, "
                "one retrospective single-centre study of 70 evaluable patients, CMV-IVIG given "
                "with ganciclovir or foscarnet): context, not a prediction for this patient. The "
                "difference in days to conversion was significant in the high-dose group "
                "(P < 0.001), not in the low-dose group (P = 0.291); reactivation did not differ "
                "significantly.")
PRODUCT_NOTE = ("The study's CMV-IVIG (Chengdu Rongsheng) is investigational and has no labelled "
                "dose; the study gave 100 mg/kg once every two days.")


@dataclass(frozen=True, slots=True)
class AtgGroup(Result):
    agent: str
    dose_mg_per_kg: Decimal
    group: str  # "low" or "high"
    definition: str  # the Methods' rule that placed the dose
    days_from_viremia: int | None
    start: str | None  # "early" or "late"; None without days_from_viremia
    outcomes: tuple[StudyOutcome, ...]  # the study's figures for the group: early, then late
    quotes: tuple[str, ...]
    notes: tuple[str, ...]
    sources: tuple[str, ...]
    warnings: tuple[str, ...]

    def explanation(self) -> str:
        return f"Group by the study's definition: {self.definition}."

    def blocks(self, hazards: Sequence[str]) -> tuple[Block, ...]:
        start = f"; CMV-IVIG start: {self.start}" if self.start else ""

        # Both starts, always (the study's comparison); the patient's row is marked.
        def row(o: StudyOutcome) -> Row:
            this = o.start == self.start
            return Row(((f"{o.start} (this patient)" if this else o.start,),
                        (o.two_week_response_rate.printed,),
                        (o.median_days_to_conversion.printed,), (o.reactivation_rate.printed,)),
                       marked=this)

        return (
            Box("answer", ((f"ATG group: {self.group} dose ({self.definition}){start}",),)),
            *warning_blocks(hazards),
            Table("What the HSCT study found for this group, early and late start",
                  (Column("Start", lead=True), Column("Two-week response"),
                   Column("Median days to CMV-DNA conversion"), Column("Reactivation")),
                  tuple(row(o) for o in self.outcomes)),
            *note_blocks(self.notes), Sources(self.sources),
        )


def atg_group(agent: object, dose_mg_per_kg: object, days_from_viremia: object = None) -> AtgGroup:
    """Zhang et al. 2021's ATG dose group (and CMV-IVIG start) for a patient, with its outcomes.

    ``agent`` is ``rabbit`` or ``porcine``; ``dose_mg_per_kg`` the total ATG dose of conditioning;
    ``days_from_viremia`` (optional) the whole days from the diagnosis of CMV viremia to the first
    CMV-IVIG, which places the patient's row (``start``). Both starts' outcomes are always given,
    so the comparison stays in view. Raises
    :class:`~calculators.errors.InputError` naming the field when a value is missing or invalid.
    """
    agent_id = ATG_AGENT_FIELD.parse(agent)
    dose = ATG_DOSE_FIELD.parse(dose_mg_per_kg)
    days = DAYS_FROM_VIREMIA_FIELD.parse_optional(days_from_viremia)
    limit = LOW_DOSE_LIMIT_MG_PER_KG[agent_id]
    group = "low" if dose <= limit else "high"
    definition = f"{agent_id} ATG {'≤' if group == 'low' else '>'} {limit} mg/kg"

    warnings: list[str] = []
    porcine_limit = LOW_DOSE_LIMIT_MG_PER_KG["porcine"]
    if agent_id == "rabbit" and dose > porcine_limit:
        warnings.append(
            f"Rabbit ATG {dose} mg/kg is beyond the study's groups: it is in the range of porcine "
            f"ATG (above {porcine_limit} mg/kg). The study gives only the limits between its "
            "groups, no range of doses: check the agent and the dose.")
    if agent_id == "rabbit" and dose == limit:
        warnings.append(
            "Rabbit ATG of exactly 6 mg/kg: the study's Methods and Table 1 put it in the low-dose "
            "group (≤ 6 mg/kg), but its abstract says '<6 mg/kg' (low) and '>6 mg/kg' (high), "
            "which fits neither group. Grouped as low, by the Methods.")
    start: str | None = None
    if days is not None:
        start = "early" if days <= EARLY_START_MAX_DAYS else "late"
    return AtgGroup(
        agent=agent_id, dose_mg_per_kg=dose, group=group, definition=definition,
        days_from_viremia=None if days is None else int(days), start=start,
        # Both starts, always: the study's point is the early/late comparison; ``start`` says
        # which row is this patient's.
        outcomes=tuple(o for o in STUDY_OUTCOMES if o.group == group),
        quotes=(METHODS_QUOTE, ABSTRACT_QUOTE, START_QUOTE),
        notes=(OUTCOME_NOTE, PRODUCT_NOTE),
        sources=(SOURCE, "hsct-product-filings"),
        warnings=tuple(warnings),
    )


CALCULATORS = (
    Calculator("atg", "HSCT: ATG dose group and CMV-IVIG start (Zhang 2021)", atg_group,
               ATG_FIELDS,
               example={"agent": "rabbit", "dose_mg_per_kg": "7.5", "days_from_viremia": "2"},
               listing=Listing(
                   "ATG group and early or late start",
                   "the HSCT study's ATG group and start timing, with that group's results",
                   (Cite("zhang-2021"),))),
)
