"""When to consider CMVIG to treat CMV after thoracic transplant: the Schulz et al. 2016 criteria.

The review's conclusion: CMVIG "appears to be most appropriate for ganciclovir-resistant infection
or in serious or complicated cases", the latter potentially including seven situations, (i) to
(vii). :data:`CRITERIA` holds them as data (id, numeral, our short label, the review's words);
:func:`cmvig_criteria` takes one yes/no finding per criterion and lists those met.

The review prints the list twice. The Conclusions give all seven. The abstract skips (v): its (iv)
runs the Conclusions' (iv) and (v) together ("(iv) CMV disease or CMV infection or risk factors,
such as CMV-IgG-negative serostatus"), dropping "with severe leukopenia" and "recurrent CMV
infection". The Conclusions' list is used; the abstract's wording is carried with (iv) and (v).

Criterion (iii) can also be met from a viral load: a PCR above 5.0 log10 copies/mL, rising, in a
symptomatic patient on antiviral treatment. 5.0 log10 is the review's example ("eg"), not a cut-off,
so a clinician may tick (iii) directly at a lower value. This is decision support; the review itself
says the evidence is limited, and treatment with CMVIG is off-label.

The review's criteria describe serious or complicated CMV infection or disease: "consider CMVIG"
needs CMV infection or disease to be present. Five findings state it themselves (resistance, (i)
to (iv): ``shows_infection``); (v) to (vii) do not (a risk factor such as a negative CMV IgG
status, ganciclovir intolerance or hypogammaglobulinemia may be present without any infection),
so with only those met the result is "not yet", unless ``cmv_infection`` is ticked. The result
says which criteria led to it and what is missing.

An unticked box cannot tell "does not apply" from "not looked at": a form left untouched must not
read as "no criterion met". "No criterion met" is therefore given only when ``none_apply`` ("None
of these applies") is ticked; with nothing ticked and nothing met the calculator refuses, naming
the boxes, and the page and the command line say the same.

A :class:`CmvigCriteria` shows itself (:class:`calculators.layout.Presentable`): the answer, then
each criterion met or not, in the review's words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .calculator import Calculator, Cite, Listing
from .errors import InputError
from .fields import AnyField, FlagField, NumberField
from .layout import Block, Box, Column, Row, Sources, Table, note_blocks, warning_blocks
from .results import Result
from .viral_load import LOG10_FIELD, SCHULZ_PCR_LOG10, parse_log10

__all__ = ["Criterion", "CRITERIA", "CRITERIA_FIELDS", "CriterionResult", "CmvigCriteria",
           "cmvig_criteria", "CALCULATORS"]

SOURCE = "schulz-2016"


@dataclass(frozen=True, slots=True)
class Criterion:
    """One of the review's situations; ``field`` is the yes/no input that records the finding."""

    id: str
    numeral: str | None  # None for ganciclovir resistance, which the review lists before (i)
    field: str
    label: str  # our words
    quote: str  # the review's Conclusions, verbatim
    shows_infection: bool  # the finding itself is CMV infection or disease
    abstract_quote: str | None = None  # where the abstract words it differently


_ABSTRACT_IV = ("(iv) CMV disease or CMV infection or risk factors, such as CMV-IgG–negative "
                "serostatus;")

# schulz-2016, Conclusions (and abstract); numerals as printed.
CRITERIA: tuple[Criterion, ...] = (
    Criterion("ganciclovir-resistant", None, "ganciclovir_resistant",
              "Ganciclovir-resistant CMV infection",
              "appears to be most appropriate for ganciclovir-resistant infection or in serious "
              "or complicated cases", True),
    Criterion("i-severe-manifestation", "i", "severe_manifestation",
              "Severe clinical manifestation (such as pneumonitis or eye involvement)",
              "(i) treatment of severe clinical manifestations, such as pneumonitis or eye "
              "complications", True),
    Criterion("ii-positive-end-organ-biopsy", "ii", "positive_biopsy",
              "Positive biopsy of an end organ (such as lung or stomach)",
              "(ii) patients with a positive biopsy in end organs, such as the lung or stomach",
              True),
    Criterion("iii-rising-pcr-despite-antivirals", "iii", "rising_pcr",
              "Symptomatic, with PCR rising despite antiviral treatment",
              "(iii) symptomatic cases with rising PCR values (eg, higher than 5.0 log10) despite "
              "antiviral treatment", True),
    Criterion("iv-severe-leukopenia", "iv", "severe_leukopenia",
              "CMV disease or infection with severe leukopenia (such as from antivirals)",
              "(iv) CMV disease or CMV infection with severe leukopenia (eg, arising from "
              "antiviral treatment)", True, _ABSTRACT_IV),
    Criterion("v-recurrent-or-risk-factors", "v", "recurrent_or_risk_factors",
              "CMV infection that keeps coming back, or a risk factor (for example a negative "
              "CMV IgG status)",
              "(v) recurrent CMV infection or risk factors, such as CMV-IgG negative serostatus",
              False, _ABSTRACT_IV),
    Criterion("vi-ganciclovir-intolerance", "vi", "ganciclovir_intolerance",
              "Ganciclovir intolerance", "(vi) ganciclovir intolerance", False),
    Criterion("vii-hypogammaglobulinemia", "vii", "hypogammaglobulinemia",
              "Hypogammaglobulinemia", "(vii) or patients with hypogammaglobulinemia", False),
)
_III = CRITERIA[3]

FINDING_FIELDS = tuple(
    FlagField(name=c.field, label=c.label,
              hint=f"Schulz et al. 2016, ({c.numeral})" if c.numeral else "Schulz et al. 2016",
              needed=True)
    for c in CRITERIA
)
NONE_APPLY_FIELD = FlagField(
    name="none_apply", label="None of these applies",
    hint="Tick it to record that you checked every finding above and none applies.",
    needed=True)
CMV_INFECTION_FIELD = FlagField(
    name="cmv_infection", label="CMV infection or disease present",
    hint="The review's criteria are for serious or complicated CMV infection or disease: a risk "
         "factor, intolerance or hypogammaglobulinemia alone is not enough.", needed=True)
PCR_LOG10_FIELD = NumberField(
    name="pcr_log10", label="CMV PCR (log10 copies/mL)",
    hint="Optional, for (iii): the latest viral load as log10 copies/mL.",
    unit="log10", minimum_exclusive=None, minimum=LOG10_FIELD.minimum,
    maximum=LOG10_FIELD.maximum, example="5.3", optional=True,
    range_reason=LOG10_FIELD.range_reason, expected=LOG10_FIELD.expected,
)
PCR_RISING_FIELD = FlagField(name="pcr_rising", label="PCR rising",
                             hint="For (iii): higher than the previous result.")
ON_ANTIVIRALS_FIELD = FlagField(name="on_antivirals", label="On antiviral treatment",
                                hint="For (iii): rising despite ganciclovir or valganciclovir.")
SYMPTOMATIC_FIELD = FlagField(name="symptomatic", label="Symptomatic",
                              hint="For (iii): the review's criterion is for symptomatic cases.")
VIRAL_LOAD_FIELDS = (PCR_LOG10_FIELD, PCR_RISING_FIELD, ON_ANTIVIRALS_FIELD, SYMPTOMATIC_FIELD)
CRITERIA_FIELDS: tuple[AnyField, ...] = (*FINDING_FIELDS, NONE_APPLY_FIELD, CMV_INFECTION_FIELD,
                                         *VIRAL_LOAD_FIELDS)
NOTHING_TICKED = ("Nothing is ticked: tick each finding that applies to this patient (ganciclovir "
                  "resistance, (i) to (vii)), or 'None of these applies' once you have checked "
                  "that none does.")

# Hazards, shown to stand out; notes, true of every answer, shown quietly.
WARNINGS = (
    "Treating CMV with CMVIG is off-label: Cytotect and CytoGam are licensed only for prophylaxis.",
)
NOTES = (
    "Decision support, not a rule: the review bases these on limited evidence and clinical "
    "experience, without controlled trials; the decision is the treating team's.",
    "The review's abstract numbers the list (i)-(iv), (vi), (vii), skipping (v), and runs (iv) and "
    "(v) together; this follows the full list in its Conclusions.",
)


@dataclass(frozen=True, slots=True)
class CriterionResult:
    id: str
    numeral: str | None
    label: str
    quote: str
    abstract_quote: str | None
    met: bool
    from_viral_load: bool  # (iii) met by the PCR inputs rather than ticked


@dataclass(frozen=True, slots=True)
class CmvigCriteria(Result):
    met: tuple[str, ...]  # ids of the criteria met, in the review's order
    criteria: tuple[CriterionResult, ...]
    infection_present: bool  # ticked, or shown by a criterion met
    consider_cmvig: bool  # at least one criterion met, with CMV infection or disease present
    reason: str  # which criteria led there, or what is missing
    sources: tuple[str, ...]
    warnings: tuple[str, ...]  # hazards (off-label use)
    notes: tuple[str, ...]  # how the answer was reached, and what is true of every answer

    def explanation(self) -> str:
        return (f"{len(self.met)} of {len(self.criteria)} criteria met: each ticked box, and (iii) "
                f"also from a viral load above {SCHULZ_PCR_LOG10} log10, rising, on antivirals, "
                "with symptoms.")

    def blocks(self, hazards: Sequence[str]) -> tuple[Block, ...]:
        def row(c: CriterionResult) -> Row:
            return Row(((f"({c.numeral})" if c.numeral else "—",), (c.label,),
                        ("yes" if c.met else "no",), (f"“{c.quote}”",)))

        return (
            Box("answer", ((self.reason,),)), *warning_blocks(hazards),
            Table("Criteria for considering CMVIG (thoracic review)",
                  (Column("No.", lead=True), Column("Criterion", wide=True),
                   Column("Met", lead=True), Column("Source wording", wide=True)),
                  tuple(row(c) for c in self.criteria)),
            *note_blocks(self.notes), Sources(self.sources),
        )


def _viral_load_meets_iii(pcr_log10: object, pcr_rising: object, on_antivirals: object,
                          symptomatic: object) -> tuple[bool, list[str]]:
    """(iii) from the PCR inputs: above 5.0 log10, rising, on antivirals and symptomatic."""
    log10 = parse_log10(PCR_LOG10_FIELD, pcr_log10)
    parts = {
        "PCR rising": PCR_RISING_FIELD.parse(pcr_rising),
        "on antiviral treatment": ON_ANTIVIRALS_FIELD.parse(on_antivirals),
        "symptomatic": SYMPTOMATIC_FIELD.parse(symptomatic),
    }
    if log10 is None:
        return False, []
    above = log10 > SCHULZ_PCR_LOG10
    missing = [name for name, given in parts.items() if not given]
    if above and not missing:
        return True, []
    # Say why the viral load alone did not meet (iii), so a partial entry is not read as "no".
    reasons = ([] if above else [f"PCR {log10} log10 is not above the review's example of 5.0"])
    reasons += [f"not {name}" for name in missing]
    return False, [f"Criterion (iii) is not met from the viral load: {'; '.join(reasons)}. The "
                   "review's 5.0 log10 is an example: tick (iii) directly if it applies."]


def cmvig_criteria(
    ganciclovir_resistant: object = None, severe_manifestation: object = None,
    positive_biopsy: object = None, rising_pcr: object = None, severe_leukopenia: object = None,
    recurrent_or_risk_factors: object = None, ganciclovir_intolerance: object = None,
    hypogammaglobulinemia: object = None, none_apply: object = None,
    cmv_infection: object = None, pcr_log10: object = None, pcr_rising: object = None,
    on_antivirals: object = None, symptomatic: object = None,
) -> CmvigCriteria:
    """Which of the review's reasons to consider CMVIG treatment apply; one yes/no per finding.

    Every finding defaults to no. (iii) is also met when ``pcr_log10`` is above 5.0 and
    ``pcr_rising``, ``on_antivirals`` and ``symptomatic`` are all yes. "No criterion met" needs
    ``none_apply``: with no criterion met and it unticked, or with it ticked beside a criterion
    met, :class:`~calculators.errors.InputError` names ``none_apply``. Raises it too, naming the
    field, when a value is invalid.
    """
    given = (ganciclovir_resistant, severe_manifestation, positive_biopsy, rising_pcr,
             severe_leukopenia, recurrent_or_risk_factors, ganciclovir_intolerance,
             hypogammaglobulinemia)
    findings = [field.parse(raw) for field, raw in zip(FINDING_FIELDS, given, strict=True)]
    iii_from_pcr, pcr_warnings = _viral_load_meets_iii(pcr_log10, pcr_rising, on_antivirals,
                                                       symptomatic)
    results = tuple(
        CriterionResult(
            id=c.id, numeral=c.numeral, label=c.label, quote=c.quote,
            abstract_quote=c.abstract_quote,
            met=finding or (c is _III and iii_from_pcr),
            from_viral_load=c is _III and iii_from_pcr and not finding,
        )
        for c, finding in zip(CRITERIA, findings, strict=True)
    )
    met = tuple(r.id for r in results if r.met)
    none_ticked = NONE_APPLY_FIELD.parse(none_apply)
    if not met and not none_ticked:
        raise InputError("none_apply", none_apply, " ".join((NOTHING_TICKED, *pcr_warnings)))
    if met and none_ticked:
        raise InputError("none_apply", none_apply,
                         "None of these applies is ticked, but so is a criterion (or the viral "
                         "load meets (iii)): untick one of them.")
    infection = CMV_INFECTION_FIELD.parse(cmv_infection) or any(
        c.shows_infection for c, r in zip(CRITERIA, results, strict=True) if r.met)
    consider = bool(met) and infection
    named = ", ".join(_name(c) for c, r in zip(CRITERIA, results, strict=True) if r.met)
    if consider:
        reason = f"Consider CMVIG: met {named}, with CMV infection or disease present."
    elif met:
        reason = (f"Not yet: {named} met, but these do not show CMV infection or disease, which "
                  "the review's criteria are for. Missing: CMV infection or disease present "
                  "(tick it if so), or a criterion that shows it.")
    else:
        reason = ("No criterion met (none applies, as ticked): the review gives no reason here to "
                  "consider CMVIG.")
    return CmvigCriteria(
        met=met, criteria=results, infection_present=infection, consider_cmvig=consider,
        reason=reason, sources=(SOURCE,), warnings=WARNINGS, notes=(*pcr_warnings, *NOTES),
    )


def _name(criterion: Criterion) -> str:
    return f"({criterion.numeral})" if criterion.numeral else "ganciclovir resistance"


CALCULATORS = (
    Calculator("criteria", "Thoracic transplant: when to consider CMVIG to treat CMV (Schulz 2016)",
               cmvig_criteria, CRITERIA_FIELDS, example={"severe_manifestation": "true"},
               listing=Listing(
                   "When to consider CMVIG",
                   "which of the thoracic review's criteria (i)–(vii), and ganciclovir "
                   "resistance, apply",
                   (Cite("schulz-2016", "Conclusions"),))),
)
