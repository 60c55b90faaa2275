"""Helpers for the browser tests: Debian's Chromium and its flags, a free port, the site's
server, watched pages, each calculator's example input and the page its form lives on, filling a
form, following a link by instant navigation, shared workers, axe-core.

Plain functions and values live here; ``conftest.py`` holds the fixtures (pytest finds those by
name). Test modules import what they share from here, never from one another
(tests/test_code_quality.py checks).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Route

from build_scripts.chromium import CHROMIUM, CHROMIUM_FLAGS
from calculators.registry import CALCULATORS
from tests.conftest import ROOT, free_port

# Pyodide's first start (fetch + compile 9.6 MB of WebAssembly) takes seconds, not milliseconds.
ENGINE_TIMEOUT_MS = 120_000

# A phone's and a desktop's screen, for the screenshots and the tests of what is in view.
WIDTHS = {"phone": (390, 844), "desktop": (1366, 768)}


@dataclass
class SiteServer:
    """``python -m build_scripts.hosting.serve`` (the README's server) for one site folder in its
    own process, started and stopped at will; ``port`` 0 lets the server pick a free one."""

    site: Path
    port: int = 0
    url: str = ""
    process: subprocess.Popen[str] | None = field(default=None, repr=False)

    def start(self, *options: str) -> SiteServer:
        """Start it with ``options`` (e.g. ``--base-path /x/``); ``url`` is where it serves."""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "build_scripts.hosting.serve", "--site-dir", str(self.site),
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


@dataclass
class Watch:
    """What a page did that it must not: leave the site, or log an error."""

    outside: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def record_errors(page: Page, errors: list[str]) -> None:
    """Append every console error and uncaught exception of ``page`` to ``errors``."""
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))


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
    record_errors(page, watch.console_errors)
    try:
        yield page
    finally:
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
    record_errors(page, watch.console_errors)
    try:
        yield page
    finally:
        for opened in context.pages:
            if not opened.url.endswith(KEEPER_FRAGMENT):
                opened.close()


# The address of the tab that keeps a warm context's engine running (``keep_engine_running``).
KEEPER_FRAGMENT = "#keeps-the-engine-running"


@contextmanager
def keep_engine_running(context: BrowserContext, calculator_paths: dict[str, str],
                        watch: Watch) -> Iterator[Page]:
    """A tab of ``context`` on a calculator page, its engine ready, open until the end of the
    block: the SharedWorker lives while a tab holds it, so the tests' own tabs join a running
    engine, as a second tab on a ward computer does. Its console errors go to ``watch``."""
    keeper = context.new_page()
    keeper.set_default_timeout(ENGINE_TIMEOUT_MS)
    record_errors(keeper, watch.console_errors)
    keeper.goto(min(calculator_paths.values()) + KEEPER_FRAGMENT)
    keeper.locator("html[data-engine-start]").wait_for(state="attached")
    try:
        yield keeper
    finally:
        keeper.close()


# Each named control of a form: [kind ("input:text", "select:select-one", ...), shown now].
CONTROLS = """form => Object.fromEntries([...form.querySelectorAll("[name]")].map((e) => [
  e.name, [e.tagName.toLowerCase() + ":" + (e.type || ""), e.checkVisibility()]]))"""


def form_controls(form: Locator) -> dict[str, tuple[str, bool]]:
    """Each named control of ``form``: its kind and whether it is shown now, read in one call
    (a call to the browser costs tens of milliseconds; a test fills hundreds of fields)."""
    found: dict[str, tuple[str, bool]] = {
        name: (kind, shown) for name, (kind, shown) in form.evaluate(CONTROLS).items()}
    return found


def set_control(control: Locator, kind: str, value: str) -> None:
    """Choose, tick or type ``value`` in ``control`` of ``kind`` (see ``form_controls``)."""
    if kind.startswith("select"):
        control.select_option(value)
    elif kind.endswith("checkbox"):
        control.set_checked(value == "true")
    else:
        control.fill(value)


def fill_form(page: Page, name: str, inputs: dict[str, str], submit: bool = True) -> None:
    """Type or choose ``inputs`` (field name -> value) in calculator ``name``'s form, opening
    "More options" where a field sits there, then press Calculate."""
    form = page.locator(f"form[data-calculator='{name}']")
    controls = form_controls(form)
    if not all(controls[input_name][1] for input_name in inputs):
        form.locator("details.cmvig-options > summary").click()
    for input_name, value in inputs.items():
        set_control(form.locator(f"[name='{input_name}']"), controls[input_name][0], value)
    if submit:
        form.locator("button[type=submit]").click()


def site_pages(site: Path) -> Iterator[tuple[str, str]]:
    """(site path, HTML) of each page of the built ``site``, in path order: "" for the home page,
    "safety/" and so on. Not the whole-guide print page, which drops the forms and repeats every
    page's content for paper."""
    for html in sorted(site.rglob("index.html")):
        relative = html.parent.relative_to(site).as_posix()
        if not relative.startswith(("print_page", "assets")):
            yield "" if relative == "." else f"{relative}/", html.read_text("utf-8")


def forms_on_site(site: Path) -> dict[str, list[str]]:
    """Calculator name -> the site paths of the pages that hold its form."""
    found: dict[str, list[str]] = {}
    for path, html in site_pages(site):
        for name in re.findall(r'<form\b[^>]*\bdata-calculator="([^"]+)"', html):
            found.setdefault(name, []).append(path)
    return found


def assert_clean(watch: Watch) -> None:
    assert watch.console_errors == []
    assert watch.outside == []


def calculator_pages(site: Path) -> dict[str, str]:
    """Calculator name -> the site path of the page its form lives on (the first, if several)."""
    return {name: paths[0] for name, paths in forms_on_site(site).items()}


def example(name: str) -> dict[str, str]:
    """Calculator ``name``'s example input (``Calculator.example``, declared with the calculator),
    as a new dict a test may change: ``{**example("prophylaxis"), "weight_kg": "82"}``."""
    return dict(CALCULATORS[name].example)


def examples_by_page(site: Path,
                     changes: dict[str, dict[str, str]] | None = None,
                     ) -> dict[str, list[tuple[str, dict[str, str]]]]:
    """Every calculator's example, grouped by the page its form lives on, so one visit to a page
    fills each of its forms: page path -> [(calculator, inputs)], pages and forms in the
    registry's order. ``changes`` replaces some inputs of some calculators' examples."""
    pages = calculator_pages(site)
    grouped: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for name in CALCULATORS:
        inputs = {**example(name), **(changes or {}).get(name, {})}
        grouped.setdefault(pages[name], []).append((name, inputs))
    return grouped


# --- The core journeys on both builds (issue 17) ----------------------------------------------
# A test marked ``on_both_builds`` runs twice: on the MkDocs + Material build (``built_site``) and
# on the Zensical one (``zensical_site``, tests/conftest.py). Only the core journeys are marked
# (every calculator against the core, the strict CSP, instant navigation with one worker,
# offline after one visit): each doubled test costs a browser run. The fixture ``journey_site``
# (conftest.py) reads ``JOURNEY_SITES``.

JOURNEY_SITES = {"mkdocs": "built_site", "zensical": "zensical_site"}
on_both_builds = pytest.mark.parametrize("journey_site", list(JOURNEY_SITES), indirect=True)


# ---- Shared workers (issue 16, item 2) -----------------------------------------------------
# The calculator engine runs in a SharedWorker where the browser has one. Playwright does not see
# shared workers: it neither lists them nor routes, records or evaluates anything in them (nor
# reports their console). The helpers below reach them through Chromium's DevTools protocol, and
# ``use_dedicated_worker`` makes a page take the fallback, a dedicated worker Playwright sees, for
# tests that route or count the worker's own requests (the worker's script is the same file).

# Runs before the site's scripts: this page's browser has no SharedWorker.
NO_SHARED_WORKER = "delete window.SharedWorker;"


def use_dedicated_worker(page: Page) -> None:
    """Every page of ``page``'s context loaded from now on starts the dedicated worker."""
    page.context.add_init_script(NO_SHARED_WORKER)


def hold_runtime(page: Page) -> list[Route]:
    """Hold the download of the runtime's WebAssembly (not the HEAD that first checks its type),
    in the dedicated worker (:func:`use_dedicated_worker`: Playwright routes its requests only):
    the calculator engine cannot become ready until a route returned is let go (``fallback()``)."""
    use_dedicated_worker(page)
    held: list[Route] = []
    page.route("**/pyodide.asm.wasm", lambda route: held.append(route)
               if route.request.method == "GET" else route.fallback())
    return held


def follow_instant_link(page: Page, link: Locator) -> None:
    """Click ``link``, which mkdocs-material follows by instant navigation, and wait until the
    page it leads to is shown. Waiting for the address is not enough: it changes at the click,
    the content only once the new page has been fetched, and until then the old page's content
    (a form, a result) is still there to be found and filled."""
    container = page.locator("[data-md-component=container]")
    container.evaluate("(node) => { node.dataset.leaving = ''; }")
    link.click()
    # The old container is replaced, not changed: one without the mark is the new page's.
    page.locator("[data-md-component=container]:not([data-leaving])").wait_for(state="attached")


def calculator_shared_workers(browser: Browser, page: Page) -> list[dict[str, str]]:
    """The DevTools targets of the calculator SharedWorkers running now for ``page``'s browser
    profile (its context: another test's, closing, may still have one)."""
    own = page.context.new_cdp_session(page)
    try:
        profile = own.send("Target.getTargetInfo")["targetInfo"]["browserContextId"]
    finally:
        own.detach()
    cdp = browser.new_browser_cdp_session()
    try:
        targets: list[dict[str, str]] = cdp.send("Target.getTargets")["targetInfos"]
    finally:
        cdp.detach()
    return [t for t in targets if t["type"] == "shared_worker"
            and "calculator-worker" in t["url"] and t.get("browserContextId") == profile]


class SharedWorkerConsole:
    """Evaluate JavaScript in the calculator SharedWorker of ``browser`` (there must be exactly
    one), as Playwright's ``Worker.evaluate`` does in a dedicated worker."""

    def __init__(self, browser: Browser, page: Page) -> None:
        [target] = calculator_shared_workers(browser, page)
        self.page = page
        self.cdp = browser.new_browser_cdp_session()
        self.replies: dict[int, dict[str, Any]] = {}
        self.cdp.on("Target.receivedMessageFromTarget", self._received)
        self.session = self.cdp.send("Target.attachToTarget", {
            "targetId": target["targetId"], "flatten": False})["sessionId"]
        self.next_id = 1

    def _received(self, event: dict[str, Any]) -> None:
        message = json.loads(event["message"])
        if "id" in message:
            self.replies[message["id"]] = message

    def evaluate(self, expression: str) -> Any:
        """The value of ``expression`` (awaited if a promise) in the worker."""
        number, self.next_id = self.next_id, self.next_id + 1
        message = {"id": number, "method": "Runtime.evaluate", "params": {
            "expression": expression, "awaitPromise": True, "returnByValue": True}}
        self.cdp.send("Target.sendMessageToTarget",
                      {"sessionId": self.session, "message": json.dumps(message)})
        for _ in range(100):
            if number in self.replies:
                break
            self.page.wait_for_timeout(50)  # lets Playwright deliver the DevTools events
        reply = self.replies.pop(number)
        if "exceptionDetails" in reply.get("result", {}):
            raise RuntimeError(reply["result"]["exceptionDetails"])
        return reply["result"]["result"].get("value")

    def close(self) -> None:
        self.cdp.detach()


# ---- axe-core ------------------------------------------------------------------------------
# The npm package pinned in package.json, read from node_modules and injected by the test; the
# site never ships it.

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def inject_axe(page: Page) -> None:
    """Put axe-core into the page. Evaluated by the driver, as a script of the test's, not added
    as an inline <script>, which the site's Content-Security-Policy rightly refuses."""
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the current page, all (non-experimental) rules on."""
    inject_axe(page)
    violations: list[dict[str, Any]] = page.evaluate(
        """async () => {
          const result = await axe.run(document, { resultTypes: ["violations"] });
          return result.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html.slice(0, 160),
                                         summary: n.failureSummary })),
          }));
        }""")
    return violations


def describe_violations(found: dict[str, list[dict[str, Any]]]) -> str:
    """A summary line per page (rule and node count), then the first nodes of each violation."""
    lines = [f"{where}: " + ", ".join(f"{v['id']} x{len(v['nodes'])}" for v in violations)
             for where, violations in found.items()]
    for where, violations in found.items():
        for v in violations:
            lines.append(f"{where}: {v['id']} ({v['impact']}) {v['help']}")
            lines.extend(f"    {n['target']}  {n['html']}" for n in v["nodes"][:5])
    return "\n".join(lines)


__all__ = ["AXE", "CHROMIUM", "CHROMIUM_FLAGS", "ENGINE_TIMEOUT_MS", "JOURNEY_SITES",
           "KEEPER_FRAGMENT", "NO_SHARED_WORKER", "WIDTHS", "SharedWorkerConsole", "SiteServer",
           "Watch", "assert_clean", "axe_violations", "calculator_pages",
           "calculator_shared_workers", "describe_violations", "example", "examples_by_page",
           "fill_form", "follow_instant_link", "form_controls", "forms_on_site", "free_port",
           "hold_runtime", "inject_axe", "keep_engine_running", "on_both_builds", "record_errors",
           "set_control", "site_pages", "use_dedicated_worker", "warm_page", "watched_page"]
