"""What users wait for, measured in Debian's Chromium through Playwright.

Every cold measurement gets a new browser profile (``launch_persistent_context`` on a new temporary
folder), so neither the HTTP cache nor V8's compiled-code cache carries over; the warm repeat visit
launches the browser again on the same profile. Times come from the page's own clock
(``performance.now()``, zero at navigation start), recorded by an init script that watches the
calculators' DOM contract: a ``[data-result]`` is *ready* when it leaves ``data-state=loading``
and *done* when a result is shown.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from playwright.sync_api import BrowserContext, Page, Playwright, Request
from playwright.sync_api import Error as PlaywrightError

from build_scripts.chromium import CHROMIUM, CHROMIUM_FLAGS

__all__ = [
    "CHROMIUM", "CHROMIUM_FLAGS", "Cold", "PageBytes", "cold_calculator", "floor_ms", "page_bytes",
    "profile", "snapshot_floor_ms",
]

TIMEOUT_MS = 120_000

# The first calculator page, its inputs, and the calculator page reached from it by a link.
CALCULATOR_PAGE = "prophylaxis/"
CALCULATOR = "prophylaxis"
INPUTS = {"weight_kg": "70", "organ": "kidney", "transplant_date": "2026-01-01"}
SECOND_PAGE = "treatment/"
# The page's own share link for INPUTS (calculator-output.js, restoreFromLink).
SHARE_LINK = f"#calculate:{CALCULATOR}?{urlencode(INPUTS)}"
SECOND_CALCULATOR = "regimen"

WATCH_SCRIPT = """
window.__bench = { ready: {}, done: {} };
const record = () => {
  for (const region of document.querySelectorAll("form[data-calculator] [data-result]")) {
    const name = region.closest("form").dataset.calculator;
    const now = performance.now();
    if (region.dataset.state !== "loading" && !(name in __bench.ready)) __bench.ready[name] = now;
    if (region.dataset.state === "done" && !(name in __bench.done)) __bench.done[name] = now;
  }
};
new MutationObserver(record).observe(document, {
  subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"],
});
"""

# Each change: a new weight, the form submitted (as Calculate or Enter would: no typing pause),
# timed from that input until the result is on screen: the DOM updated (a mutation observed in the
# result region), then painted (the first animation frame after that update, and the task after
# it: the frame that shows it has been produced). Then the same inputs through the page's
# programmatic door (the worker round trip alone).
RECOMPUTE_SCRIPT = """
async ([name, count]) => {
  const form = document.querySelector(`form[data-calculator="${name}"]`);
  const region = form.querySelector("[data-result]");
  const weight = form.elements.namedItem("weight_kg");
  const updated = () => new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      observer.disconnect();
      resolve(performance.now());
    });
    observer.observe(region,
      { childList: true, subtree: true, characterData: true, attributes: true });
  });
  const afterPaint = () => new Promise((resolve) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(performance.now());
    channel.port2.postMessage(null);
  }));
  const dom = [], painted = [], roundTrip = [];
  for (let i = 0; i < count; i++) {
    weight.value = String(40 + (i % 80) + 0.5);
    const start = performance.now();
    const done = updated();
    form.requestSubmit();
    const domAt = await done;
    const paintAt = await afterPaint();
    dom.push(domAt - start);
    painted.push(paintAt - start);
    if (region.dataset.state !== "done") throw new Error(`no result: ${region.textContent}`);
  }
  const params = Object.fromEntries(new FormData(form));
  for (let i = 0; i < count; i++) {
    params.weight_kg = String(40 + (i % 80) + 0.25);
    const start = performance.now();
    const reply = await window.cmvigCalculators.run(name, params);
    roundTrip.push(performance.now() - start);
    if (!reply.ok) throw new Error(JSON.stringify(reply.error));
  }
  return { dom, painted, roundTrip };
}
"""

# Chromium's CPU throttling for the slow-machine recompute figure (issue 16's budget: 4 times).
CPU_THROTTLING = 4

# Playwright sees neither a SharedWorker nor its requests: byte counts use the dedicated worker
# (the same script, fetching the same files), by deleting SharedWorker before the site's scripts.
NO_SHARED_WORKER = "delete window.SharedWorker;"


@contextmanager
def profile() -> Iterator[Path]:
    """A new, empty browser profile folder, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="cmvig-bench-profile-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _launch(playwright: Playwright, folder: Path) -> BrowserContext:
    context = playwright.chromium.launch_persistent_context(
        str(folder), executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _floor_query(runtime: str, lock: str, stdlib: str, snapshot: str) -> str:
    query = f"?runtime={quote(runtime)}&lock={quote(lock)}"
    query += f"&stdlib={quote(stdlib)}" if stdlib else ""
    return query + (f"&snapshot={quote(snapshot)}" if snapshot else "")


def _floor_visit(playwright: Playwright, folder: Path, url: str) -> float:
    """Start the browser on profile ``folder`` and time the floor page at ``url``: milliseconds
    from navigation start until it has 1+1. The browser is closed after."""
    context = _launch(playwright, folder)
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_function("() => window.__floor")
        floor: dict[str, Any] = page.evaluate("window.__floor")
    finally:
        context.close()
    if floor.get("answer") != 2:
        raise RuntimeError(f"the floor page did not get 1+1 = 2: {floor}")
    return float(floor["ms"])


def floor_ms(playwright: Playwright, base_url: str, runtime: str, lock: str, stdlib: str = "",
             snapshot: str = "") -> float:
    """Cold, fresh profile: milliseconds from navigation start until the floor page has 1+1."""
    url = f"{base_url}__floor__/floor.html{_floor_query(runtime, lock, stdlib, snapshot)}"
    with profile() as folder:
        return _floor_visit(playwright, folder, url)


def snapshot_floor_ms(playwright: Playwright, base_url: str, runtime: str, lock: str,
                      snapshot: str) -> tuple[float, float]:
    """The runtime's own lower bound for a calculator page: the floor page restoring the build's
    memory snapshot (no page, theme or settings around it), cold, then warm (the browser
    restarted on the same profile), in milliseconds until it has 1+1."""
    url = f"{base_url}__floor__/floor.html{_floor_query(runtime, lock, '', snapshot)}"
    with profile() as folder:
        return _floor_visit(playwright, folder, url), _floor_visit(playwright, folder, url)


def _fill(page: Page) -> None:
    form = page.locator(f"form[data-calculator='{CALCULATOR}']")
    for name, value in INPUTS.items():
        control = form.locator(f"[name='{name}']")
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    form.locator("button[type=submit]").click()


def _bench(page: Page) -> dict[str, dict[str, float]]:
    found: dict[str, dict[str, float]] = page.evaluate("window.__bench")
    return found


@dataclass
class Cold:
    """One cold visit to the calculator page, then the rest of that visit, then a warm return."""

    fcp_ms: float
    ready_ms: float
    first_result_ms: float
    recompute_ms: list[float]  # input to painted result
    recompute_dom_ms: list[float]  # input to DOM updated
    recompute_throttled_ms: list[float]  # input to painted result, CPU throttled
    round_trip_ms: list[float]
    second_page_ready_ms: float
    second_page_instant: bool
    second_tab_result_ms: float  # a new tab of the same browser: navigation start to result
    # Another tab, opened from a share link (#calculate:NAME?inputs), which fills the form at once
    # with no test driver between page and result: navigation start to result.
    second_tab_link_result_ms: float
    warm_ready_ms: float


def _ready_ms(page: Page, name: str) -> float:
    page.wait_for_function(f"() => window.__bench.ready[{name!r}] !== undefined")
    return _bench(page)["ready"][name]


def cold_calculator(playwright: Playwright, base_url: str, recomputes: int) -> Cold:
    with profile() as folder:
        context = _launch(playwright, folder)
        try:
            context.add_init_script(WATCH_SCRIPT)
            page = context.new_page()
            page.goto(base_url + CALCULATOR_PAGE, wait_until="domcontentloaded")
            _fill(page)  # as soon as the form is there, as a quick user would
            ready = _ready_ms(page, CALCULATOR)
            page.wait_for_function(f"() => window.__bench.done[{CALCULATOR!r}] !== undefined")
            first_result = _bench(page)["done"][CALCULATOR]
            fcp = page.evaluate(
                "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null")
            if fcp is None:
                raise RuntimeError("Chromium reported no first contentful paint")
            times: dict[str, list[float]] = page.evaluate(RECOMPUTE_SCRIPT,
                                                          [CALCULATOR, recomputes])
            # Instant navigation: a link click that swaps the page in place (same document).
            start = page.evaluate(f"""() => {{
                window.__bench.sameDocument = true;
                const link = [...document.querySelectorAll("a[href]")]
                  .find((a) => new URL(a.href).pathname.endsWith("/{SECOND_PAGE}"));
                const start = performance.now();
                link.click();
                return start;
            }}""")
            page.wait_for_function(
                f"() => window.__bench.ready[{SECOND_CALCULATOR!r}] !== undefined", polling=5)
            instant = bool(page.evaluate("window.__bench.sameDocument === true"))
            second = _bench(page)["ready"][SECOND_CALCULATOR] - (start if instant else 0.0)
            # A second tab of the same browser, filled at once: page to result (the engine is
            # shared by the tabs where the browser has SharedWorker).
            tab = context.new_page()
            tab.goto(base_url + CALCULATOR_PAGE, wait_until="domcontentloaded")
            _fill(tab)
            tab.wait_for_function(f"() => window.__bench.done[{CALCULATOR!r}] !== undefined")
            second_tab = _bench(tab)["done"][CALCULATOR]
            # The same from a share link: the page fills the form itself, as soon as it can.
            linked = context.new_page()
            linked.goto(base_url + CALCULATOR_PAGE + SHARE_LINK, wait_until="domcontentloaded")
            linked.wait_for_function(
                f"() => window.__bench.done[{CALCULATOR!r}] !== undefined")
            second_tab_link = _bench(linked)["done"][CALCULATOR]
            linked.close()
            # The recompute again with the CPU throttled, as on a slow hospital computer.
            cdp = context.new_cdp_session(tab)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_THROTTLING})
            throttled: dict[str, list[float]] = tab.evaluate(
                RECOMPUTE_SCRIPT, [CALCULATOR, max(1, recomputes // 4)])
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
        finally:
            context.close()
        # The same profile again: a return visit with whatever the browser kept.
        context = _launch(playwright, folder)
        try:
            context.add_init_script(WATCH_SCRIPT)
            page = context.new_page()
            page.goto(base_url + CALCULATOR_PAGE, wait_until="domcontentloaded")
            warm = _ready_ms(page, CALCULATOR)
        finally:
            context.close()
    return Cold(
        fcp_ms=float(fcp), ready_ms=ready, first_result_ms=first_result,
        recompute_ms=times["painted"], recompute_dom_ms=times["dom"],
        recompute_throttled_ms=throttled["painted"], round_trip_ms=times["roundTrip"],
        second_page_ready_ms=second, second_page_instant=instant, second_tab_result_ms=second_tab,
        second_tab_link_result_ms=second_tab_link,
        warm_ready_ms=warm,
    )


@dataclass
class PageBytes:
    url: str
    requests: int = 0
    bytes: int = 0  # headers and body as they came over the wire (compressed if served so)
    pyodide_bytes: int = 0
    pyodide_requests: list[str] = field(default_factory=list)
    fcp_ms: float = 0.0
    urls: list[str] = field(default_factory=list)  # every request counted, in order


def page_bytes(playwright: Playwright, base_url: str, path: str, runtime: str) -> PageBytes:
    """Cold, fresh profile: every request the page makes (its worker's included: the dedicated
    one, which Playwright sees) until it is settled (network idle, and for a calculator page its
    engine ready). Not the service worker's own downloads (the offline copy of every page, made
    in the background on a first visit): counted with the page, they made its figure vary by
    however many had finished when the network first fell idle."""
    found = PageBytes(url=path)
    runtime_url = base_url.rstrip("/") + runtime

    def count(request: Request) -> None:
        if request.service_worker is not None:
            return
        try:
            sizes = request.sizes()
        except PlaywrightError:  # asked as the context closed: finished after the page settled
            return
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        found.requests += 1
        found.urls.append(request.url.removeprefix(base_url))
        found.bytes += size
        if request.url.startswith(runtime_url):
            found.pyodide_bytes += size
            found.pyodide_requests.append(request.url.removeprefix(base_url))

    with profile() as folder:
        context = _launch(playwright, folder)
        try:
            context.add_init_script(WATCH_SCRIPT)
            context.add_init_script(NO_SHARED_WORKER)
            context.on("requestfinished", count)
            page = context.new_page()
            page.goto(base_url + path, wait_until="networkidle")
            if page.locator("form[data-calculator] [data-result]").count():
                page.wait_for_function(
                    "() => Object.keys(window.__bench.ready).length > 0 && "
                    "document.querySelectorAll('[data-result][data-state=loading]').length === 0")
                page.wait_for_load_state("networkidle")
            found.fcp_ms = float(page.evaluate(
                "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1"))
            # Settled: what finishes from now on (the service worker's offline copy) is not
            # the page's.
            context.remove_listener("requestfinished", count)
        finally:
            context.close()
    return found
