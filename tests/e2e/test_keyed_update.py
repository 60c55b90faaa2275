"""A recompute redraws only what changed (issue 16, item 5), and ends with what a fresh page shows.

The result is updated in place (site_src/javascripts/keyed-update.js): the rows of a dose schedule
are found again by their dose number, and only the cells whose text changed are written. Whatever
the sequence of inputs, the result region must end up exactly as a page that computed the last
inputs from scratch shows it, so that what is on screen is what was computed.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from calculators import run
from tests.e2e.helpers import Watch, assert_clean, example, fill_form

# Tests here need no fresh browser: they share the worker's warm context (e2e/conftest.py).
pytestmark = pytest.mark.browser_context("warm")

FORM = "form[data-calculator=prophylaxis]"
RESULT = f"{FORM} [data-result]"
KIDNEY = example("prophylaxis")

# Records what the next recompute does to the result region: rows added or removed, cells changed.
WATCH_REGION = """(selector) => {
  const region = document.querySelector(selector);
  const seen = { rowsAdded: 0, rowsRemoved: 0, textChanges: 0, regionChildrenAdded: [] };
  window.__mutations = seen;
  const rows = (nodes) => [...nodes].filter((n) => n.nodeName === "TR").length;
  new MutationObserver((records) => {
    for (const record of records) {
      seen.rowsAdded += rows(record.addedNodes);
      seen.rowsRemoved += rows(record.removedNodes);
      if (record.type === "characterData" || (record.type === "childList" &&
          [...record.addedNodes].some((n) => n.nodeType === Node.TEXT_NODE))) seen.textChanges++;
      if (record.target === region) {
        const added = [...record.addedNodes].map((n) => n.className || n.nodeName);
        seen.regionChildrenAdded.push(...added);
      }
    }
  }).observe(region, { childList: true, subtree: true, characterData: true });
  // The first dose row, marked to find out whether the same element is still shown.
  region.querySelector("tr[data-dose-mg]").__kept = true;
}"""


# A result's new doses on screen: while the result is out of date (typing) there are none shown,
# which differs from the old ones too, so "changed" waits for rows to be there.
DOSES_CHANGED = """([selector, before]) => {
  const rows = [...document.querySelectorAll(`${selector}[data-state=done] tr[data-dose-mg]`)];
  return rows.length > 0 &&
    JSON.stringify(rows.map((r) => Number(r.dataset.doseMg))) !== JSON.stringify(before);
}"""


def shown_doses(page: Page) -> list[float]:
    return [float(row.get_attribute("data-dose-mg") or "nan")
            for row in page.locator(f"{RESULT}[data-state=done] tr[data-dose-mg]").all()]


def core_doses(inputs: dict[str, str]) -> list[float]:
    return [float(dose["dose_mg"]) for dose in run("prophylaxis", inputs)["doses"]]


def recompute(page: Page, inputs: dict[str, str]) -> None:
    before = shown_doses(page)
    fill_form(page, "prophylaxis", inputs)
    page.wait_for_function(DOSES_CHANGED, arg=[RESULT, before])


def region_html(page: Page) -> str:
    html: str = page.inner_html(RESULT)
    return html


def test_a_new_weight_rewrites_only_the_changed_figures(page: Page, watch: Watch) -> None:
    page.goto("prophylaxis/")
    fill_form(page, "prophylaxis", KIDNEY)
    page.wait_for_selector(f"{RESULT}[data-state=done]")
    page.evaluate(WATCH_REGION, RESULT)
    heavier = {**KIDNEY, "weight_kg": "71"}
    recompute(page, heavier)
    assert shown_doses(page) == core_doses(heavier)
    changes: dict[str, Any] = page.evaluate("window.__mutations")
    # The same rows, updated in place: none added, none removed, the first still the same element.
    assert changes["rowsAdded"] == 0 and changes["rowsRemoved"] == 0
    assert page.evaluate(f"document.querySelector('{RESULT} tr[data-dose-mg]').__kept") is True
    assert changes["textChanges"] > 0
    # Only the buttons (which hold the inputs of the result they belong to) are made anew, besides
    # the out-of-date notes typing put there (and the recompute took away).
    assert set(changes["regionChildrenAdded"]) <= {"cmvig-actions", "cmvig-action-status",
                                                   "cmvig-link", "cmvig-stale"}
    assert page.locator(f"{RESULT} .cmvig-stale").count() == 0
    assert_clean(watch)


def test_any_sequence_of_inputs_ends_as_a_fresh_page_shows_it(page: Page, watch: Watch) -> None:
    steps = [KIDNEY, {**KIDNEY, "organ": "liver"}, {**KIDNEY, "weight_kg": "154 lb"},
             {**KIDNEY, "organ": "heart", "transplant_date": "2026-02-28"},
             {**KIDNEY, "weight_kg": "0"}, {**KIDNEY, "weight_kg": "55,5"}]
    page.goto("prophylaxis/")
    fill_form(page, "prophylaxis", steps[0])
    page.wait_for_selector(f"{RESULT}[data-state=done]")
    for inputs in steps[1:]:
        fill_form(page, "prophylaxis", inputs)
        page.wait_for_timeout(50)
        page.wait_for_selector(f"{RESULT}:not([data-state=stale])")
    page.wait_for_selector(f"{RESULT}[data-state=done]")
    last = {**steps[-1], "weight_kg": "55.5"}
    assert shown_doses(page) == core_doses(last)
    updated = region_html(page)
    page.reload()
    fill_form(page, "prophylaxis", steps[-1])
    page.wait_for_selector(f"{RESULT}[data-state=done]")
    assert region_html(page) == updated
    assert_clean(watch)
