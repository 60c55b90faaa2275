"""End-to-end fixtures: the built site served on 127.0.0.1, driven in Debian's Chromium.

No mocks: the real worker, the real Pyodide from the site, the real wheel. Every page is watched:
a request to anywhere but the test server, or a console error, fails the test that caused it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from build_scripts.chromium import CHROMIUM, CHROMIUM_FLAGS
from tests.conftest import ROOT

# Pyodide's first start (fetch + compile 9.6 MB of WebAssembly) takes seconds, not milliseconds.
ENGINE_TIMEOUT_MS = 120_000


@dataclass
class SiteServer:
    """``python -m build_scripts.serve`` (the README's server) for one site folder in its own
    process, started and stopped at will; ``port`` 0 lets the server pick a free one."""

    site: Path
    port: int = 0
    url: str = ""
    process: subprocess.Popen[str] | None = field(default=None, repr=False)

    def start(self, *options: str) -> SiteServer:
        """Start it with ``options`` (e.g. ``--base-path /x/``); ``url`` is where it serves."""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "build_scripts.serve", "--site-dir", str(self.site),
             "--port", str(self.port), "--quiet", *options],
            cwd=ROOT, stdout=subprocess.PIPE, text=True,
        )
        assert self.process.stdout is not None
        first_line = self.process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/\S*", first_line)
        assert found, f"the server did not start: {first_line!r}"
        self.url, self.port = found.group(0), int(found.group(1))
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            assert self.process.stdout is not None
            self.process.stdout.close()
            self.process = None


@pytest.fixture(scope="session")
def base_url(built_site: Path) -> Iterator[str]:
    """The README's serve command for the run's site, in its own process, on a free port: one
    server per pytest-xdist worker (tests/conftest.py's ``built_site`` says why any port works)."""
    server = SiteServer(built_site).start()
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


@dataclass
class Watch:
    """What a page did that it must not: leave the site, or log an error."""

    outside: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


@pytest.fixture
def watch() -> Watch:
    return Watch()


@contextmanager
def watched_page(browser: Browser, base_url: str, watch: Watch) -> Iterator[Page]:
    """A page in a fresh browser context on ``base_url``, every request and error watched: a
    request to anywhere but the test server is refused and recorded in ``watch``, as is every
    console error and uncaught exception."""
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.set_default_timeout(ENGINE_TIMEOUT_MS)

    def guard(route, request) -> None:  # type: ignore[no-untyped-def]
        if request.url.startswith(base_url) or request.url.startswith(("data:", "blob:")):
            route.fallback()
        else:
            watch.outside.append(request.url)
            route.abort()

    context.route("**/*", guard)
    page.on("console", lambda m: m.type == "error" and watch.console_errors.append(m.text))
    page.on("pageerror", lambda e: watch.console_errors.append(str(e)))
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="session")
def warm_context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    """One browser context per pytest-xdist worker, shared by the tests marked
    ``browser_context("warm")``: those that need no fresh browser state.

    A fresh context fetches the 31 MB memory snapshot and the offline copy again and compiles
    Pyodide's WebAssembly again: seconds of processor time per test. Here the HTTP cache, the
    compiled code and the offline copy are made once, as on a ward computer's second visit. It
    is not routed (routing turns Chromium's HTTP cache off): its pages record requests instead.
    """
    context = browser.new_context(base_url=base_url)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    yield context
    context.close()


@contextmanager
def warm_page(context: BrowserContext, base_url: str, watch: Watch) -> Iterator[Page]:
    """A new tab in the warm ``context``, watched like ``watched_page``: a request to anywhere but
    the test server is recorded in ``watch`` (the site's policy, ``connect-src 'self'``, refuses it
    in the browser), as is every console error and uncaught exception. Every tab the test opened
    is closed after it."""
    page = context.new_page()
    page.set_default_timeout(ENGINE_TIMEOUT_MS)
    page.on("request", lambda request: None if request.url.startswith(
        (base_url, "data:", "blob:")) else watch.outside.append(request.url))
    page.on("console", lambda m: m.type == "error" and watch.console_errors.append(m.text))
    page.on("pageerror", lambda e: watch.console_errors.append(str(e)))
    try:
        yield page
    finally:
        for opened in context.pages:
            opened.close()


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


def fill_form(page: Page, name: str, inputs: dict[str, str], submit: bool = True) -> None:
    """Type or choose ``inputs`` (field name -> value) in calculator ``name``'s form, opening
    "More options" where a field sits there, then press Calculate."""
    form = page.locator(f"form[data-calculator='{name}']")
    for input_name, value in inputs.items():
        control = form.locator(f"[name='{input_name}']")
        if not control.is_visible():
            form.locator("details.cmvig-options > summary").click()
        kind = control.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
        if kind.startswith("select"):
            control.select_option(value)
        elif kind.endswith("checkbox"):
            control.set_checked(value == "true")
        else:
            control.fill(value)
    if submit:
        form.locator("button[type=submit]").click()


def forms_on_site(site: Path) -> dict[str, list[str]]:
    """Calculator name -> the site paths of the pages that hold its form."""
    found: dict[str, list[str]] = {}
    for html in sorted(site.rglob("index.html")):
        relative = html.parent.relative_to(site).as_posix()
        if relative.startswith(("print_page", "assets")):
            continue  # the print page drops forms; nothing to test there
        for name in re.findall(r'<form\b[^>]*\bdata-calculator="([^"]+)"', html.read_text("utf-8")):
            found.setdefault(name, []).append("" if relative == "." else f"{relative}/")
    return found


def assert_clean(watch: Watch) -> None:
    assert watch.console_errors == []
    assert watch.outside == []


__all__ = ["CHROMIUM", "ENGINE_TIMEOUT_MS", "SiteServer", "Watch", "assert_clean",
           "fill_form", "forms_on_site", "warm_page", "watched_page"]
