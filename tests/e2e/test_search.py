"""Search in Chromium: it finds pages, and the pages are indexed only when a reader searches
(site_src/javascripts/search-on-demand.js), not on every page load beside the starting engine."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Worker

from tests.e2e.helpers import Watch, assert_clean

# No fresh browser needed: the worker's warm context (e2e/conftest.py).
pytestmark = pytest.mark.browser_context("warm")

# Resolves with the search worker's indexState once the theme has handed it the pages.
PAGES_HANDED_OVER = """() => new Promise((resolve) => {
  const poll = setInterval(() => {
    if (indexState !== "none") { clearInterval(poll); resolve(indexState); }
  }, 20);
})"""


def _open(page: Page, path: str) -> Worker:
    """Go to ``path``; return the page's search worker."""
    with page.expect_worker(lambda w: "/javascripts/search-on-demand.js?theme=" in w.url) as made:
        page.goto(path)
    return made.value


def _translation(page: Page, key: str) -> str:
    text: str = page.evaluate(
        "key => JSON.parse(document.getElementById('__config').textContent).translations[key]",
        key)
    return text


def test_pages_are_indexed_on_the_first_search_not_on_load(page: Page, watch: Watch) -> None:
    worker = _open(page, "safety/")
    assert worker.evaluate(PAGES_HANDED_OVER) == "held"
    page.wait_for_load_state("networkidle")
    assert worker.evaluate("indexState") == "held"  # the page's empty query built nothing

    box = page.locator("input.md-search__input")
    box.click()
    meta = page.locator(".md-search-result__meta")
    assert meta.inner_text() == _translation(page, "search.result.placeholder")
    box.press_sequentially("cytogam")
    items = page.locator(".md-search-result__item")
    items.first.wait_for()
    assert worker.evaluate("indexState") == "built"
    # "# matching documents"; the list shows the first ten and the rest as the reader scrolls.
    counted = re.escape(_translation(page, "search.result.other")).replace(r"\#", r"(\d+)")
    found = re.fullmatch(counted, meta.inner_text())
    assert found and int(found.group(1)) >= items.count() > 1, meta.inner_text()
    site = page.url.removesuffix("safety/")
    hrefs = page.locator(".md-search-result__item > a").evaluate_all("a => a.map(l => l.href)")
    assert hrefs and all(href.startswith(site) and "?h=" in href for href in hrefs), hrefs

    box.fill("")
    box.press_sequentially("renal")  # a second query: the index is not built again
    page.wait_for_function("() => [...document.querySelectorAll('.md-search-result__item a')]"
                           ".some((link) => link.href.includes('h=renal'))")
    assert worker.evaluate("indexState") == "built"
    assert_clean(watch)


def test_a_search_address_opens_with_its_results(page: Page, watch: Watch) -> None:
    """A link with ?q= (Material's search deep link): the first query is not empty, so the pages
    are indexed at once and the results shown."""
    worker = _open(page, "safety/?q=cytogam")
    page.locator(".md-search-result__item").first.wait_for()
    assert worker.evaluate("indexState") == "built"
    assert_clean(watch)
