"""Offline after one visit (issue 6, item 5), in Chromium with the site's real service worker.

Each test serves its own copy of the built site from its own server process, so that it can stop
the server for real (and, on top of that, switch the browser offline); the session's server keeps
running for the other tests. Navigation here is by address, not by instant navigation, so the
copy's port need not match the one the site was built for.
"""

from __future__ import annotations

import json
import re
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from build_scripts.offline import MANIFEST, RUNTIME_FOLDERS, write_offline
from calculators import run
from tests.e2e.helpers import (
    ENGINE_TIMEOUT_MS,
    SiteServer,
    calculator_shared_workers,
    example,
    fill_form,
    free_port,
    hold_runtime,
    on_both_builds,
    record_errors,
    use_dedicated_worker,
)

# Minutes long: scheduled first, so it does not finish last (tests/conftest.py).
pytestmark = pytest.mark.long

REGIMEN = example("regimen")


@pytest.fixture
def own_server(journey_site: Path, tmp_path: Path) -> Iterator[SiteServer]:
    """A copy of the built site on a free port, not yet started; stopped after the test."""
    server = SiteServer(Path(shutil.copytree(journey_site, tmp_path / "site")), free_port())
    yield server
    server.stop()


@dataclass
class Session:
    context: BrowserContext
    page: Page
    console_errors: list[str]
    outside: list[str]


def open_session(browser: Browser, base_url: str) -> Session:
    """A fresh browser profile on ``base_url``, watched like tests/e2e/conftest.py's ``page``."""
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.set_default_timeout(ENGINE_TIMEOUT_MS)
    session = Session(context, page, [], [])
    context.on("request", lambda r: r.url.startswith((base_url, "data:", "blob:"))
               or session.outside.append(r.url))
    record_errors(page, session.console_errors)
    return session


def cache_names(page: Page) -> list[str]:
    names: list[str] = page.evaluate("caches.keys()")
    return names


def wait_until(page: Page, script: str, arg: Any = None) -> None:
    """Evaluate the async function ``script`` until it resolves to true (wait_for_function does
    not wait for a promise)."""
    for _ in range(ENGINE_TIMEOUT_MS // 100):
        if page.evaluate(script, arg):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"still false after {ENGINE_TIMEOUT_MS} ms: {script}")




def wait_for_offline_copy(page: Page, site: Path, with_runtime: bool | None = True) -> str:
    """Wait until the service worker is active and its cache holds every file of ``site``'s
    build: with the Python runtime, without it (no calculator has loaded it), or, with
    ``with_runtime=None``, every other file and whatever of the runtime it found in the browser's
    HTTP cache. Return the cache's name."""
    manifest = json.loads((site / MANIFEST).read_text())
    files = [f for f in manifest["files"] if with_runtime or not f.startswith(RUNTIME_FOLDERS)]
    base = page.evaluate('new URL("/", location).href')
    name = f"cmvig:{base}:{manifest['build']}"
    wait_until(page, """async ([name, wanted, exactly]) => {
      const registration = await navigator.serviceWorker.getRegistration();
      if (!registration?.active || !(await caches.has(name))) return false;
      const kept = new Set((await (await caches.open(name)).keys()).map((r) => r.url));
      return wanted.every((url) => kept.has(url)) && (!exactly || kept.size === wanted.length);
    }""", [name, [base + f for f in files], with_runtime is not None])
    return name


def registered(page: Page) -> bool:
    found: bool = page.evaluate(
        "navigator.serviceWorker.getRegistration().then((r) => r !== undefined)")
    return found


def go_offline(server: SiteServer, context: BrowserContext) -> None:
    server.stop()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(server.url, timeout=5)
    context.set_offline(True)


def shown_doses(page: Page, name: str) -> list[dict[str, Any]]:
    result = page.locator(f"form[data-calculator='{name}'] [data-result][data-state=done]")
    result.wait_for()
    return [{"date": row.locator("time").first.get_attribute("datetime"),
             "dose_mg": float(row.get_attribute("data-dose-mg") or "nan")}
            for row in result.locator("tr[data-dose-mg]").all()]


@on_both_builds
def test_calculator_works_offline_after_one_visit(browser: Browser,
                                                  own_server: SiteServer) -> None:
    session = open_session(browser, own_server.start().url)
    page = session.page
    page.goto("prophylaxis/")
    wait_for_offline_copy(page, own_server.site)
    go_offline(own_server, session.context)
    # The shared engine ends with its last tab: the next one must start from the copy too.
    page.goto("about:blank")
    for _ in range(100):
        if not calculator_shared_workers(browser, page):
            break
        page.wait_for_timeout(100)
    assert calculator_shared_workers(browser, page) == []

    # Another calculator page, never opened before: the page, its scripts, the worker, Pyodide
    # and the wheel all come from the browser's copy.
    page.goto("treatment/")
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    assert page.locator("h1").first.inner_text().startswith("Treatment")
    fill_form(page, "regimen", REGIMEN)
    expected = [{"date": d["date"], "dose_mg": float(d["dose_mg"])}
                for d in run("regimen", REGIMEN)["doses"]]
    assert shown_doses(page, "regimen") == expected
    assert len(expected) > 1
    assert page.get_attribute("html", "data-engine-worker") == "shared"
    assert len(calculator_shared_workers(browser, page)) == 1
    # A directory address without index.html and the home page come from the copy too.
    page.goto("./")
    assert page.locator("a[href$='prophylaxis/']").count() > 0
    assert session.console_errors == []
    assert session.outside == []
    session.context.close()


def test_a_new_build_replaces_the_offline_copy(browser: Browser, own_server: SiteServer,
                                               tmp_path: Path) -> None:
    session = open_session(browser, own_server.start().url)
    page = session.page
    runtime_requests: list[str] = []
    # Finished requests only: the service worker's look into the HTTP cache for a runtime file
    # ("only-if-cached") is a request too, but one that fails without touching the network.
    session.context.on("requestfinished", lambda r: "/assets/pyodide/" in r.url
                       and runtime_requests.append(r.url))
    page.goto("./")
    first = wait_for_offline_copy(page, own_server.site, with_runtime=False)
    assert cache_names(page) == [first]
    # A page without a calculator never downloads the Python runtime, not even for the copy.
    assert runtime_requests == []
    own_server.stop()

    # The next build, on the same address: one page changed, so the build hash changes.
    rebuilt = Path(shutil.copytree(own_server.site, tmp_path / "rebuilt"))
    home = rebuilt / "index.html"
    home.write_text(home.read_text().replace("</body>", "<!-- rebuilt-for-the-test --></body>"))
    write_offline(rebuilt)
    own_server.site = rebuilt
    own_server.start()

    page.reload()  # online, pages come from the network first: the new build shows at once
    assert "rebuilt-for-the-test" in page.content()
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    second = wait_for_offline_copy(page, rebuilt, with_runtime=False)
    assert second != first
    wait_until(page, "async (name) => (await caches.keys()).length === 1", second)
    assert cache_names(page) == [second]  # the old build's cache is deleted

    go_offline(own_server, session.context)
    page.goto("./")
    assert "rebuilt-for-the-test" in page.content()
    assert session.console_errors == []
    assert session.outside == []
    session.context.close()


def test_offline_copy_holds_only_the_build_and_answers_queries_without_them(
        browser: Browser, own_server: SiteServer) -> None:
    # A search result opens "page/?h=word"; a calculator link carries its inputs after '#', which
    # never reaches a server or a cache. Neither is ever stored; offline, the page is still there.
    session = open_session(browser, own_server.start().url)
    page = session.page
    page.goto("prophylaxis/")
    name = wait_for_offline_copy(page, own_server.site)
    assert re.fullmatch(r"cmvig:http://127\.0\.0\.1:\d+/:[0-9a-f]{16}", name)
    page.goto("prophylaxis/?h=dose")
    page.goto("prophylaxis/#calculate:prophylaxis?weight_kg=73.4")
    go_offline(own_server, session.context)
    page.goto("prophylaxis/?h=kidney")
    assert page.locator("form[data-calculator=prophylaxis]").count() == 1
    keys: list[str] = page.evaluate(
        "async (name) => (await (await caches.open(name)).keys()).map((r) => r.url)", name)
    files = json.loads((own_server.site / MANIFEST).read_text())["files"]
    assert sorted(keys) == sorted(own_server.url + f for f in files)
    assert session.console_errors == []
    session.context.close()


def test_a_file_the_server_refuses_costs_only_that_file(browser: Browser,
                                                        own_server: SiteServer) -> None:
    # IIS refuses web.config; one refused file made the whole install fail, left a partial cache
    # and the self-test advised copying the site again (issue 14, item 4). Now: web.config is not
    # listed, and a file the server does not give is the only one missing, named by the self-test.
    files = json.loads((own_server.site / MANIFEST).read_text())["files"]
    assert "web.config" not in files
    refused = "changelog/index.html"
    assert refused in files
    (own_server.site / refused).unlink()
    (own_server.site / "web.config").unlink()  # as IIS: never served
    session = open_session(browser, own_server.start().url)
    page = session.page
    page.goto("./")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    manifest = json.loads((own_server.site / MANIFEST).read_text())
    name = f"cmvig:{own_server.url}:{manifest['build']}"
    kept = [f for f in files if not f.startswith(RUNTIME_FOLDERS) and f != refused]
    wait_until(page, """async ([name, count]) => (await caches.has(name))
                        && (await (await caches.open(name)).keys()).length === count""",
               [name, len(kept)])
    assert page.evaluate("navigator.serviceWorker.getRegistration().then((r) => !!r?.active)")
    page.goto("self-test/")
    page.get_by_role("button", name="Run the checks").click()
    page.locator("[data-self-test][data-state=done]").wait_for()
    row = page.locator("[data-self-test-results] tbody tr", has_text="Offline copy")
    text = row.inner_text()
    assert row.get_attribute("data-status") == "warning"
    assert f"without 1 of {len(files)} files" in text and refused in text, text
    assert "Copy the whole built site" not in text
    session.context.close()


def test_a_calculator_page_makes_the_copy_only_once_its_engine_is_ready(
        browser: Browser, own_server: SiteServer) -> None:
    # The copy fetches and stores every file of the site. Made while Python started, it made the
    # cold start a third slower on two cores (README, Performance): the page waits for its engine.
    session = open_session(browser, own_server.start().url)
    page = session.page
    held = hold_runtime(page)
    page.goto("prophylaxis/")  # to its load event, when a page without calculators registers
    for _ in range(30):  # 3 s: registering took well under one before the engine was waited for
        assert not registered(page), "the service worker was registered before the engine"
        page.wait_for_timeout(100)
    assert held, "the page never asked for the WebAssembly runtime"
    held[0].fallback()
    page.locator("html[data-engine-start]").wait_for(state="attached")
    wait_for_offline_copy(page, own_server.site)  # the runtime included
    assert session.console_errors == []
    session.context.close()


def test_a_calculator_page_whose_engine_fails_still_makes_the_copy(
        browser: Browser, own_server: SiteServer) -> None:
    session = open_session(browser, own_server.start().url)
    page = session.page
    use_dedicated_worker(page)
    page.route("**/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body="missing"))
    page.goto("prophylaxis/")
    page.locator("form[data-calculator] [data-result][data-state=error]").first.wait_for()
    # Its pages are still kept for offline reading, as on a page without a calculator.
    wait_for_offline_copy(page, own_server.site, with_runtime=None)
    session.context.close()
