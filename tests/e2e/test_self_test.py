"""The self-test page for IT (issue 6, item 4), run in Chromium against the real test server.

Every check passes under the test server, except that a header the server does not send at all
(Content-Security-Policy, Cache-Control) is a warning that says what to send. The copyable report
names every check, the time and the site's version. A .wasm served with the wrong type fails its
row with the fix; a page opened as a file says why nothing runs.
"""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import ROOT
from tests.e2e.helpers import (
    ENGINE_TIMEOUT_MS,
    SiteServer,
    Watch,
    assert_clean,
    axe_violations,
    describe_violations,
    free_port,
)

CHECKS = [
    "Opened from a web server",
    "WebAssembly runs on the page",
    "Module Web Worker with WebAssembly",
    "WebAssembly file served correctly",
    "Content-Security-Policy",
    "Caching of pages",
    "Caching of the runtime",
    "Offline copy (service worker)",
    "Browser",
]
# The row that judges each header, if the server sends none of it.
HEADER_ROWS = {
    "Content-Security-Policy": ("self-test/", "Content-Security-Policy"),
    "Caching of pages": ("self-test/", "Cache-Control"),
    "Caching of the runtime": ("wasm", "Cache-Control"),
}


def run_checks(page: Page) -> dict[str, dict[str, str]]:
    """Press "Run the checks" and return {check: {status, result, todo}}, row by row."""
    page.goto("self-test/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # the first visit's copy
    page.get_by_role("button", name="Run the checks").click()
    page.locator("[data-self-test][data-state=done]").wait_for()
    rows = page.locator("[data-self-test-results] tbody tr")
    return {row.locator("th").inner_text(): {
        "status": row.get_attribute("data-status") or "",
        "result": row.locator("td").nth(0).inner_text(),
        "todo": row.locator("td").nth(1).inner_text(),
    } for row in rows.all()}


def header_sent(base_url: str, path: str, name: str) -> bool:
    with urllib.request.urlopen(base_url + path) as response:
        return response.headers.get(name) is not None


def wasm_path(built_site: Path) -> str:
    found = sorted(built_site.glob("assets/pyodide/**/*.wasm"))
    assert len(found) == 1, found
    return found[0].relative_to(built_site).as_posix()


def test_every_check_passes_under_the_test_server(page: Page, watch: Watch, base_url: str,
                                                  built_site: Path) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    rows = run_checks(page)
    assert list(rows) == CHECKS
    expected = dict.fromkeys(CHECKS, "pass")
    for check, (path, header) in HEADER_ROWS.items():
        target = wasm_path(built_site) if path == "wasm" else path
        if not header_sent(base_url, target, header):
            expected[check] = "warning"
    assert {check: row["status"] for check, row in rows.items()} == expected, rows
    for check, status in expected.items():
        if status == "warning":  # a header to send: the row says which
            assert rows[check]["todo"].startswith("Send"), rows[check]
    assert "application/wasm, starts with \\0asm" in rows["WebAssembly file served correctly"][
        "result"]
    assert "the pages of build" in rows["Offline copy (service worker)"]["result"]

    report = page.locator("[data-self-test-report]").input_value()
    assert report.startswith("CMVIG Guide self-test\nTime: ")
    for check in CHECKS:
        assert re.search(rf"^\[(PASS|WARNING|FAIL)\] {re.escape(check)}: ", report, re.M), check
    assert re.search(r"^Site: content version [\d.]+, calculator core [\d.]+, build [0-9a-f]{16}$",
                     report, re.M)
    assert page.evaluate("navigator.userAgent") in report
    page.get_by_role("button", name="Copy report").click()
    page.get_by_text("Report copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == report

    # The results and the report are accessible too (the axe test sees the page before a run).
    if violations := axe_violations(page):
        pytest.fail("axe-core found violations:\n"
                    + describe_violations({"self-test/": violations}))
    assert_clean(watch)


def test_wrong_wasm_type_fails_with_the_fix(browser: Browser, built_site: Path) -> None:
    if "--wrong-wasm-type" not in (ROOT / "build_scripts" / "hosting" / "serve.py").read_text():
        pytest.skip("build_scripts/hosting/serve.py has no --wrong-wasm-type option in this "
                    "tree, so the test server cannot serve .wasm with the wrong type")
    server = SiteServer(built_site, free_port()).start("--wrong-wasm-type")
    context = browser.new_context(base_url=server.url)
    try:
        page = context.new_page()
        page.set_default_timeout(ENGINE_TIMEOUT_MS)
        row = run_checks(page)["WebAssembly file served correctly"]
        assert row["status"] == "fail"
        assert "application/wasm" in row["todo"]
        assert "application/wasm" not in row["result"].split(" is served as ")[-1]
    finally:
        context.close()
        server.stop()


def test_page_opened_as_a_file_says_why_nothing_runs(browser: Browser, built_site: Path) -> None:
    # Browsers load no module scripts from file://, so the page's own words must say it.
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto((built_site / "self-test" / "index.html").as_uri())
        page.wait_for_load_state("load")
        assert page.get_by_role("button", name="Run the checks").is_disabled()
        assert "file://" in page.locator("[data-self-test-status]").inner_text()
    finally:
        context.close()
