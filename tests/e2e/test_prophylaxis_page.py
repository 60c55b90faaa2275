"""The prophylaxis calculator in a real Chromium: Pyodide in a Web Worker, computing with the core.

Expected numbers come from the CPython core itself (calculators.run) and from the golden cases
(tests/calculators/golden/<source>.json, each case quoting its source line), so the page is held
to exactly what the tested core computes.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from calculators import InputError, run
from tests.conftest import golden_cases
from tests.e2e.helpers import (
    Watch,
    assert_clean,
    follow_instant_link,
    hold_runtime,
    use_dedicated_worker,
)

# Tests here share the worker's warm context (e2e/conftest.py) unless marked fresh.
pytestmark = pytest.mark.browser_context("warm")

FORM = "form[data-calculator=prophylaxis]"
RESULT = f"{FORM} [data-result]"


def fill(page: Page, weight: str, organ: str = "kidney", day: str = "2026-01-01") -> None:
    page.fill(f"{FORM} [name=weight_kg]", weight)
    page.select_option(f"{FORM} [name=organ]", organ)
    page.fill(f"{FORM} [name=transplant_date]", day)
    page.click(f"{FORM} button[type=submit]")


def shown_schedule(page: Page) -> list[dict[str, Any]]:
    page.wait_for_selector(f"{RESULT}[data-state=done]")
    rows = page.query_selector_all(f"{RESULT} tr[data-dose-mg]")
    return [
        {"date": row.query_selector("time").get_attribute("datetime"),
         "dose_mg": float(row.get_attribute("data-dose-mg"))}
        for row in rows
    ]


def core_schedule(weight: str, organ: str, day: str) -> list[dict[str, Any]]:
    result = run("prophylaxis", {"weight_kg": weight, "organ": organ, "transplant_date": day})
    return [{"date": d["date"], "dose_mg": float(d["dose_mg"])} for d in result["doses"]]


def test_acceptance_kidney_70kg(page: Page, watch: Watch) -> None:
    # Issue 2 acceptance; CMV Ig monograph kidney schedule (150/100/50 mg/kg).
    page.goto("prophylaxis/")
    fill(page, "70", "kidney", "2026-01-01")
    shown = shown_schedule(page)
    assert shown == core_schedule("70", "kidney", "2026-01-01")
    assert shown == [
        {"date": "2026-01-01", "dose_mg": 10500},
        {"date": "2026-01-15", "dose_mg": 7000},
        {"date": "2026-01-29", "dose_mg": 7000},
        {"date": "2026-02-12", "dose_mg": 7000},
        {"date": "2026-02-26", "dose_mg": 7000},
        {"date": "2026-03-26", "dose_mg": 3500},
        {"date": "2026-04-23", "dose_mg": 3500},
    ]
    text = page.inner_text(RESULT)
    assert "10,500" in text and "210" in text  # mg and mL at 50 mg/mL, as displayed
    assert "CytoGam prescribing information" in text
    assert_clean(watch)


@pytest.mark.parametrize("weight", ["0", "-5", "abc", ""])
def test_bad_weight_gives_an_error_naming_the_weight(page: Page, watch: Watch, weight: str) -> None:
    page.goto("prophylaxis/")
    fill(page, "70")
    shown_schedule(page)  # a good result first, so the error must replace it
    fill(page, weight)
    page.wait_for_selector(f"{RESULT}[data-state=error]")
    message = page.inner_text(RESULT)
    assert "Weight (kg)" in message
    assert page.query_selector_all(f"{RESULT} tr[data-dose-mg]") == []
    assert "mg" not in message.replace("Weight (kg)", "")
    weight_input = page.locator(f"{FORM} [name=weight_kg]")
    assert weight_input.get_attribute("aria-invalid") == "true"
    assert "Weight (kg)" in page.inner_text(f"{FORM} #calc-prophylaxis-weight_kg-error")
    assert_clean(watch)


def test_result_updates_as_you_type(page: Page, watch: Watch) -> None:
    page.goto("prophylaxis/")
    fill(page, "70")
    shown_schedule(page)
    page.fill(f"{FORM} [name=weight_kg]", "62,5")  # decimal comma; no submit
    page.wait_for_selector(f"{RESULT} tr[data-dose-mg='9375']")
    assert shown_schedule(page) == core_schedule("62.5", "kidney", "2026-01-01")
    assert_clean(watch)


@pytest.mark.browser_context("fresh")  # routes its requests: a context of its own
def test_loading_state_while_pyodide_starts(page: Page, watch: Watch) -> None:
    held = hold_runtime(page)
    page.goto("prophylaxis/")
    page.wait_for_function("() => true")
    assert page.get_attribute(RESULT, "data-state") == "loading"
    assert "Starting" in page.inner_text(RESULT)  # the template's text, then the worker's steps
    assert "Nothing you type leaves this computer" in page.inner_text(RESULT)
    fill(page, "70")  # typed before the engine is ready: answered once it is
    page.wait_for_timeout(200)
    assert page.get_attribute(RESULT, "data-state") == "loading"
    assert held, "the page never asked for the WebAssembly runtime"
    held[0].fallback()
    assert shown_schedule(page) == core_schedule("70", "kidney", "2026-01-01")
    assert_clean(watch)


@pytest.mark.browser_context("fresh")  # routes its requests: a context of its own
def test_missing_worker_file_says_so(page: Page) -> None:
    use_dedicated_worker(page)  # routes and counts the worker's own requests (helpers.py)
    page.route("**/calculator-worker.js", lambda route: route.fulfill(status=404, body="missing"))
    page.goto("prophylaxis/")
    page.wait_for_selector(f"{RESULT}[data-state=error]")
    assert "could not be loaded" in page.inner_text(RESULT)
    # The static guidance on the page is still there.
    assert page.locator("table").first.is_visible()


@pytest.mark.browser_context("fresh")  # routes its requests: a context of its own
def test_missing_runtime_file_is_named_at_once(page: Page) -> None:
    use_dedicated_worker(page)  # routes and counts the worker's own requests (helpers.py)
    page.route("**/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body="missing"))
    page.goto("prophylaxis/")
    page.wait_for_selector(f"{RESULT}[data-state=error]")
    assert "pyodide.asm.wasm is missing on the server (HTTP 404)" in page.inner_text(RESULT)


@pytest.mark.browser_context("fresh")  # routes its requests: a context of its own
def test_runtime_that_never_starts_hits_the_watchdog(page: Page) -> None:
    use_dedicated_worker(page)  # routes and counts the worker's own requests (helpers.py)
    # A download that never ends leaves loadPyodide waiting for ever; the page must not.
    page.clock.install()
    page.route("**/pyodide.asm.wasm",
               lambda route: None if route.request.method == "GET" else route.fallback())
    page.goto("prophylaxis/")
    assert page.get_attribute(RESULT, "data-state") == "loading"
    page.clock.fast_forward(91_000)
    page.wait_for_selector(f"{RESULT}[data-state=error]")
    assert "did not start within 90 seconds" in page.inner_text(RESULT)


@pytest.mark.browser_context("fresh")  # counts its own downloads of the runtime
def test_works_across_instant_navigation(page: Page, watch: Watch) -> None:
    use_dedicated_worker(page)  # routes and counts the worker's own requests (helpers.py)
    # mkdocs-material rewrites links to absolute URLs for instant navigation: find them by name.
    sidebar = page.locator(".md-sidebar--primary")
    to_calculator = sidebar.locator("a[href$='/prophylaxis/']").first
    to_home = sidebar.get_by_role("link", name="Home")
    runtime_fetches: list[str] = []
    # The page's own fetches (the service worker's copy into its cache is not the page's).
    page.context.on("request", lambda r: r.url.endswith(".wasm") and r.service_worker is None
                    and r.method == "GET" and runtime_fetches.append(r.url))
    page.goto("./")
    page.evaluate("window.sameDocument = true")
    follow_instant_link(page, to_calculator)
    fill(page, "80", "heart", "2026-03-10")
    assert shown_schedule(page) == core_schedule("80", "heart", "2026-03-10")
    # Back on this page, the form and result must be new ones, not the first visit's (helpers.py).
    follow_instant_link(page, to_home)
    assert page.locator(FORM).count() == 0
    follow_instant_link(page, to_calculator)
    assert page.url.endswith("/prophylaxis/")
    fill(page, "70", "kidney", "2026-01-01")
    assert shown_schedule(page) == core_schedule("70", "kidney", "2026-01-01")
    # Instant navigation kept one document: one worker, and the runtime was fetched once.
    assert page.evaluate("window.sameDocument") is True
    assert [w for w in page.workers if "calculator-worker" in w.url] != []
    assert len([w for w in page.workers if "calculator-worker" in w.url]) == 1
    assert len(runtime_fetches) == 1
    assert_clean(watch)


def test_golden_cases_match_in_the_page(page: Page, watch: Watch) -> None:
    """Every golden case (all sources, all calculators), computed by the shipped wheel in the
    page's worker, equals CPython's answer exactly: the same result, or the same error."""
    cases = [
        (case["calculator"], case)
        for _, case in golden_cases()
        if "settings" not in case  # the page's settings come from site_src/config.yml
    ]
    assert len(cases) > 20
    page.goto("prophylaxis/")
    replies = page.evaluate(
        "cases => Promise.all(cases.map(([name, p]) => window.cmvigCalculators.run(name, p)))",
        [[name, case["input"]] for name, case in cases],
    )
    for (name, case), reply in zip(cases, replies, strict=True):
        try:
            expected = {"ok": True, "result": run(name, case["input"])}
        except InputError as error:
            expected = {"ok": False, "error": error.as_plain()}
        assert reply == expected, case["id"]
    assert_clean(watch)
