"""The treatment regimens the sources report, as data: each number with its source key.

CMV immunoglobulin is licensed for prophylaxis only; for treatment the sources report one
monograph line, single cases, small series and one study. Each :class:`Regimen` is data: an id,
its source keys (:data:`calculators.sources.SOURCES`), the source's own words (quoted), and a rule
(the days and the amount per dose, as :class:`calculators.schedule.Step`). Nothing here computes
a dose: :func:`calculators.regimens.regimen_schedule` turns a rule into dated doses through the
schedule engine (:mod:`calculators.schedule`). Continuations that a source offers as a choice are
``options``, never mixed into the steps.

Regimens (ids):

- ``pneumonitis-label`` -- CMV Ig monograph: 400 mg/kg days 1, 2, 7; 200 mg/kg day 14.
- ``novick-1990`` -- Schulz 2016: 400 mg/kg days 1, 2, 7, then 200 mg/kg day 14.
- ``chou-1996`` -- Schulz 2016: Cytotect 200 mg/kg on alternate days for 14 days (7 doses).
- ``lopez-garcia-gallo-2005`` -- Schulz 2016: 200 mg/kg, 6 doses on days 1, 3, 5, 7, 14, 28.
- ``zhang-2021-hsct`` -- Zhang 2021: 100 mg/kg every 2 days until CMV-DNA conversion, then
  weekly for two weeks.
- ``schulz-single-50ml`` -- Schulz 2016: one 50 mL (2,500 mg) dose of Cytotect.
- ``cremer-1988`` (both courses: the first as doses, the second as an option), and each on its
  own: ``cremer-1988-12.5g``, ``cremer-1988-15g`` -- Schulz 2016: 12.5 g/day for 6 days; 15 g/day
  for 5 days (one patient each, fixed doses).
- ``case-intensive-50u`` -- Schulz 2016 case study: 50 U/kg every second day, four doses.
- ``kneidinger-2014`` -- Schulz 2016: Cytotect 100 IU (50 mg)/kg; one dose, no interval given.

Where wording is ambiguous, the reading that agrees with the source's own dose count is encoded,
said in ``reading`` and shown as a warning beside the quoted wording.

Each regimen also carries its ``setting`` (a key of :data:`SETTINGS`: solid-organ, thoracic or
stem-cell transplant) and its ``evidence`` (what kind of source reports it, and for how many
patients), each backed by the source's own words; the form's dropdown groups the regimens by
setting, derived from this data.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .schedule import FIXED_MG, MG_PER_KG, UNITS_PER_KG, Step, every, on_days

__all__ = ["SETTINGS", "EVIDENCE_KINDS", "Quote", "OptionRule", "UntilConversion", "Evidence",
           "Regimen", "REGIMENS"]


@dataclass(frozen=True, slots=True)
class Quote:
    """The source's own words, whitespace aside (PDF line breaks are not part of the wording)."""

    source: str
    text: str


@dataclass(frozen=True, slots=True)
class OptionRule:
    """A continuation the source offers; ``days`` when the source fixes them, else empty."""

    id: str
    label: str
    quote: Quote
    amount: Decimal
    frequency: str
    days: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class UntilConversion:
    """Zhang 2021: a dose every ``every_days`` until CMV-DNA conversion, then ``then_count``
    doses ``then_every_days`` apart. ``horizon_days`` bounds the first phase when no conversion
    date is known yet."""

    amount: Decimal
    every_days: int
    then_every_days: int
    then_count: int
    horizon_days: int


# Where a regimen was used, as the form's groups name it (in this order).
SETTINGS = {
    "sot": "Solid-organ transplant",
    "thoracic": "Thoracic transplant (heart, lung)",
    "hsct": "Stem-cell transplant (HSCT)",
}
# What kind of source reports a regimen; "{n}" is the number of patients it reports.
EVIDENCE_KINDS = {
    "label": "Product label",
    "guideline": "Guideline or consensus",
    "monograph": "Drug monograph, off-label use",
    "study": "Retrospective study of {n} patients",
    "series": "Case series of {n} patients",
    "case": "Single case",
}


@dataclass(frozen=True, slots=True)
class Evidence:
    """What kind of source reports a regimen (a key of :data:`EVIDENCE_KINDS`), for how many
    patients, and the source's words that say so (and name the setting)."""

    kind: str
    quote: Quote
    patients: int | None = None

    @property
    def tag(self) -> str:
        return EVIDENCE_KINDS[self.kind].format(n=self.patients)


@dataclass(frozen=True, slots=True)
class Regimen:
    id: str
    title: str
    setting: str  # a key of SETTINGS
    evidence: Evidence
    sources: tuple[str, ...]
    wording: tuple[Quote, ...]
    unit: str  # MG_PER_KG, UNITS_PER_KG or FIXED_MG
    steps: tuple[Step, ...]
    reading: str  # how the rule was read from the wording, in our words
    source_product: str  # as the source names it
    warnings: tuple[str, ...]  # shown with every schedule (off-label use, product, ambiguity)
    cites: tuple[str, ...] = ()  # further source keys that the warnings rely on
    ambiguous: bool = False  # the reading is a choice: said so in the notes
    options: tuple[OptionRule, ...] = ()
    until_conversion: UntilConversion | None = None
    course_complete: bool = True  # False where the source leaves the number of doses open
    own_products: tuple[str, ...] = ()  # product ids that are the source's own product
    # The source names its product's strength (or the product has only one): without it, even
    # the source's own product may differ in CMV antibody content per mg, and a warning says so.
    strength_named: bool = False
    stated_mg_per_ml: Decimal | None = None  # implied by the source's paired mL and mg figures
    stated_mg_per_unit: Decimal | None = None  # implied by the source's paired U and mg figures
    vial_wording: str = ""  # the source's own words on whole vials, set beside the rounding policy


_SCHULZ_OFF_LABEL = (
    "Off-label: 'the main commercially available CMVIG preparations, Cytotect or Cytogam, are "
    "licensed only for prophylactic use' (Schulz 2016). This is a published case or series, not "
    "a labelled dose."
)
_MONOGRAPH_HEADING = "Treatment of severe CMV pneumonitis (Off-label, with ganciclovir):"
_MONOGRAPH_PNEUMONITIS = (
    "400 mg/kg on days 1, 2, and 7, followed by 200 mg/kg on day 14. Additional doses of "
    "200 mg/kg on day 21 or 150 mg/kg twice weekly may be considered if symptoms persist."
)
_MONOGRAPH_FURTHER = ("Additional doses of 200 mg/kg on day 21 or 150 mg/kg twice weekly may be "
                      "considered if symptoms persist.")
_ZHANG_RULE = (
    "CMV-IVIG was intravenously infused at 100 mg/kg once every two days, and an integral "
    "number of vials was used whenever possible. After CMV-DNA conversion (confirmed with two "
    "consecutive tests), CMV-IVIG was administered once a week for two weeks."
)
# Cremer 1988: "described 2 heart transplant recipients", one course each.
_CREMER = Quote("schulz-2016", "Cremer et al18 described 2 heart transplant recipients who were "
                "not given any antiviral therapy")
_CASE_TWICE_WEEKLY = ("The patient received another course of steroids and CMVIg (50U/kg) was "
                      "continued twiceweekly fromMay 2 toMay 14.")

REGIMENS: dict[str, Regimen] = {
    r.id: r
    for r in (
        Regimen(
            id="pneumonitis-label",
            title="Severe CMV pneumonitis after stem-cell transplant (CMV Ig monograph)",
            setting="hsct",
            evidence=Evidence("monograph", Quote(
                "cmvig-monograph",
                "CMV Ig may also be used off-label in treating severe CMV pneumonitis in patients"
                " who have had hematopoietic stem cell transplants")),
            sources=("cmvig-monograph",),
            wording=(Quote("cmvig-monograph", _MONOGRAPH_HEADING),
                     Quote("cmvig-monograph", _MONOGRAPH_PNEUMONITIS)),
            unit=MG_PER_KG,
            steps=(*on_days((1, 2, 7), 400, "400 mg/kg on days 1, 2 and 7"),
                   *on_days((14,), 200, "200 mg/kg on day 14")),
            reading="Four doses, on days 1, 2, 7 and 14. The further doses 'may be considered if "
                    "symptoms persist': they are options, not part of the schedule.",
            source_product="CMV Ig (the monograph names no brand)",
            warnings=(f"Off-label: the monograph lists this under '{_MONOGRAPH_HEADING}'",),
            options=(
                OptionRule("day-21", "A further 200 mg/kg on day 21",
                           Quote("cmvig-monograph", _MONOGRAPH_FURTHER),
                           Decimal(200), "once, on day 21, if symptoms persist", (21,)),
                OptionRule("twice-weekly-150", "150 mg/kg twice weekly",
                           Quote("cmvig-monograph", _MONOGRAPH_FURTHER),
                           Decimal(150), "twice weekly, if symptoms persist; the monograph gives "
                           "no number of doses and no start day"),
            ),
            # The monograph's prophylaxis doses are the CytoGam label's (reference facts), so its
            # CMV Ig is the US product, CytoGam, which has one strength.
            own_products=("cytogam",), strength_named=True,
        ),
        Regimen(
            id="novick-1990",
            title="Novick 1990: CMV pneumonitis after heart-lung transplant",
            setting="thoracic",
            evidence=Evidence("case", Quote(
                "schulz-2016",
                "Novick et al21 have reported a case in which a patient developed severe "
                "pulmonary rejection 3 weeks after receipt of a D+/R− heart-lung transplant"), 1),
            sources=("schulz-2016",),
            wording=(
                Quote("schulz-2016", "CMVIG (Immuno-AG, Vienna) 400 mg/kg on days 1, 2, 7, then "
                      "200 mg/kg on day 14"),
                Quote("schulz-2016", "until after addition of CMVIG (400 mg/kg on days 1, 2, and "
                      "7; 200 mg/kg on day 14)"),
            ),
            unit=MG_PER_KG,
            steps=(*on_days((1, 2, 7), 400, "400 mg/kg on days 1, 2 and 7"),
                   *on_days((14,), 200, "200 mg/kg on day 14")),
            reading="Four doses, on days 1, 2, 7 and 14, as Table 2 and the text both give them.",
            source_product="CMVIG (Immuno-AG, Vienna)",
            warnings=(_SCHULZ_OFF_LABEL,),
        ),
        Regimen(
            id="chou-1996",
            title="Chou 1996: CMV retinitis after heart transplant",
            setting="thoracic",
            evidence=Evidence("case", Quote(
                "schulz-2016",
                "Chou et al/199617 1 51-year-old man with CMV retinitis 1 y after heart tx"), 1),
            sources=("schulz-2016",),
            wording=(
                Quote("schulz-2016", "Cytotect, 200 mg/kg on alternate days for 14 days with "
                      "reduction of immunosuppression"),
                Quote("schulz-2016", "treated with CMVIG (Cytotect, 200 mg/kg every other day for "
                      "2weeks)"),
            ),
            unit=MG_PER_KG,
            steps=every(1, 2, 7, 200, "200 mg/kg on alternate days for 14 days"),
            reading="7 doses, on days 1, 3, 5, 7, 9, 11 and 13: every other day within the 14 days "
                    "that start on day 1. The source states no dose count; a dose on day 15 would "
                    "fall outside the 14 days (2 weeks), so it is not given.",
            ambiguous=True,
            source_product="Cytotect",
            warnings=(_SCHULZ_OFF_LABEL,),
            own_products=("cytotect-cp",),
        ),
        Regimen(
            id="lopez-garcia-gallo-2005",
            title="López Garcia-Gallo 2005: invasive CMV intestinal disease after lung "
                  "transplant",
            setting="thoracic",
            evidence=Evidence("series", Quote(
                "schulz-2016",
                "López Garcia-Gallo et al/200520 4 4 cases of invasive CMV intestinal disease "
                "after lung tx"), 4),
            sources=("schulz-2016",),
            wording=(
                Quote("schulz-2016", "CMVIG (Cytotect) 200 mg/kg on alternate days for 1 wk, "
                      "weekly for 15 d, fortnightly for 1 mo (6 doses)"),
                Quote("schulz-2016", "(200 mg/kg every 2 days for a week, weekly for a further "
                      "2 weeks, then once every 2weeks for amonth)"),
            ),
            unit=MG_PER_KG,
            steps=(*every(1, 2, 4, 200, "alternate days for 1 week"),
                   *on_days((14,), 200, "weekly, to day 15"),
                   *on_days((28,), 200, "fortnightly, to 1 month")),
            reading="6 doses, on days 1, 3, 5, 7, 14 and 28: alternate days to day 7, weekly to "
                    "day 15, fortnightly to one month, each span counted from day 1. This is the "
                    "reading that gives Table 2's '6 doses'; reading the phases one after another "
                    "(as the text's 'a further 2 weeks' suggests) would give 8 doses, on days 1, "
                    "3, 5, 7, 14, 21, 35 and 49, which disagrees with the stated count.",
            ambiguous=True,
            source_product="Cytotect",
            warnings=(_SCHULZ_OFF_LABEL,),
            own_products=("cytotect-cp",),
        ),
        Regimen(
            id="zhang-2021-hsct",
            title="Zhang 2021: CMV viremia after allogeneic HSCT, with antivirals",
            setting="hsct",
            evidence=Evidence("study", Quote(
                "zhang-2021",
                "The clinical data of 73 patients who received allo-HSCT and concurrent CMV-IVIG "
                "to treat postallo-HSCT CMV viremia at our hospital between January and September"
                " 2020 were retrospectively analyzed."), 73),
            sources=("zhang-2021",),
            cites=("hsct-product-filings",),
            wording=(Quote("zhang-2021", _ZHANG_RULE),),
            unit=MG_PER_KG,
            steps=(),
            until_conversion=UntilConversion(amount=Decimal(100), every_days=2,
                                             then_every_days=7, then_count=2, horizon_days=14),
            reading="100 mg/kg every 2 days (days 1, 3, 5, ...) up to the day before the CMV-DNA "
                    "conversion date (the day conversion is confirmed by the second of two "
                    "consecutive tests); then two weekly doses, 7 and 14 days after the conversion "
                    "date. The source does not say on which day the weekly doses start.",
            ambiguous=True,
            vial_wording="an integral number of vials ... whenever possible",
            source_product="CMV-IVIG (Chengdu Rongsheng Pharmaceutical Co., Ltd.)",
            warnings=(
                "Investigational product: Zhang 2021 used a CMV-IVIG from Chengdu Rongsheng that "
                "was never marketed and has no labelled dose. Its planned vials (20,000 U in "
                "25 mL, 40,000 U in 50 mL) state no protein content, so its vials cannot be "
                "planned from a dose in mg: the vials shown are those of the chosen product, and "
                "vial contents must come from the local product.",
                "Off-label: a retrospective study with ganciclovir or foscarnet, not a labelled "
                "dose.",
            ),
        ),
        Regimen(
            id="schulz-single-50ml",
            title="Schulz 2014: one 50 mL dose of Cytotect for asymptomatic CMV infection "
                  "in heart recipients",
            setting="thoracic",
            evidence=Evidence("series", Quote(
                "schulz-2016",
                "In a series of 15 asymptomatic heart transplant recipients"), 15),
            sources=("schulz-2016",),
            wording=(
                Quote("schulz-2016", "Cytotect single dose (50 mL [2500 mg])"),
                Quote("schulz-2016", "Schulz et al15 administered a single low dose of 50 mL "
                      "Cytotect without antiviral therapy."),
            ),
            unit=FIXED_MG,
            steps=on_days((1,), 2500, "one dose of 50 mL (2,500 mg)"),
            reading="One fixed dose of 2,500 mg (50 mL) on day 1, whatever the weight. A second "
                    "dose is an option, only if the next PCR test still shows CMV DNA.",
            source_product="Cytotect",
            warnings=(
                _SCHULZ_OFF_LABEL,
                "A fixed dose, not per kg: the series was of asymptomatic heart recipients with a "
                "low viral load (500-1000 CMV DNA copies/mL) and no antiviral therapy.",
            ),
            options=(
                OptionRule("repeat-if-pcr-positive", "A second 50 mL (2,500 mg) dose",
                           Quote("schulz-2016", "In 1 patient, a second 50-mL dose was given after "
                                 "the next PCR test continued to show a viral load in the range "
                                 "of 500 to 1000 CMV DNA copies/mL."),
                           Decimal(2500), "once, if the next PCR test still shows CMV DNA; the "
                           "source gives no interval"),
            ),
            own_products=("cytotect-cp",),
            stated_mg_per_ml=Decimal(50),  # "50 mL [2500 mg]"
        ),
        Regimen(
            id="cremer-1988-12.5g",
            title="Cremer 1988, first case: 12.5 g a day for 6 days (a 14-year-old boy)",
            setting="thoracic",
            evidence=Evidence("case", _CREMER, 1),
            sources=("schulz-2016",),
            wording=(
                Quote("schulz-2016", "CMVIG (type not stated) 12.5 g/d for 6 d"),
                Quote("schulz-2016", "The CMVIG was started (12.5 g on 6 consecutive days)"),
            ),
            unit=FIXED_MG,
            steps=every(1, 1, 6, 12500, "12.5 g a day for 6 days"),
            reading="Six fixed doses of 12,500 mg, on days 1 to 6.",
            source_product="CMVIG (type not stated)",
            warnings=(
                _SCHULZ_OFF_LABEL,
                "A fixed daily dose given to one patient, a 14-year-old boy whose weight is not "
                "stated: it is not scaled to weight.",
            ),
        ),
        Regimen(
            id="cremer-1988-15g",
            title="Cremer 1988, second case: 15 g a day for 5 days (a 29-year-old man)",
            setting="thoracic",
            evidence=Evidence("case", _CREMER, 1),
            sources=("schulz-2016",),
            wording=(
                Quote("schulz-2016", "CMVIG (type not stated) 15 g/d for 5 d"),
                Quote("schulz-2016", "The CMVIG was administered at a dose of 15 g for 5 "
                      "consecutive days"),
            ),
            unit=FIXED_MG,
            steps=every(1, 1, 5, 15000, "15 g a day for 5 days"),
            reading="Five fixed doses of 15,000 mg, on days 1 to 5.",
            source_product="CMVIG (type not stated)",
            warnings=(
                _SCHULZ_OFF_LABEL,
                "A fixed daily dose given to one patient, a 29-year-old man whose weight is not "
                "stated: it is not scaled to weight.",
            ),
        ),
        Regimen(
            id="cremer-1988",
            title="Cremer 1988: two heart recipients, two courses (12.5 g a day for 6 days; "
                  "15 g a day for 5 days)",
            setting="thoracic",
            evidence=Evidence("series", _CREMER, 2),
            sources=("schulz-2016",),
            wording=(
                Quote("schulz-2016", "CMVIG (type not stated) 12.5 g/d for 6 d"),
                Quote("schulz-2016", "CMVIG (type not stated) 15 g/d for 5 d"),
            ),
            unit=FIXED_MG,
            steps=every(1, 1, 6, 12500, "12.5 g a day for 6 days"),
            reading="The report gives one course per patient. The first (six fixed doses of "
                    "12,500 mg, days 1 to 6) is shown as doses; the second (five of 15,000 mg, "
                    "days 1 to 5) as an option. cremer-1988-12.5g and cremer-1988-15g give each "
                    "course on its own.",
            source_product="CMVIG (type not stated)",
            ambiguous=True,
            warnings=(
                _SCHULZ_OFF_LABEL,
                "Two patients, two different fixed daily courses; neither is scaled to weight, "
                "and the source does not say which to prefer.",
            ),
            options=(
                OptionRule("cremer-1988-15g", "The second patient's course: 15 g a day for 5 days",
                           Quote("schulz-2016", "CMVIG (type not stated) 15 g/d for 5 d"),
                           Decimal(15000), "once a day for 5 days", days=(1, 2, 3, 4, 5)),
            ),
        ),
        Regimen(
            id="case-intensive-50u",
            title="Schulz 2016 case study: 'intensive' 50 U/kg every second day",
            setting="thoracic",
            evidence=Evidence("case", Quote(
                "schulz-2016",
                "A 30-year-old woman received a high-urgency heart transplant on March 19, "
                "2010."), 1),
            sources=("schulz-2016",),
            wording=(
                Quote("schulz-2016", "combined with CMVIg (Cytotect, Biotest AG, Dreieich, "
                      "Germany). The dose of CMVIg was an empirically defined ‘intensive’ regimen "
                      "of 50 U/kg given every second day for a total of four doses."),
                Quote("schulz-2016", _CASE_TWICE_WEEKLY),
            ),
            unit=UNITS_PER_KG,
            steps=every(1, 2, 4, 50, "50 U/kg every second day, four doses"),
            reading="Four doses of 50 U/kg, on days 1, 3, 5 and 7. The twice-weekly continuation "
                    "(May 2 to May 14 in the case, after a new course of steroids) is an option: "
                    "the case gives no start day for it relative to the first dose.",
            source_product="Cytotect (Biotest)",
            warnings=(
                _SCHULZ_OFF_LABEL,
                "The case does not state whether its Cytotect was Cytotect CP (100 U/mL) or the "
                "older Cytotect (50 U/mL): in the older product 50 U/kg is 1 mL/kg, twice the "
                "volume of Cytotect CP (0.5 mL/kg = 25 mg/kg). The units here are those of the "
                "chosen product.",
            ),
            options=(
                OptionRule("twice-weekly", "50 U/kg twice weekly",
                           Quote("schulz-2016", _CASE_TWICE_WEEKLY), Decimal(50),
                           "twice weekly; in the case from May 2 to May 14"),
            ),
            own_products=("cytotect-cp",),
            cites=("cytotect-cp-smpc",),
        ),
        Regimen(
            id="kneidinger-2014",
            title="Kneidinger 2014: ganciclovir-resistant CMV disease after lung transplant",
            setting="thoracic",
            evidence=Evidence("case", Quote(
                "schulz-2016",
                "Kneidinger et al/201419 1 42-year-old female with ganciclovir-resistant CMV "
                "disease after double D+/R− lung tx."), 1),
            sources=("schulz-2016",),
            wording=(Quote("schulz-2016", "CMVIG (Cytotect) 100 IU (50 mg)/kg"),),
            unit=UNITS_PER_KG,
            steps=on_days((1,), 100, "100 IU (50 mg)/kg"),
            reading="One dose of 100 U/kg on day 1. The source gives no interval and no number of "
                    "doses; it was given with ganciclovir, then with foscarnet.",
            ambiguous=True,
            course_complete=False,
            source_product="Cytotect",
            warnings=(_SCHULZ_OFF_LABEL,),
            own_products=("cytotect-cp",),
            stated_mg_per_unit=Decimal("0.5"),  # "100 IU (50 mg)/kg"
            strength_named=True,  # units and mg together: Cytotect CP's 2 U per mg
            cites=("cytotect-cp-smpc",),
        ),
    )
}
