"""Issue 13 in the page: the rounding and haemodialysis reproductions give the safe answer.

Sources: CytoGam label (one 2,500 mg / 50 mL vial; at most 150 mg/kg per infusion); ganciclovir
and valganciclovir labels (the haemodialysis rows). The same answers as the command line
(tests/calculators/test_safety_reproductions.py), through Pyodide in the page's worker.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.helpers import Watch, assert_clean, fill_form

# Tests here need no fresh browser: they share the worker's warm context (e2e/conftest.py).
pytestmark = pytest.mark.browser_context("warm")


def test_rounding_up_gives_the_dose_and_shows_the_vials_apart(page: Page, watch: Watch) -> None:
    # 10 kg kidney recipient, rounding "up": week 12 is 500 mg to give, one vial to open, 40 mL
    # (2,000 mg) to discard; never 2,500 mg.
    page.goto("prophylaxis/")
    fill_form(page, "prophylaxis", {"weight_kg": "10", "organ": "kidney",
                                    "transplant_date": "2026-01-01", "rounding": "up"})
    result = page.locator("form[data-calculator='prophylaxis'] [data-result][data-state=done]")
    week_12 = result.locator("tr[data-dose-mg]").nth(5)
    assert week_12.get_attribute("data-dose-mg") == "500"  # waits for the row
    cells = week_12.locator("td").all_inner_texts()
    # No dose could be rounded, so the dose is the dose to give: no "To give (mg)" column
    # repeating it (issue 15); the vials to open are shown apart.
    assert week_12.locator("td[data-quantity=mg]").all_inner_texts() == ["500"]
    assert cells[-1] == "1 × 50 mL; discard 40 mL"  # vials to open
    given = [row.locator("td[data-quantity=mg]").last.inner_text()
             for row in result.locator("tr[data-dose-mg]").all()]
    assert "2,500" not in given and "2500" not in given
    text = result.inner_text()
    assert "To give (mg)" not in text and "Vials to open" in text
    assert "label maximum of 150 mg/kg" in text and "The dose to give stays 500 mg" in text
    assert_clean(watch)


def test_haemodialysis_shows_the_dialysis_rows(page: Page, watch: Watch) -> None:
    page.goto("administration/")
    fill_form(page, "crcl", {"age": "30", "weight_kg": "90", "sex": "male",
                             "creatinine_mg_dl": "6", "haemodialysis": "true"})
    result = page.locator("form[data-calculator='crcl'] [data-result][data-state=done]")
    text = result.inner_text()
    assert "22.9 mL/min (for information only: on haemodialysis)" in text
    assert "Antiviral doses on haemodialysis (label tables)" in text
    assert "1.25 mg/kg 3 times a week, after dialysis" in text
    assert "tablets not recommended" in text
    assert "1.25 mg/kg every 24 h" not in text and "450 mg every 2 days" not in text
    assert_clean(watch)
