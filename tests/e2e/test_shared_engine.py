"""One Python per browser (issue 16, item 2): every calculator tab shares one engine.

The engine runs in a module SharedWorker where the browser has one (Chromium does): the tabs of
one browser share it, so Pyodide and its memory snapshot are loaded once; each request is
answered to the tab that sent it; a tab closed in the middle of a calculation leaves the others
working. Where SharedWorker is missing (deleted here by an init script), each tab starts its own
dedicated worker, as before. Playwright does not see shared workers: the DevTools protocol counts
them (tests/e2e/helpers.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request

from calculators import run
from tests.e2e.helpers import (
    ENGINE_TIMEOUT_MS,
    calculator_shared_workers,
    example,
    fill_form,
    use_dedicated_worker,
)

PROPHYLAXIS = example("prophylaxis")
REGIMEN = example("regimen")

# Many requests sent at once, without waiting for each answer: the engine's queue holds both tabs'.
# Each is PROPHYLAXIS with another weight.
SEND_MANY = """([inputs, weights]) => {
  window.__sent = Promise.all(weights.map((w) => window.cmvigCalculators.run("prophylaxis",
    { ...inputs, weight_kg: w })));
}"""


@pytest.fixture
def context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    """One browser profile for several tabs; its tabs and their shared worker end with it."""
    opened = browser.new_context(base_url=base_url)
    opened.set_default_timeout(ENGINE_TIMEOUT_MS)
    outside: list[str] = []

    def record(request: Request) -> None:
        if not request.url.startswith(base_url):
            outside.append(request.url)

    opened.on("request", record)
    yield opened
    opened.close()
    assert outside == []


def ready_tab(context: BrowserContext, path: str = "prophylaxis/") -> Page:
    page = context.new_page()
    page.goto(path)
    page.wait_for_selector("html[data-engine-start]", state="attached")
    return page


def shown_doses(page: Page, name: str) -> list[float]:
    result = page.locator(f"form[data-calculator='{name}'] [data-result][data-state=done]")
    result.wait_for()
    return [float(row.get_attribute("data-dose-mg") or "nan")
            for row in result.locator("tr[data-dose-mg]").all()]


def core_doses(name: str, inputs: dict[str, str]) -> list[float]:
    return [float(dose["dose_mg"]) for dose in run(name, inputs)["doses"]]


def engine_ids(browser: Browser, tab: Page) -> list[str]:
    return [target["targetId"] for target in calculator_shared_workers(browser, tab)]


def core_prophylaxis(weight: str) -> dict[str, Any]:
    return {"ok": True, "result": run("prophylaxis", {**PROPHYLAXIS, "weight_kg": weight})}


def test_every_tab_shares_one_engine(browser: Browser, context: BrowserContext) -> None:
    first = ready_tab(context)
    fill_form(first, "prophylaxis", PROPHYLAXIS)
    assert shown_doses(first, "prophylaxis") == core_doses("prophylaxis", PROPHYLAXIS)
    [engine] = engine_ids(browser, first)
    # A second tab, on another calculator page: it joins the running engine.
    second = ready_tab(context, "treatment/")
    fill_form(second, "regimen", REGIMEN)
    assert shown_doses(second, "regimen") == core_doses("regimen", REGIMEN)
    assert engine_ids(browser, second) == [engine]
    for tab in (first, second):
        assert tab.get_attribute("html", "data-engine-worker") == "shared"
        assert tab.get_attribute("html", "data-engine-start") == "snapshot"
        assert not [w for w in tab.workers if "calculator-worker" in w.url]


def test_requests_stay_matched_to_their_tab(browser: Browser, context: BrowserContext) -> None:
    tabs = [ready_tab(context), ready_tab(context, "treatment/")]
    weights = [[f"{40 + i}.5" for i in range(40)], [f"{90 + i}.25" for i in range(40)]]
    # Both tabs send at once, with the same request numbers (each tab counts from 1).
    for tab, sent in zip(tabs, weights, strict=True):
        tab.evaluate(SEND_MANY, [PROPHYLAXIS, sent])
    for tab, sent in zip(tabs, weights, strict=True):
        replies = tab.evaluate("window.__sent")
        assert replies == [core_prophylaxis(weight) for weight in sent]
    assert len(calculator_shared_workers(browser, tabs[0])) == 1


def test_a_tab_closed_mid_calculation_costs_the_others_nothing(browser: Browser,
                                                               context: BrowserContext) -> None:
    staying, leaving = ready_tab(context), ready_tab(context)
    [engine] = engine_ids(browser, staying)
    leaving.evaluate(SEND_MANY, [PROPHYLAXIS, [f"{50 + i}.5" for i in range(200)]])
    leaving.close()  # while the engine is still working through its requests
    staying.evaluate(SEND_MANY, [PROPHYLAXIS, ["61.5", "88"]])
    assert staying.evaluate("window.__sent") == [core_prophylaxis("61.5"), core_prophylaxis("88")]
    heavier = {**PROPHYLAXIS, "weight_kg": "75"}
    fill_form(staying, "prophylaxis", heavier)
    assert shown_doses(staying, "prophylaxis") == core_doses("prophylaxis", heavier)
    # The same engine, not restarted.
    assert engine_ids(browser, staying) == [engine]


def test_without_shared_worker_each_tab_has_its_own_worker(browser: Browser,
                                                           context: BrowserContext) -> None:
    tabs = []
    for path in ("prophylaxis/", "treatment/"):
        tab = context.new_page()
        use_dedicated_worker(tab)
        tab.goto(path)
        tabs.append(tab)
    fill_form(tabs[0], "prophylaxis", PROPHYLAXIS)
    assert shown_doses(tabs[0], "prophylaxis") == core_doses("prophylaxis", PROPHYLAXIS)
    fill_form(tabs[1], "regimen", REGIMEN)
    assert shown_doses(tabs[1], "regimen") == core_doses("regimen", REGIMEN)
    for tab in tabs:
        assert tab.evaluate("typeof SharedWorker") == "undefined"
        assert tab.get_attribute("html", "data-engine-worker") == "dedicated"
        assert len([w for w in tab.workers if "calculator-worker" in w.url]) == 1
    assert calculator_shared_workers(browser, tabs[0]) == []
