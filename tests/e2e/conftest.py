"""End-to-end fixtures: the built site served on 127.0.0.1, driven in Debian's Chromium.

No mocks: the real worker, the real Pyodide from the site, the real wheel. Every page is watched:
a request to anywhere but the test server, or a console error, fails the test that caused it.
Only fixtures live here; the functions and values the tests share are in ``helpers.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.e2e.helpers import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    ENGINE_TIMEOUT_MS,
    JOURNEY_SITES,
    NO_SHARED_WORKER,
    SharedWorkerConsole,
    SiteServer,
    Watch,
    assert_clean,
    calculator_pages,
    calculator_shared_workers,
    fill_form,
    forms_on_site,
    keep_engine_running,
    on_both_builds,
    record_errors,
    use_dedicated_worker,
    warm_page,
    watched_page,
)


@pytest.fixture(scope="session")
def base_url(journey_site: Path) -> Iterator[str]:
    """The README's serve command for the run's site, in its own process, on a free port: one
    server per pytest-xdist worker (tests/conftest.py's ``built_site`` says why any port works).
    The MkDocs build, or the Zensical one for a test marked ``on_both_builds``."""
    server = SiteServer(journey_site).start()
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: the README's set-up installs Debian's chromium "
                    "package")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
    yield browser
    browser.close()


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture(scope="session")
def warm_context(browser: Browser, base_url: str,
                 calculator_paths: dict[str, str]) -> Iterator[BrowserContext]:
    """One browser context per pytest-xdist worker, shared by the tests marked
    ``browser_context("warm")``: those that need no fresh browser state.

    A fresh context fetches the 31 MB memory snapshot and the offline copy again and compiles
    Pyodide's WebAssembly again: seconds of processor time per test. Here the HTTP cache, the
    compiled code and the offline copy are made once, as on a ward computer's second visit. It
    is not routed (routing turns Chromium's HTTP cache off): its pages record requests instead.
    A tab of its own keeps the engine (the SharedWorker) running between tests, as a ward
    computer's open tab does: each test's tab joins it instead of restoring the snapshot again.
    """
    context = browser.new_context(base_url=base_url)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    keeper = Watch()
    with keep_engine_running(context, calculator_paths, keeper):
        yield context
    assert keeper.console_errors == [], "the tab keeping the engine running logged an error"
    context.close()


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Browser, base_url: str,
         watch: Watch) -> Iterator[Page]:
    """A watched page: in a fresh browser context, or in the worker's warm one where the test (or
    its file) is marked ``browser_context("warm")``."""
    marker = request.node.get_closest_marker("browser_context")
    if marker is not None and marker.args == ("warm",):
        opened = warm_page(request.getfixturevalue("warm_context"), base_url, watch)
    else:
        assert marker is None or marker.args == ("fresh",), f"unknown {marker}"
        opened = watched_page(browser, base_url, watch)
    with opened as shown:
        yield shown
    assert watch.outside == [], "the page fetched from outside the site"


@pytest.fixture(scope="session")
def journey_site(request: pytest.FixtureRequest) -> Path:
    """The site a browser test drives: the MkDocs build, or for ``on_both_builds`` each build."""
    site: Path = request.getfixturevalue(JOURNEY_SITES[getattr(request, "param", "mkdocs")])
    return site


@pytest.fixture(scope="session")
def calculator_paths(journey_site: Path) -> dict[str, str]:
    """Calculator name -> the path of the page of ``journey_site`` its form lives on."""
    return calculator_pages(journey_site)


# What this file exported before helpers.py held it, for code not yet moved to helpers.py.
__all__ = ["CHROMIUM", "ENGINE_TIMEOUT_MS", "NO_SHARED_WORKER", "SharedWorkerConsole", "SiteServer",
           "Watch", "assert_clean", "calculator_shared_workers", "fill_form", "forms_on_site",
           "on_both_builds", "record_errors", "use_dedicated_worker", "warm_page",
           "watched_page"]
