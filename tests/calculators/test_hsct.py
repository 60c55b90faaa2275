"""calculators.hsct: Zhang et al. 2021 (zhang-2021) ATG dose group, CMV-IVIG start, outcomes.

Every expected number is from the seed's Methods ("low-dose ATG group (rabbit ATG ≤ 6 mg/kg,
porcine ATG ≤ 40 mg/kg) ... high-dose ATG group (rabbit ATG > 6 mg/kg, porcine ATG > 40 mg/kg)";
"early (within 3 days after the diagnosis of CMV viremia) or late (after 3 days)") and Results
(two-week response rates, median days to CMV-DNA conversion, reactivation rates). The tests below
also recompute each printed percentage from its n/N and, where the seed file is on this machine,
find each quote in it.
"""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal

import pytest

from calculators.__main__ import main
from calculators.errors import InputError
from calculators.hsct import (
    ABSTRACT_QUOTE,
    METHODS_QUOTE,
    START_QUOTE,
    STUDY_OUTCOMES,
    StudyOutcome,
    atg_group,
)
from calculators.registry import run
from calculators.rounding import round_to
from tests.conftest import SEEDS


@pytest.mark.parametrize(
    ("agent", "dose", "group"),
    [
        ("rabbit", "5", "low"),
        ("rabbit", "6", "low"),  # Methods: rabbit ATG ≤ 6 mg/kg
        ("rabbit", "6.01", "high"),  # Methods: rabbit ATG > 6 mg/kg
        ("rabbit", "10", "high"),
        ("porcine", "40", "low"),  # Methods and abstract: porcine ATG ≤ 40 mg/kg
        ("porcine", "40,5", "high"),  # porcine ATG > 40 mg/kg
        ("porcine", "20 mg/kg", "low"),
        ("Rabbit", Decimal("7.5"), "high"),
    ],
)
def test_group(agent: str, dose: object, group: str) -> None:
    result = atg_group(agent, dose)
    assert result.group == group
    assert result.sources == ("zhang-2021", "hsct-product-filings")


def test_definition_names_the_rule() -> None:
    assert atg_group("rabbit", "6").definition == "rabbit ATG ≤ 6 mg/kg"
    assert atg_group("porcine", "41").definition == "porcine ATG > 40 mg/kg"


def test_rabbit_6_warns_that_the_abstract_differs() -> None:
    # Abstract: "rabbit ATG <6 mg/kg" (low), "rabbit ATG >6 mg/kg" (high): 6 is in neither.
    assert any("abstract" in w for w in atg_group("rabbit", "6").warnings)
    for agent, dose in (("rabbit", "5.99"), ("rabbit", "6.01"), ("porcine", "40"),
                        ("porcine", "6")):
        assert atg_group(agent, dose).warnings == ()
    assert atg_group("rabbit", "6").quotes == (METHODS_QUOTE, ABSTRACT_QUOTE, START_QUOTE)


@pytest.mark.parametrize(("days", "start"), [("0", "early"), ("3", "early"), (4, "late"),
                                              ("30", "late")])
def test_start(days: object, start: str) -> None:
    # "early (within 3 days after the diagnosis of CMV viremia) or late (after 3 days)"
    result = atg_group("rabbit", "7", days)
    assert result.start == start
    assert result.days_from_viremia == int(str(days))
    # Issue 15: the comparison stays; ``start`` marks the patient's row.
    assert [(o.group, o.start) for o in result.outcomes] == [("high", "early"), ("high", "late")]


def test_without_days_both_starts_are_given() -> None:
    result = atg_group("porcine", "30")
    assert result.start is None and result.days_from_viremia is None
    assert [(o.group, o.start) for o in result.outcomes] == [("low", "early"), ("low", "late")]


# zhang-2021 Results: (group, start) -> two-week response "as printed", median days, reactivation.
EXPECTED = {
    ("low", "early"): ("66.67% (4/6)", 11, "50.00%"),
    ("low", "late"): ("25.00% (3/12)", 18, "63.64%"),
    ("high", "early"): ("61.90% (13/21)", 14, "45.00%"),
    ("high", "late"): ("12.90% (4/31)", 23, "58.06%"),
}


def test_outcomes_as_printed() -> None:
    assert {(o.group, o.start): (o.two_week_response_rate.printed,
                                 int(o.median_days_to_conversion.value),
                                 o.reactivation_rate.printed)
            for o in STUDY_OUTCOMES} == EXPECTED


@pytest.mark.parametrize("outcome", STUDY_OUTCOMES, ids=lambda o: f"{o.group}-{o.start}")
def test_response_rate_agrees_with_its_counts(outcome: StudyOutcome) -> None:
    figure = outcome.two_week_response_rate
    assert figure.responders is not None and figure.patients is not None
    assert round_to(Decimal(100) * figure.responders / figure.patients, "0.01") == figure.value


def test_groups_add_up_to_the_study() -> None:
    # "early CMV-IVIG therapy group (n=27)" and "late CMV-IVIG therapy group (n=43)".
    patients = {start: sum(o.two_week_response_rate.patients or 0 for o in STUDY_OUTCOMES
                           if o.start == start) for start in ("early", "late")}
    assert patients == {"early": 27, "late": 43}
    # "two-week response rate was 62.96% (17/27)" early and "16.28% (7/43)" late.
    responders = {start: sum(o.two_week_response_rate.responders or 0 for o in STUDY_OUTCOMES
                             if o.start == start) for start in ("early", "late")}
    assert responders == {"early": 17, "late": 7}


def test_every_figure_cites_the_study() -> None:
    for outcome in STUDY_OUTCOMES:
        for figure in (outcome.two_week_response_rate, outcome.median_days_to_conversion,
                       outcome.reactivation_rate):
            assert figure.source == "zhang-2021"
            assert figure.printed.split("%")[0].split(" ")[0] in figure.quote


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not on this machine")
def test_quotes_are_in_the_seed() -> None:
    seed = _normal(next(SEEDS.glob("002_*")).read_text(encoding="utf-8"))
    quotes = {METHODS_QUOTE, ABSTRACT_QUOTE, START_QUOTE}
    for outcome in STUDY_OUTCOMES:
        quotes |= {outcome.two_week_response_rate.quote, outcome.reactivation_rate.quote}
    for quote in quotes:
        for piece in quote.split(" … "):  # " … " marks a cut made by a figure caption
            assert _normal(piece) in seed, piece


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"agent": "horse", "dose_mg_per_kg": "5"}, "agent"),
        ({"agent": "", "dose_mg_per_kg": "5"}, "agent"),
        ({"agent": "rabbit", "dose_mg_per_kg": ""}, "dose_mg_per_kg"),
        ({"agent": "rabbit", "dose_mg_per_kg": "0"}, "dose_mg_per_kg"),
        ({"agent": "rabbit", "dose_mg_per_kg": "201"}, "dose_mg_per_kg"),
        ({"agent": "rabbit", "dose_mg_per_kg": "6 mg"}, "dose_mg_per_kg"),
        ({"agent": "rabbit", "dose_mg_per_kg": "6", "days_from_viremia": "2.5"},
         "days_from_viremia"),
        ({"agent": "rabbit", "dose_mg_per_kg": "6", "days_from_viremia": "-1"},
         "days_from_viremia"),
        ({"agent": "rabbit", "dose_mg_per_kg": "6", "days_from_viremia": "366"},
         "days_from_viremia"),
    ],
)
def test_bad_input_names_the_field(params: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as caught:
        atg_group(**params)
    assert caught.value.field == field


def test_registry_and_cli() -> None:
    plain = run("atg", {"agent": "rabbit", "dose_mg_per_kg": "7", "days_from_viremia": "2"})
    assert plain["group"] == "high" and plain["start"] == "early"
    assert plain["outcomes"][0]["two_week_response_rate"]["printed"] == "61.90% (13/21)"
    out, err = io.StringIO(), io.StringIO()
    assert main(["atg", "--agent", "porcine", "--dose-mg-per-kg", "45", "--days-from-viremia",
                 "5", "--json"], out, err) == 0
    # Day 5 is late: the late row (the second) is the patient's; the early row stays beside it.
    plain = json.loads(out.getvalue())
    assert plain["start"] == "late"
    assert [o["median_days_to_conversion"]["value"] for o in plain["outcomes"]] == [14, 23]
