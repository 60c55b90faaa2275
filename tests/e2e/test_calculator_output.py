"""Taking a result away: print for the chart, copy as text, CSV, calendar file, and a link that
reproduces the calculation. Numbers are the CytoGam label's for a 70 kg heart recipient (150 mg/kg
to week 8, 100 mg/kg at weeks 12 and 16)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.e2e.helpers import Watch, assert_clean

# Tests here need no fresh browser: they share the worker's warm context (e2e/conftest.py).
pytestmark = pytest.mark.browser_context("warm")

FORM = "form[data-calculator=prophylaxis]"


def heart_70kg(page: Page) -> None:
    page.fill(f"{FORM} [name=weight_kg]", "70")
    page.select_option(f"{FORM} [name=organ]", "heart")
    page.fill(f"{FORM} [name=transplant_date]", "2026-01-01")
    page.click(f"{FORM} button[type=submit]")
    page.wait_for_selector(f"{FORM} [data-result][data-state=done]")


def test_csv_and_calendar_downloads(page: Page, watch: Watch, tmp_path: Path) -> None:
    page.goto("prophylaxis/")
    heart_70kg(page)
    with page.expect_download() as csv_download:
        page.get_by_role("button", name="Download CSV").click()
    # UTF-8 with a byte-order mark; the table, then the inputs and the stamp (issue 14).
    csv_text = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("Dose,Date,When,mg/kg")
    # Dates carry their weekday, as on screen (issue 15).
    assert lines[1].startswith("1,Thu 1 Jan 2026,transplant day,150,\"10,500\"")
    assert lines[8].startswith("Total,,,,\"66,500\"")  # as wide as the header
    # As wide as the table: 7 columns, "To give (mg)" left out when no dose is rounded (issue 15).
    assert "Weight (kg),70 kg,,,,," in lines
    with page.expect_download() as ics_download:
        page.get_by_role("button", name="Add dates to a calendar (.ics)").click()
    ics = Path(ics_download.value.path()).read_bytes().decode("utf-8")  # keep the CRLFs
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.count("BEGIN:VEVENT") == 7
    assert "DTSTART;VALUE=DATE:20260101" in ics and "DTSTART;VALUE=DATE:20260423" in ics
    assert "SUMMARY:CMVIG dose 6: 7\\,000 mg CytoGam" in ics  # as on screen: 7,000
    assert_clean(watch)


def test_copy_as_text(page: Page, watch: Watch) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("prophylaxis/")
    heart_70kg(page)
    page.get_by_role("button", name="Copy as text").click()
    page.get_by_text("Copied.").wait_for()
    text = page.evaluate("navigator.clipboard.readText()")
    assert text.startswith("CMVIG Guide: ")
    assert "Weight (kg): 70" in text and "10,500" in text and "calculator core" in text
    assert_clean(watch)


def test_link_reproduces_the_calculation(page: Page, watch: Watch) -> None:
    page.goto("prophylaxis/")
    heart_70kg(page)
    page.get_by_role("button", name="Link to this calculation").click()
    # Shown to be copied, never written into the address bar (issue 14).
    link = page.locator(".cmvig-link").input_value()
    assert "#" not in page.evaluate("location.href")
    assert "#calculate:prophylaxis?" in link and "weight_kg=70" in link
    assert page.get_by_text("never sent to the server").is_visible()
    fresh = page.context.new_page()
    fresh.goto(link)
    fresh.wait_for_selector(f"{FORM} [data-result][data-state=done]")
    rows = fresh.query_selector_all(f"{FORM} tr[data-dose-mg]")
    assert [r.get_attribute("data-dose-mg") for r in rows] == [
        "10500", "10500", "10500", "10500", "10500", "7000", "7000"]
    fresh.close()
    assert_clean(watch)


def test_print_for_the_chart(page: Page, watch: Watch) -> None:
    page.goto("prophylaxis/")
    heart_70kg(page)
    page.evaluate("window.print = () => {}")  # the dialog itself is the browser's, not ours
    page.get_by_role("button", name="Print for the chart").click()
    sheet = page.locator("#cmvig-print")
    text = sheet.inner_text()
    for expected in ("Weight (kg)", "10,500", "calculator core", "last reviewed",
                     "Calculated by", "Independently checked by", "Sources:"):
        assert expected in text, expected
    page.emulate_media(media="print")
    assert sheet.is_visible()
    assert not page.locator(".md-header").is_visible()
    assert_clean(watch)
