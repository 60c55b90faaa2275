"""One build, served anywhere, under the strict Content-Security-Policy.

The session's site was built for http://127.0.0.1:<session port>/; here the same files are served
by the README's server on another port under /guides/cmvig/, as a hospital might. Every calculator
must compute there, instant navigation must still keep one worker, and nothing may break the
policy (a `securitypolicyviolation` event or a console error fails the test). The calculators
are tried in tabs that join one engine, started under the policy by a tab of its own; instant
navigation starts its own, in a fresh context.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from build_scripts.hosting.security import CONTENT_SECURITY_POLICY
from calculators.registry import CALCULATORS
from tests.e2e.helpers import (
    SiteServer,
    Watch,
    assert_clean,
    example,
    fill_form,
    follow_instant_link,
    keep_engine_running,
    on_both_builds,
    use_dedicated_worker,
    warm_page,
)

SUB_PATH = "/guides/cmvig/"

# Recorded in the page before any of its scripts run.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


@pytest.fixture(scope="module")
def sub_path_url(journey_site: Path) -> Iterator[str]:
    server = SiteServer(journey_site).start("--base-path", SUB_PATH)
    assert server.url.endswith(SUB_PATH)
    yield server.url
    server.stop()


def strict_context(browser: Browser, sub_path_url: str) -> BrowserContext:
    """A browser context on the sub-path that records every policy violation of its pages."""
    context = browser.new_context(base_url=sub_path_url)
    context.add_init_script(RECORD_VIOLATIONS)
    return context


@pytest.fixture
def strict_page(browser: Browser, sub_path_url: str) -> Iterator[tuple[Page, Watch]]:
    """A watched tab (helpers.warm_page) in a fresh context of its own: its engine starts under
    the policy."""
    context = strict_context(browser, sub_path_url)
    watch = Watch()
    with warm_page(context, sub_path_url, watch) as page:
        yield page, watch
    context.close()


@pytest.fixture(scope="module")
def running_engine(browser: Browser, sub_path_url: str,
                   calculator_paths: dict[str, str]) -> Iterator[BrowserContext]:
    """A context on the sub-path whose engine a tab of its own started under the policy and
    keeps running (helpers.keep_engine_running), for the tests that need no fresh start."""
    context = strict_context(browser, sub_path_url)
    keeper_watch = Watch()
    with keep_engine_running(context, calculator_paths, keeper_watch) as keeper:
        yield context
        assert violations(keeper) == []
    assert keeper_watch.console_errors == []
    context.close()


@pytest.fixture
def strict_tab(running_engine: BrowserContext,
               sub_path_url: str) -> Iterator[tuple[Page, Watch]]:
    """A watched tab (helpers.warm_page) that joins ``running_engine``."""
    watch = Watch()
    with warm_page(running_engine, sub_path_url, watch) as page:
        yield page, watch


def violations(page: Page) -> list[str]:
    found: list[str] = page.evaluate("window.cspViolations")
    return found


def test_pages_come_with_the_policy(strict_page: tuple[Page, Watch],
                                    sub_path_url: str) -> None:
    page, watch = strict_page
    response = page.goto(sub_path_url)
    assert response is not None and response.ok
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert CONTENT_SECURITY_POLICY == (
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; "
        "style-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'")


@pytest.mark.parametrize("name", list(CALCULATORS))
def test_every_calculator_under_a_sub_path_with_the_policy(
        strict_tab: tuple[Page, Watch], calculator_paths: dict[str, str], name: str) -> None:
    page, watch = strict_tab
    page.goto(calculator_paths[name])
    fill_form(page, name, example(name))
    page.locator(f"form[data-calculator='{name}'] [data-result][data-state=done]").wait_for()
    assert violations(page) == []
    assert_clean(watch)


@on_both_builds
def test_pages_without_calculators_break_no_policy(strict_page: tuple[Page, Watch]) -> None:
    page, watch = strict_page
    for path in ["", "safety/", "cases/", "references/", "glossary/", "print_page/", "faq/"]:
        page.goto(path)
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)  # late work: the search worker, tablesort, charts
        assert violations(page) == [], path
    assert_clean(watch)


@on_both_builds
def test_instant_navigation_keeps_one_worker_under_a_sub_path(
        strict_page: tuple[Page, Watch]) -> None:
    page, watch = strict_page
    use_dedicated_worker(page)  # counts the page's workers (Playwright sees no shared one)
    page.goto("prophylaxis/")
    page.evaluate("window.sameDocument = true")
    fill_form(page, "prophylaxis", example("prophylaxis"))
    page.locator("form[data-calculator=prophylaxis] [data-result][data-state=done]").wait_for()
    follow_instant_link(page, page.locator(".md-sidebar--primary a[href$='/treatment/']").first)
    assert page.url.endswith(f"{SUB_PATH}treatment/")
    fill_form(page, "regimen", example("regimen"))
    page.locator("form[data-calculator=regimen] [data-result][data-state=done]").wait_for()
    assert page.evaluate("window.sameDocument") is True
    assert len([w for w in page.workers if "calculator-worker" in w.url]) == 1
    assert violations(page) == []
    assert_clean(watch)
