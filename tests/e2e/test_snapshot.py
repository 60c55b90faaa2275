"""The worker starts from the build's memory snapshot, and the ordinary way when it cannot.

The page says how its worker started (``<html data-engine-start>``); either way the prophylaxis
golden cases, computed in the page, equal CPython's answers. Blocking the snapshot's URL, or
serving bytes that are no snapshot, must leave a working page, started the full way.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, Request, Route

from calculators import InputError, run
from tests.conftest import golden_cases
from tests.e2e.helpers import Watch, assert_clean, use_dedicated_worker

SNAPSHOT_URLS = "**/assets/wheels/*/snapshot-*.bin"


def _golden_prophylaxis() -> list[dict[str, Any]]:
    cases = [case for _, case in golden_cases()
             if case["calculator"] == "prophylaxis" and "settings" not in case]
    assert cases
    return cases


def _assert_page_matches_core(page: Page) -> None:
    cases = _golden_prophylaxis()
    replies = page.evaluate(
        "cases => Promise.all(cases.map(p => window.cmvigCalculators.run('prophylaxis', p)))",
        [case["input"] for case in cases],
    )
    for case, reply in zip(cases, replies, strict=True):
        try:
            expected = {"ok": True, "result": run("prophylaxis", case["input"])}
        except InputError as error:
            expected = {"ok": False, "error": error.as_plain()}
        assert reply == expected, case["id"]


def _started(page: Page) -> str | None:
    page.wait_for_selector("html[data-engine-start]", state="attached")
    return page.get_attribute("html", "data-engine-start")


def _record_requests(page: Page) -> list[str]:
    """The URLs the page and its calculator worker request (not the service worker, which
    keeps every runtime file, the wheel too, once the calculators are ready)."""
    seen: list[str] = []
    page.context.on("request", lambda request: request.service_worker is None
                    and seen.append(request.url))
    return seen


def test_the_page_starts_from_the_snapshot(page: Page, watch: Watch) -> None:
    use_dedicated_worker(page)  # routes and counts the worker's own requests (helpers.py)
    requested = _record_requests(page)
    page.goto("prophylaxis/")
    _assert_page_matches_core(page)
    assert _started(page) == "snapshot"
    assert any("/snapshot-" in url and url.endswith(".bin") for url in requested)
    # Python and the calculators came from the snapshot: the wheel was never needed.
    assert not any(url.endswith(".whl") for url in requested)
    assert_clean(watch)


def test_a_blocked_snapshot_falls_back_to_the_full_start(page: Page, watch: Watch) -> None:
    use_dedicated_worker(page)  # routes and counts the worker's own requests (helpers.py)
    blocked: list[str] = []

    def block(route: Route, request: Request) -> None:
        blocked.append(request.url)
        route.abort()

    page.context.route(SNAPSHOT_URLS, block)
    requested = _record_requests(page)
    page.goto("prophylaxis/")
    _assert_page_matches_core(page)
    assert _started(page) == "full"
    assert blocked and any(url.endswith(".whl") for url in requested)
    # Chromium reports the refused request itself; nothing else may be logged as an error.
    assert all("net::ERR_FAILED" in message for message in watch.console_errors)
    assert watch.outside == []


def test_bytes_that_are_no_snapshot_fall_back_to_the_full_start(page: Page, watch: Watch) -> None:
    use_dedicated_worker(page)  # routes and counts the worker's own requests (helpers.py)
    page.context.route(SNAPSHOT_URLS, lambda route: route.fulfill(
        status=200, body=b"not a memory snapshot" * 64,
        headers={"Content-Type": "application/octet-stream"}))
    page.goto("prophylaxis/")
    _assert_page_matches_core(page)
    assert _started(page) == "full"
    assert_clean(watch)
