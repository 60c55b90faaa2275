"""The guidance pages in Chromium: tables sort and filter after instant navigation, the case
chart shows, and the printable whole guide loads nothing from outside."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.e2e.conftest import Watch, assert_clean


def test_evidence_table_sorts_and_filters_after_instant_navigation(
    page: Page, watch: Watch
) -> None:
    page.goto("./")
    page.evaluate("window.sameDocument = true")
    page.locator(".md-sidebar--primary a[href$='/treatment/']").first.click()
    page.wait_for_url("**/treatment/")
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


def test_print_page_and_print_styles(page: Page, watch: Watch) -> None:
    page.goto("print_page/")
    assert page.locator("h1").count() > 5  # every page of the guide, one after another
    # Its calculator forms (inputs renamed by the print plugin) are hidden and never started.
    page.wait_for_load_state("networkidle")
    assert page.locator("#print-site-page form[data-calculator]").first.is_hidden()
    assert not [w for w in page.workers if "calculator-worker" in w.url]
    page.emulate_media(media="print")
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert_clean(watch)
