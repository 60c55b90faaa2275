"""The guidance pages in Chromium: tables sort and filter after instant navigation, the case
chart shows, and the printable whole guide loads nothing from outside."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.helpers import (
    Watch,
    assert_clean,
    calculator_shared_workers,
    follow_instant_link,
    site_pages,
)

# Tests here need no fresh browser: they share the worker's warm context (e2e/conftest.py).
pytestmark = pytest.mark.browser_context("warm")


def test_evidence_table_sorts_and_filters_after_instant_navigation(
    page: Page, watch: Watch
) -> None:
    page.goto("./")
    page.evaluate("window.sameDocument = true")
    follow_instant_link(page, page.locator(".md-sidebar--primary a[href$='/treatment/']").first)
    assert page.url.endswith("/treatment/")
    assert page.evaluate("window.sameDocument") is True  # instant navigation, not a reload
    evidence = page.locator("#table-thoracic-heart")  # the table with its caption and filter
    table = evidence.locator("table")
    page.wait_for_function("() => typeof window.Tablesort === 'function'")
    rows = table.locator("tbody tr")
    assert rows.count() == 5  # Schulz 2016 Table 1: Schulz 2014, Rouphael, Chou, Cremer (2)
    header = table.locator("thead th").first
    header.click()
    assert header.get_attribute("aria-sort") in {"ascending", "descending"}
    first = rows.first.inner_text()
    header.click()
    assert rows.first.inner_text() != first  # the order reversed
    box = evidence.locator(".cmvig-table-filter input")
    box.fill("Chou")
    assert evidence.get_by_text("1 of 5 rows shown").is_visible()
    assert len([r for r in rows.all() if r.is_visible()]) == 1
    assert_clean(watch)


def test_guidance_page_does_not_load_pyodide_or_tables_needlessly(page: Page, watch: Watch) -> None:
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto("safety/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in fetched if "pyodide" in url or url.endswith(".whl")]
    assert_clean(watch)


def test_case_chart_is_shown(page: Page, watch: Watch) -> None:
    page.goto("cases/")
    chart = page.locator("img[src$='heart-case-30yo.svg']")
    chart.wait_for()
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "logarithmic" in (chart.get_attribute("alt") or "")
    assert_clean(watch)


@pytest.mark.browser_context("fresh")  # no engine may run in its profile: a context of its own
def test_print_page_and_print_styles(page: Page, watch: Watch, browser: Browser) -> None:
    page.goto("print_page/")
    assert page.locator("h1").count() > 5  # every page of the guide, one after another
    # Its calculator forms (inputs renamed by the print plugin) are hidden and never started.
    page.wait_for_load_state("networkidle")
    assert page.locator("#print-site-page form[data-calculator]").first.is_hidden()
    assert not [w for w in page.workers if "calculator-worker" in w.url]
    assert calculator_shared_workers(browser, page) == []
    page.emulate_media(media="print")
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert_clean(watch)


# Every cell of every evidence table inside its table's column and the window, at a phone's and
# a desktop's width (no sideways scrolling); and the sort marks there before any click.
_TABLE_CELLS_OUTSIDE = """() => [...document.querySelectorAll('table[data-cmvig-table]')]
 .flatMap(table => {
  const box = table.closest('.cmvig-evidence').getBoundingClientRect();
  const right = Math.min(box.right, document.documentElement.clientWidth) + 0.5;
  return [...table.querySelectorAll('th, td')]
    .filter(cell => cell.getBoundingClientRect().width > 0)
    .filter(cell => cell.getBoundingClientRect().right > right)
    .map(cell => `${table.dataset.cmvigTable}: ${cell.textContent.trim().slice(0, 30)}`);
})"""
_UNMARKED_SORTABLE = """() => [...document.querySelectorAll(
    'table[data-cmvig-table] th[role=columnheader]:not([data-sort-method=none])')]
  .filter(th => th.getBoundingClientRect().width > 0)
  .filter(th => !/[\\u25B4\\u25BE\\u25B2\\u25BC]/.test(getComputedStyle(th, '::after').content))
  .map(th => th.textContent.trim())"""


@pytest.mark.parametrize("width", [390, 1366])
def test_evidence_tables_fit_and_show_sort_marks(page: Page, watch: Watch, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    for path in ("treatment/", "hsct/"):
        page.goto(path)
        page.locator("table[data-cmvig-table] th[role=columnheader]").first.wait_for(
            state="attached")
        assert page.evaluate(_TABLE_CELLS_OUTSIDE) == [], (path, width)
        assert page.evaluate(_UNMARKED_SORTABLE) == [], (path, width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_clean(watch)


@pytest.mark.parametrize("width", [390, 1366])
def test_a_filter_with_no_match_says_so_in_view(page: Page, watch: Watch, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("treatment/")
    evidence = page.locator("#table-thoracic-heart")
    count = evidence.locator(".cmvig-table-count")
    count.wait_for()
    assert count.inner_text() == "5 rows"  # the count is there before any filtering
    box = evidence.locator(".cmvig-table-filter input")
    box.scroll_into_view_if_needed()
    page.mouse.wheel(0, 400)
    box.fill("no-such-word")
    assert count.inner_text() == "0 of 5 rows shown"
    assert evidence.get_by_text("No row contains “no-such-word”").is_visible()
    # Nothing (such as the theme's "Back to top") lies over the count.
    on_top = count.evaluate("""c => { const r = c.getBoundingClientRect();
        return c.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)); }""")
    assert on_top
    assert_clean(watch)


# Every cell of the pages' plain tables (Markdown's, the comparison tables) within the window,
# and each table stacked on a phone labelled with its columns' names (tables.js, cmvig.css). The
# dose tables for use without the calculator are apart: seven columns scroll on a phone. A
# stacked table's header row is there for screen readers only (clipped to a pixel).
_PLAIN_TABLES = "table:not([data-cmvig-table], [data-cmvig-fallback])"
_PLAIN_CELLS_OUTSIDE = """(selector) => [...document.querySelectorAll(`.md-content ${selector}`)]
  .flatMap(table => [...table.querySelectorAll('th, td')]
    .filter(cell => cell.getBoundingClientRect().width > 0)
    .filter(cell => !(cell.closest('thead') && getComputedStyle(table).display === 'block'))
    .filter(cell => cell.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
    .map(cell => cell.textContent.trim().slice(0, 30)))"""
_WRONG_LABELS = """() => [...document.querySelectorAll('table[data-cmvig-stack]')]
 .flatMap(table => {
  const names = [...table.tHead.rows[0].cells].map(cell => cell.textContent.trim());
  return [...table.tBodies[0].rows].flatMap(row => [...row.cells]
    .filter((cell, column) => cell.dataset.label !== names[column])
    .map(cell => cell.textContent.trim().slice(0, 30)));
})"""


@pytest.mark.parametrize("width", [390, 1366])
def test_plain_tables_fit_and_stack_on_a_phone(page: Page, watch: Watch, built_site: Path,
                                               width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    paths = [path for path, html in site_pages(built_site) if "<table>" in html]  # Markdown's
    assert {"", "calculators/", "safety/", "glossary/"} <= set(paths)
    stacked = 0
    for path in paths:
        page.goto(path)  # tables.js labels the tables before the page's load event
        assert page.evaluate(_PLAIN_CELLS_OUTSIDE, _PLAIN_TABLES) == [], (path, width)
        assert page.evaluate(_WRONG_LABELS) == [], path
        stacked += page.evaluate("""() => [...document.querySelectorAll('table[data-cmvig-stack]')]
            .filter(table => getComputedStyle(table).display === 'block').length""")
    # Cards on a phone only; a desktop shows the tables as tables.
    assert (stacked > 0) == (width == 390)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_clean(watch)


def test_a_wide_dose_table_scrolls_with_its_weight_column_in_view(page: Page,
                                                                   watch: Watch) -> None:
    # The CytoGam infusion-rate table (seven columns) is wider than a phone: it scrolls sideways,
    # its caption (strength, the 75 mL/h ceiling, the source) wraps to the screen, and the
    # weight stays beside each row's rates.
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("administration/")
    table = page.locator("table[data-cmvig-fallback=infusion-cytogam]")
    table.locator("xpath=ancestor::details").first.evaluate("(details) => { details.open = true; }")
    edges = table.evaluate("""(table) => {
      const box = table.closest('.md-typeset__scrollwrap');
      box.scrollLeft = box.scrollWidth;
      const left = (cell) => cell.getBoundingClientRect().left;
      return { wider: box.scrollWidth > box.clientWidth, box: box.getBoundingClientRect().left,
               boxRight: box.getBoundingClientRect().right,
               captionRight: table.caption.getBoundingClientRect().right,
               weights: [...table.tBodies[0].rows].map((row) => left(row.cells[0])),
               weightHeader: left(table.tHead.rows[0].cells[0]) };
    }""")
    assert edges["wider"]
    assert all(abs(left - edges["box"]) <= 1 for left in edges["weights"]), edges
    assert abs(edges["weightHeader"] - edges["box"]) <= 1, edges
    assert edges["captionRight"] <= edges["boxRight"] + 0.5, edges
    assert_clean(watch)
