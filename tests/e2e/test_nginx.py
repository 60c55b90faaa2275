"""The README's nginx deployment, for real: Debian's nginx serves the site at /guides/cmvig/ with
build_scripts/hosting/deploy/nginx.conf, and a calculator works in Chromium with the CSP on.

The site is built for that address as the README says (``--site-url``), nginx.conf gets the site
folder as the README tells the administrator (the one path replaced), and nginx runs in the
foreground on a free port with everything it writes inside a temporary folder.
"""

from __future__ import annotations

import gzip
import http.client
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Response

from build_scripts.hosting.rules import (
    CACHE_FOREVER,
    CACHE_REVALIDATE,
    DEPLOY_DIR,
    GZIP_LEVEL,
    precompressed,
)
from build_scripts.hosting.security import CONTENT_SECURITY_POLICY
from tests.conftest import ROOT
from tests.e2e.helpers import (
    ENGINE_TIMEOUT_MS,
    NO_SHARED_WORKER,
    example,
    fill_form,
    free_port,
    record_errors,
)

# Minutes long: scheduled first, so it does not finish last (tests/conftest.py).
pytestmark = pytest.mark.long

SUB_PATH = "/guides/cmvig/"
# The folder nginx.conf names, which the README tells the administrator to replace if the site
# was copied elsewhere.
README_SITE_FOLDER = "/srv/cmvig-guide/site/"


def _nginx() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                       else None)
    if found is None:
        pytest.fail("nginx is missing: ./dev test installs Debian's nginx-light (or nginx)")
    return found


def _main_config(prefix: Path, port: int, snippet: Path) -> str:
    """A whole nginx configuration whose server includes the deployment snippet, with every file
    nginx writes inside ``prefix``."""
    # nginx's workers drop to an unprivileged user, who could not read pytest's private temporary
    # folders; as root, keep them as root (nginx ignores `user` otherwise).
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
    temp = prefix / "temp"
    return (
        f"{user}worker_processes 1;\n"
        f"pid {prefix}/nginx.pid;\n"
        f"error_log {prefix}/error.log;\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        f"    access_log {prefix}/access.log;\n"
        + "".join(f"    {kind}_temp_path {temp}/{kind};\n"
                  for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        + "    server {\n"
        f"        listen 127.0.0.1:{port};\n"
        f"        include {snippet};\n"
        "    }\n"
        "}\n"
    )


@pytest.fixture(scope="module")
def nginx_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    nginx = _nginx()
    port = free_port()
    prefix = tmp_path_factory.mktemp("nginx")
    site = prefix / "site"
    # README: ./dev build --site-url https://YOUR-HOST/guides/cmvig/
    subprocess.run(
        [sys.executable, "-m", "build_scripts", "--site-dir", str(site),
         "--site-url", f"http://127.0.0.1:{port}{SUB_PATH}"],
        cwd=ROOT, check=True, capture_output=True,
    )
    deployment = (DEPLOY_DIR / "nginx.conf").read_text()
    assert f"alias {README_SITE_FOLDER};" in deployment
    # Files that must never be served, planted as a careless copy or an intruder would.
    (site / ".env").write_text("SECRET=planted")
    (site / ".git").mkdir()
    (site / ".git" / "config").write_text("[planted]")
    snippet = prefix / "cmvig-guide.conf"
    snippet.write_text(deployment.replace(README_SITE_FOLDER, f"{site}/"))
    (prefix / "temp").mkdir()
    config = prefix / "nginx.conf"
    config.write_text(_main_config(prefix, port, snippet))
    command = [nginx, "-p", str(prefix), "-c", str(config), "-e", str(prefix / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    server = subprocess.Popen([*command, "-g", "daemon off;"], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, f"nginx stopped: {server.communicate()[1]}"
                assert time.monotonic() < deadline, "nginx did not start listening"
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}{SUB_PATH}"
    finally:
        server.terminate()
        server.wait(timeout=20)
        if server.stderr:
            server.stderr.close()


@dataclass
class Visit:
    """What Chromium saw while computing a prophylaxis schedule from the nginx server."""

    state: str
    dose_rows: int
    responses: dict[str, Response] = field(default_factory=dict)
    console_errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def response(self, path_end: str) -> Response:
        (url,) = [url for url in self.responses if url.endswith(path_end)]
        return self.responses[url]


@pytest.fixture(scope="module")
def visit(browser: Browser, nginx_url: str) -> Iterator[Visit]:
    origin = nginx_url.removesuffix(SUB_PATH)
    context = browser.new_context()
    # The runtime's responses are the worker's: Playwright sees them from the dedicated worker
    # only (tests/e2e/helpers.py), which fetches the same files as the shared one.
    context.add_init_script(NO_SHARED_WORKER)
    responses: dict[str, Response] = {}
    console_errors: list[str] = []
    outside: list[str] = []

    def guard(route, request) -> None:  # type: ignore[no-untyped-def]
        if request.url.startswith(nginx_url) or request.url.startswith(("data:", "blob:")):
            route.fallback()
        else:
            outside.append(request.url)
            route.abort()

    context.route("**/*", guard)
    context.on("response", lambda r: responses.__setitem__(r.url, r))
    page = context.new_page()
    page.set_default_timeout(ENGINE_TIMEOUT_MS)
    record_errors(page, console_errors)
    page.goto(f"{nginx_url}prophylaxis/")
    fill_form(page, "prophylaxis", example("prophylaxis"))
    result = page.locator("[data-result]")
    page.wait_for_selector("[data-result][data-state=done], [data-result][data-state=error]")
    yield Visit(str(result.get_attribute("data-state")), page.locator("tr[data-dose-mg]").count(),
                responses, console_errors, [u for u in outside if not u.startswith(origin)])
    context.close()


def test_calculator_works_behind_nginx(visit: Visit) -> None:
    assert visit.state == "done"
    assert visit.dose_rows > 0
    assert visit.outside == []


def test_pages_carry_the_policy_and_revalidate(visit: Visit) -> None:
    page = visit.response("/guides/cmvig/prophylaxis/")
    headers = page.all_headers()
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert headers["cache-control"] == CACHE_REVALIDATE
    assert visit.response("/assets/runtime.mjs").all_headers()["cache-control"] == CACHE_REVALIDATE


def test_webassembly_comes_typed_compressed_and_cacheable(visit: Visit) -> None:
    wasm = visit.response("/pyodide.asm.wasm").all_headers()
    assert wasm["content-type"] == "application/wasm"
    assert wasm["content-encoding"] == "gzip"
    assert wasm["cache-control"] == CACHE_FOREVER
    assert wasm["content-security-policy"] == CONTENT_SECURITY_POLICY
    module = visit.response("/pyodide.mjs").all_headers()
    assert module["content-type"].split(";")[0] == "text/javascript"
    # The page starts from the memory snapshot (it fetches no wheel then): versioned, gzipped.
    snapshot = visit.response(".bin").all_headers()
    assert (snapshot["content-type"], snapshot["cache-control"]) == (
        "application/octet-stream", CACHE_FOREVER)
    assert snapshot["content-encoding"] == "gzip"


def test_the_largest_files_are_sent_from_the_builds_gzipped_copies(visit: Visit,
                                                                    nginx_url: str) -> None:
    # gzip_static: the snapshot and the WebAssembly come as the build compressed them
    # (precompress.py), byte for byte, not compressed again by nginx (at its level 5) per visitor.
    host, port = nginx_url.removeprefix("http://").split("/")[0].split(":")
    for url in (visit.response(".bin").url, visit.response("/pyodide.asm.wasm").url):
        path = url.removeprefix(f"http://{host}:{port}")
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            connection.request("GET", path)
            plain = connection.getresponse().read()
            assert precompressed(path, len(plain)), path
            connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
            packed = connection.getresponse()
            assert packed.headers["Content-Encoding"] == "gzip"
            assert packed.read() == gzip.compress(plain, GZIP_LEVEL, mtime=0), path
        finally:
            connection.close()


def test_no_console_errors_with_the_policy_on(visit: Visit) -> None:
    # CSP violations show here (mkdocs-material's inline scripts, say) even when the calculator
    # itself still works.
    assert visit.console_errors == []


def test_missing_page_and_revalidation(nginx_url: str) -> None:
    host, port = nginx_url.split("/")[2].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", f"{SUB_PATH}no-such-page/", headers={"Accept-Encoding": "gzip"})
        missing = connection.getresponse()
        body = missing.read()
        assert missing.status == 404
        assert b"Page not found" in gzip.decompress(body)  # the site's own 404 page
        assert missing.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        connection.request("GET", SUB_PATH)
        first = connection.getresponse()
        first.read()
        connection.request("GET", SUB_PATH, headers={"If-None-Match": first.headers["ETag"]})
        again = connection.getresponse()
        again.read()
        assert again.status == 304
        connection.request("GET", "/guides/cmvig")
        bare = connection.getresponse()
        bare.read()
        assert (bare.status, bare.headers["Location"]) == (301, f"{nginx_url}")
    finally:
        connection.close()


@pytest.mark.parametrize("path", [".env", ".git/config", "web.config", "Web.Config",
                                  "assets/../.env", "%2eenv", "assets/.git/config"])
def test_hidden_files_and_web_config_are_not_served(nginx_url: str, path: str) -> None:
    # Issue 14, item 9: .env and .git/config planted in the site folder came back 200.
    host, port = nginx_url.removeprefix("http://").split("/")[0].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", SUB_PATH + path)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    assert response.status == 404, path
    assert b"planted" not in body and b"<configuration>" not in body
    assert response.getheader("Content-Security-Policy") == CONTENT_SECURITY_POLICY
