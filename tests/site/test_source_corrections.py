"""Corrections found when the content was reviewed against the sources (issue 13, item 10).

Each test reads site_src/ and fails on the text as it was before the correction: a total that the
rows do not add up to, a difference in percentage points called a rise in per cent, a drug stopped
on two different dates, a study dose shown without its renal note.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from build_scripts.content import load_content

CONTENT = load_content()
PAGES = {page.slug: page.body for page in CONTENT.pages}


def _section(slug: str, heading: str) -> str:
    """The text under ``heading`` on a page, up to the next heading of any level."""
    body = PAGES[slug]
    start = body.index(heading)
    following = re.search(r"^#{1,6} ", body[start + len(heading):], re.M)
    return body[start: start + len(heading) + following.start()] if following else body[start:]


@pytest.mark.parametrize("table_id", sorted(t for t, table in CONTENT.tables.items()
                                            if re.search(r"\(\d+ patients", table["summary"])))
def test_stated_patient_totals_match_the_rows(table_id: str) -> None:
    """A table's summary total is the sum of its N column, one count per report (a report split
    into one row per patient carries the report's N on each row)."""
    table = CONTENT.tables[table_id]
    stated = int(re.search(r"\((\d+) patients", table["summary"])[1])  # type: ignore[index]
    per_report = {row["first_author_year"]: row["n"] for row in table["rows"]}
    assert sum(per_report.values()) == stated


def test_hsct_difference_of_two_rates_is_in_percentage_points() -> None:
    """Zhang 2021: two-week response 62.96% early against 16.28% late."""
    text = " ".join(PAGES["hsct"].split())
    difference = Decimal("62.96") - Decimal("16.28")
    assert f"{difference} percentage points" in text
    assert f"by {difference}%" not in text


def test_hsct_page_says_some_patients_were_excluded() -> None:
    text = " ".join(PAGES["hsct"].split())
    assert "every patient" not in text
    assert "excluded" in _section("hsct", "## The study in one paragraph")


def test_heart_case_stops_valganciclovir_on_one_date() -> None:
    """The timeline's switch date is the only date the case gives for stopping valganciclovir."""
    case = CONTENT.cases["heart-case-30yo"]
    stops = [event["date"] for event in case["timeline"]
             if "valganciclovir stopped" in (event.get("treatment") or "").lower()]
    assert len(stops) == 1
    day = date.fromisoformat(stops[0])
    co_treatment = " ".join(case["co_treatment"].split())
    assert f"{day:%B} {day.day}" in co_treatment
    assert "until CMV appeared" not in co_treatment


def test_rouphael_valganciclovir_was_withheld_then_given_with_cmvig() -> None:
    paragraph = " ".join(_section("treatment", "### Intolerance of antivirals").split())
    assert "two weeks" in paragraph and "had to stop valganciclovir" not in paragraph
    assert "valganciclovir was given again alongside it" in paragraph


def test_study_antiviral_doses_carry_a_renal_note() -> None:
    regimen = " ".join(_section("hsct", "## The regimen").split())
    assert "administration.md#antiviral-renal-dosing" in regimen
    assert 'cite("ganciclovir-label")' in regimen
    assert "foscarnet label" in regimen


def test_novick_ganciclovir_dose_is_marked_as_printed() -> None:
    notes = " ".join(" ".join(CONTENT.tables["thoracic-lung"]["notes"]).split())
    assert "'5 mg/kg twice weekly' for the two ganciclovir courses is reproduced as" in notes
    co_treatment = " ".join(CONTENT.cases["novick-1990"]["co_treatment"].split())
    assert "reproduced as printed" in co_treatment
