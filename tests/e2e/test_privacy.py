"""Privacy (issue 6, item 6): what a patient's numbers leave behind after every calculator is used.

One browser session fills every calculator on the site with distinctive patient values and
records, while it runs, every request (the page's, its workers' and the service worker's) and
every write to cookies, Web Storage, IndexedDB and Cache Storage the pages make (an init script
wraps the writing methods before any of the site's code runs). Afterwards it reads back what the
browser holds for the site. Nothing may leave the site's origin, no request may carry a patient
value, there may be no cookie, and no stored item may contain a patient value; the offline copy
in Cache Storage must be exactly the built site's files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from playwright.sync_api import Page, Playwright, Request

from calculators.registry import CALCULATORS
from tests.e2e.helpers import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    ENGINE_TIMEOUT_MS,
    Watch,
    assert_clean,
    example,
    examples_by_page,
    fill_form,
)

# Distinctive values, unlikely to occur anywhere by chance, as typed into the forms.
WEIGHT, CREATININE, DAY, HEIGHT, DOSE, COPIES, PREVIOUS = (
    "73.4", "1.37", "2026-03-17", "171.3", "7342", "48213", "3179")
PATIENT_VALUES = [WEIGHT, CREATININE, DAY, DAY.replace("-", ""), HEIGHT, DOSE, COPIES, PREVIOUS]

# Every calculator's example (declared with the calculator) with the patient values in place of
# its own: calculator -> the inputs changed. The ATG and criteria examples hold no patient value.
PATIENT_INPUTS: dict[str, dict[str, str]] = {
    "prophylaxis": {"weight_kg": WEIGHT, "transplant_date": DAY},
    "regimen": {"weight_kg": WEIGHT, "start_date": DAY},
    "infusion": {"weight_kg": WEIGHT, "dose_mg": DOSE},
    "units": {"amount": DOSE, "unit": "mg", "product": "cytogam"},
    "body-weight": {"weight_kg": WEIGHT, "height_cm": HEIGHT, "sex": "female"},
    "crcl": {"age": "67", "weight_kg": WEIGHT, "creatinine_mg_dl": CREATININE},
    "viral-load": {"copies": COPIES, "previous_copies": PREVIOUS},
}

# Runs in every page before the site's scripts: records each write, then lets it happen.
RECORD_WRITES = """
(() => {
  const writes = [];
  window.__cmvigWrites = writes;
  const text = (value) => {
    try { return typeof value === "string" ? value : JSON.stringify(value) ?? String(value); }
    catch { return String(value); }
  };
  const record = (kind, args) => writes.push([kind, ...Array.from(args, text)]);
  const wrap = (proto, name, kind) => {
    const original = proto[name];
    proto[name] = function (...args) {
      record(kind, args);
      return original.apply(this, args);
    };
  };
  wrap(Storage.prototype, "setItem", "Storage.setItem");
  wrap(IDBFactory.prototype, "open", "indexedDB.open");
  wrap(IDBObjectStore.prototype, "put", "IDBObjectStore.put");
  wrap(IDBObjectStore.prototype, "add", "IDBObjectStore.add");
  wrap(Cache.prototype, "put", "Cache.put");
  wrap(Cache.prototype, "add", "Cache.add");
  wrap(Cache.prototype, "addAll", "Cache.addAll");
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  Object.defineProperty(Document.prototype, "cookie", {
    configurable: true,
    get() { return cookie.get.call(this); },
    set(value) { record("document.cookie", [value]); cookie.set.call(this, value); },
  });
})();
"""

# Everything the browser holds for the site, read back after the session.
DUMP_STORAGE = """
async () => {
  const entries = (storage) => Object.entries({ ...storage });
  const databases = [];
  for (const { name, version } of await indexedDB.databases()) {
    const db = await new Promise((resolve, reject) => {
      const opening = indexedDB.open(name, version);
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
    const stores = {};
    for (const store of db.objectStoreNames) {
      stores[store] = await new Promise((resolve) => {
        const all = db.transaction(store).objectStore(store).getAll();
        all.onsuccess = () => resolve(JSON.stringify(all.result));
      });
    }
    db.close();
    databases.push({ name, stores });
  }
  const cached = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      const type = response.headers.get("content-type") ?? "";
      const isText = /^text\\/|json|javascript|xml|svg/.test(type);
      cached.push({
        cache: name, url: request.url, type,
        text: isText ? await response.text() : null,
        size: isText ? null : (await response.arrayBuffer()).byteLength,
      });
    }
  }
  return { local: entries(localStorage), session: entries(sessionStorage),
           cookie: document.cookie, databases, cached };
}
"""


def patient_values_in(text: str) -> list[str]:
    return [value for value in PATIENT_VALUES if value in text]


def site_file(built_site: Path, base_url: str, url: str) -> Path:
    path = url.removeprefix(base_url)
    return built_site / (path + "index.html" if path == "" or path.endswith("/") else path)


def session(site: Path) -> dict[str, list[tuple[str, dict[str, str]]]]:
    """Every calculator with patient values, grouped by the page its form lives on."""
    return examples_by_page(site, PATIENT_INPUTS)


def use_every_calculator(page: Page, site: Path) -> list[list[str]]:
    """Fill every calculator of the session in ``page``; the writes RECORD_WRITES saw, if it
    runs."""
    writes: list[list[str]] = []
    for path, forms in session(site).items():
        page.goto(path)
        for name, inputs in forms:
            fill_form(page, name, inputs)
            page.locator(f"form[data-calculator='{name}'] [data-result][data-state=done]") \
                .wait_for()
        writes += page.evaluate("window.__cmvigWrites ?? []")
    return writes


def net_log_requests(log: Path) -> list[dict[str, str]]:
    """Every request Chromium's network stack started (its ``initiator``, ``method`` and ``url``),
    from its net log."""
    text = log.read_text(encoding="utf-8").rstrip()
    if not text.endswith("}"):  # a log cut short ends inside its list of events
        text = text.rstrip(",") + "]}"
    data = json.loads(text)
    start = data["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [event["params"] for event in data["events"]
            if event["type"] == start and "url" in event.get("params", {})]


def test_no_process_of_the_browser_sends_anything_elsewhere(playwright: Playwright,
                                                            base_url: str, built_site: Path,
                                                            tmp_path: Path) -> None:
    # The calculators run in a SharedWorker, whose requests Playwright does not see (the test
    # above sees the page's). Chromium's own network log records every request of every process
    # of the browser: the pages', the shared worker's and the service worker's.
    log = tmp_path / "netlog.json"
    browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                         args=[*CHROMIUM_FLAGS, f"--log-net-log={log}"])
    try:
        context = browser.new_context(base_url=base_url)
        page = context.new_page()
        page.set_default_timeout(ENGINE_TIMEOUT_MS)
        use_every_calculator(page, built_site)
        assert page.get_attribute("html", "data-engine-worker") == "shared"
        context.close()
    finally:
        browser.close()
    requests = net_log_requests(log)
    origin = base_url.rstrip("/")
    by_site = [r for r in requests if r["initiator"] == origin]
    # The shared worker's own requests are in the log: the runtime, and its memory snapshot.
    assert any("/snapshot-" in r["url"] for r in by_site)
    assert any(r["url"].endswith("/pyodide.asm.wasm") and r["method"] == "HEAD" for r in by_site)
    # Whatever the site's pages and workers ask for is on the site, and only read.
    assert [r["url"] for r in by_site if not r["url"].startswith(base_url)] == []
    assert {r["method"] for r in by_site} <= {"GET", "HEAD"}
    # No request of any part of the browser (Chromium's own services included) names a value.
    assert [r["url"] for r in requests if patient_values_in(unquote(r["url"]))] == []


def test_no_patient_value_leaves_the_page_or_stays_behind(page: Page, watch: Watch,
                                                          base_url: str,
                                                          built_site: Path) -> None:
    assert set(PATIENT_INPUTS) <= set(CALCULATORS)
    assert {name for forms in session(built_site).values() for name, _ in forms} == set(
        CALCULATORS)
    requests: list[Request] = []
    page.context.on("request", lambda request: requests.append(request))
    page.context.add_init_script(RECORD_WRITES)
    writes = use_every_calculator(page, built_site)
    # The offline copy is complete (a fresh profile's first visit installs it).
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    held: dict[str, Any] = page.evaluate(DUMP_STORAGE)
    writes += page.evaluate("window.__cmvigWrites")

    # Requests: all to the site, all plain GETs, none carrying a patient value.
    assert requests, "the session was recorded"
    outside = [r.url for r in requests if not r.url.startswith(base_url)]
    assert outside == []
    # GETs, and the worker's HEAD that checks the .wasm file's type: neither carries a body.
    assert {r.method for r in requests} <= {"GET", "HEAD"}
    heads = [r.url for r in requests if r.method == "HEAD"]
    assert all(url.endswith("/pyodide.asm.wasm") for url in heads), heads
    for request in requests:
        sent = unquote(request.url) + (request.post_data_buffer or b"").decode("latin-1")
        assert patient_values_in(sent) == [], request.url
    # The service worker's own fetches were seen too: the offline copy is part of the session.
    assert [r for r in requests if r.service_worker is not None]

    # Cookies: none, set by no one.
    assert page.context.cookies() == []
    assert held["cookie"] == ""
    # Writes the pages made while the calculators ran: none with a patient value.
    assert not [w for w in writes if w[0] == "document.cookie"]
    assert [w for w in writes if patient_values_in(json.dumps(w))] == []
    # What stays in the browser: Web Storage and IndexedDB without a patient value...
    for key, value in held["local"] + held["session"]:
        assert patient_values_in(key + value) == [], key
    assert patient_values_in(json.dumps(held["databases"])) == []
    # ...and Cache Storage holding the built site's own files and nothing else.
    assert held["cached"], "the offline copy was installed"
    for entry in held["cached"]:
        assert entry["url"].startswith(base_url) and "?" not in entry["url"], entry["url"]
        assert patient_values_in(entry["url"]) == []
        on_disk = site_file(built_site, base_url, entry["url"])
        if entry["text"] is not None:
            assert entry["text"] == on_disk.read_text(encoding="utf-8"), entry["url"]
        else:
            assert entry["size"] == on_disk.stat().st_size, entry["url"]
    cached_urls = {urlsplit(e["url"]).path for e in held["cached"]}
    assert "/prophylaxis/index.html" in cached_urls
    assert_clean(watch)


def test_a_link_is_never_written_into_the_browsers_history(playwright: Playwright,
                                                          base_url: str,
                                                          tmp_path: Path) -> None:
    # Issue 14, item 5: "Link to this calculation" wrote the inputs into the address bar
    # (history.replaceState), so a persistent profile's History, Sessions and Favicons files held
    # them. Now the link is only shown and copied (test_what_leaves_the_screen.py checks that an
    # opened link leaves the address bar once read).
    profile = tmp_path / "profile"
    context = playwright.chromium.launch_persistent_context(
        profile, executable_path=CHROMIUM, args=CHROMIUM_FLAGS, base_url=base_url)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.pages[0] if context.pages else context.new_page()
    page.set_default_timeout(ENGINE_TIMEOUT_MS)
    page.goto("prophylaxis/")
    fill_form(page, "prophylaxis", {**example("prophylaxis"), **PATIENT_INPUTS["prophylaxis"]})
    form = page.locator("form[data-calculator=prophylaxis]")
    form.locator("[data-result][data-state=done]").wait_for()
    entries = page.evaluate("history.length")
    form.get_by_role("button", name="Link to this calculation").click()
    link = form.locator(".cmvig-link").input_value()
    assert f"weight_kg={WEIGHT}" in link
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert patient_values_in(unquote(page.url)) == []
    assert page.evaluate("history.length") == entries
    page.goto("about/")  # the page with the result is left behind in the session's history
    context.close()
    files = [path for path in profile.rglob("*") if path.is_file()]
    assert any(path.name == "History" for path in files)
    holding = [path.relative_to(profile).as_posix() for path in files
               if b"calculate:prophylaxis" in path.read_bytes()
               or f"weight_kg={WEIGHT}".encode() in path.read_bytes()]
    assert holding == []
