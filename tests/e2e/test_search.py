"""Search in Chromium: it finds pages, and the theme's search worker (which indexes every page
as it starts) starts only when a reader searches (site_src/javascripts/search-on-demand.js), not
on every page load beside the starting engine."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.e2e.helpers import Watch, assert_clean

# No fresh browser needed: the worker's warm context (e2e/conftest.py).
pytestmark = pytest.mark.browser_context("warm")


def _search_worker(built_site: Path) -> str:
    """The theme's search worker, as its configuration names it (relative to the site root)."""
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>',
                       (built_site / "index.html").read_text(encoding="utf-8"), re.S)
    assert config, "index.html has no theme configuration"
    worker: str = json.loads(config.group(1))["search"]
    assert re.fullmatch(r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js", worker), worker
    return worker


def _translation(page: Page, key: str) -> str:
    text: str = page.evaluate(
        "key => JSON.parse(document.getElementById('__config').textContent).translations[key]",
        key)
    return text


def _search_workers(page: Page, worker: str) -> int:
    return len([w for w in page.workers if w.url.endswith("/" + worker)])


def test_search_starts_on_the_first_search_not_on_load(page: Page, watch: Watch,
                                                       built_site: Path) -> None:
    worker = _search_worker(built_site)
    page.goto("safety/")
    page.wait_for_load_state("networkidle")
    assert _search_workers(page, worker) == 0  # the page's empty query started nothing

    box = page.locator("input.md-search__input")
    box.click()
    meta = page.locator(".md-search-result__meta")
    page.wait_for_function(
        "text => document.querySelector('.md-search-result__meta').textContent === text",
        arg=_translation(page, "search.result.placeholder"))
    assert _search_workers(page, worker) == 0
    with page.expect_worker(lambda w: w.url.endswith("/" + worker)):
        box.press_sequentially("cytogam")
    items = page.locator(".md-search-result__item")
    items.first.wait_for()
    # "# matching documents"; the list shows the first ten and the rest as the reader scrolls.
    counted = re.escape(_translation(page, "search.result.other")).replace(r"\#", r"(\d+)")
    found = re.fullmatch(counted, meta.inner_text())
    assert found and int(found.group(1)) >= items.count() > 1, meta.inner_text()
    site = page.url.removesuffix("safety/")
    hrefs = page.locator(".md-search-result__item > a").evaluate_all("a => a.map(l => l.href)")
    assert hrefs and all(href.startswith(site) and "?h=" in href for href in hrefs), hrefs

    box.fill("")
    box.press_sequentially("renal")  # a second query goes to the same worker
    page.wait_for_function("() => [...document.querySelectorAll('.md-search-result__item a')]"
                           ".some((link) => link.href.includes('h=renal'))")
    assert _search_workers(page, worker) == 1
    assert_clean(watch)


def test_a_search_address_opens_with_its_results(page: Page, watch: Watch,
                                                 built_site: Path) -> None:
    """A link with ?q= (Material's search deep link): the first query is not empty, so the
    search worker starts at once and the results are shown."""
    worker = _search_worker(built_site)
    with page.expect_worker(lambda w: w.url.endswith("/" + worker)):
        page.goto("safety/?q=cytogam")
    page.locator(".md-search-result__item").first.wait_for()
    assert_clean(watch)


def test_other_workers_start_as_before(page: Page, watch: Watch) -> None:
    """The stand-in replaces window.Worker: any other worker is the browser's own, unchanged."""
    page.goto("safety/")
    made = page.evaluate("""() => {
      const worker = new Worker("../javascripts/self-test-worker.js");
      const answer = [worker instanceof Worker, Object.getPrototypeOf(worker) === Worker.prototype,
                      typeof worker.terminate];
      worker.terminate();
      return answer;
    }""")
    assert made == [True, True, "function"]
    assert_clean(watch)
