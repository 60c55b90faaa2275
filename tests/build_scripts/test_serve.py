"""The preview server, over real HTTP on a free port: types, security headers, cache classes,
gzip, revalidation, HEAD, the sub-path and 404s."""

from __future__ import annotations

import gzip
import http.client
import os
import random
import re
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from build_scripts.hosting.rules import (
    CACHE_FOREVER,
    CACHE_REVALIDATE,
    PRECOMPRESS_MIN_BYTES,
    cache_control,
)
from build_scripts.hosting.security import CONTENT_SECURITY_POLICY, FRAME_OPTIONS
from build_scripts.hosting.serve import MAX_PATH, ServeOptions, make_server
from tests.conftest import ROOT

WASM = bytes(range(256)) * 64  # compressible, like the real runtime
FILES = {
    "index.html": b"<!doctype html><title>home</title>" + b"<p>guide</p>" * 200,
    "404.html": b"<!doctype html><title>not found</title>",
    "prophylaxis/index.html": b"<!doctype html><title>prophylaxis</title>",
    "sitemap.xml": b"<urlset></urlset>",
    "javascripts/calculators.js": b"export const x = 1;\n" * 100,
    "assets/runtime.mjs": b'export const PYODIDE_DIR = "pyodide/314.0.7/";\n',
    "assets/calculator-settings.json": b'{"rounding": "none"}',
    "assets/pyodide/314.0.7/pyodide.asm.wasm": WASM,
    "assets/pyodide/314.0.7/pyodide.mjs": b"export function loadPyodide() {}\n" * 50,
    "assets/pyodide/314.0.7/python_stdlib.zip": b"PK\x03\x04" + bytes(range(256)) * 8,
    "assets/wheels/0123456789ab/calculators-0.1.0-py3-none-any.whl": b"PK\x03\x04wheel",
    "assets/wheels/0123456789ab/pyodide-lock.json": b'{"packages": {}}',
    "assets/javascripts/bundle.a5f9d56c.min.js": b"var bundle;" * 100,
    "assets/javascripts/workers/search.a7633da7.min.js": b"var search;",
    "assets/javascripts/lunr/min/lunr.de.min.js": b"var lunr;",
    "assets/stylesheets/main.57a0d79d.min.css": b"body{}" * 100,
}


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


Get = Callable[..., Reply]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    for name, data in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    (tmp_path / "secret.txt").write_text("outside the site")
    return root


def _serve(site: Path, options: ServeOptions) -> Iterator[Get]:
    server = make_server(site, 0, options, quiet=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    port = server.server_address[1]

    def get(path: str, method: str = "GET", **headers: str) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request(method, path, headers=headers)
            response = connection.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            connection.close()

    yield get
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def get(site: Path) -> Iterator[Get]:
    yield from _serve(site, ServeOptions())


@pytest.mark.parametrize(("path", "media_type"), [
    ("/", "text/html; charset=utf-8"),
    ("/assets/pyodide/314.0.7/pyodide.asm.wasm", "application/wasm"),
    ("/assets/pyodide/314.0.7/pyodide.mjs", "text/javascript; charset=utf-8"),
    ("/javascripts/calculators.js", "text/javascript; charset=utf-8"),
    ("/assets/calculator-settings.json", "application/json; charset=utf-8"),
    ("/assets/wheels/0123456789ab/calculators-0.1.0-py3-none-any.whl", "application/zip"),
    ("/assets/pyodide/314.0.7/python_stdlib.zip", "application/zip"),
    ("/assets/stylesheets/main.57a0d79d.min.css", "text/css; charset=utf-8"),
    ("/sitemap.xml", "application/xml; charset=utf-8"),
])
def test_media_types(get: Get, path: str, media_type: str) -> None:
    reply = get(path)
    assert reply.status == 200
    assert reply.header("Content-Type") == media_type


@pytest.mark.parametrize("path", ["/", "/prophylaxis/", "/nowhere", "/prophylaxis",
                                  "/assets/pyodide/314.0.7/pyodide.asm.wasm"])
def test_security_headers_on_every_response(get: Get, path: str) -> None:
    reply = get(path)
    assert reply.status in {200, 301, 404}
    assert reply.header("Content-Security-Policy") == CONTENT_SECURITY_POLICY
    assert reply.header("X-Content-Type-Options") == "nosniff"
    assert reply.header("Referrer-Policy") == "no-referrer"
    assert reply.header("X-Frame-Options") == FRAME_OPTIONS == "SAMEORIGIN"


def test_policy_allows_webassembly_and_nothing_from_elsewhere() -> None:
    directives = dict(d.strip().split(" ", 1) for d in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["default-src"] == "'self'"
    assert "'wasm-unsafe-eval'" in directives["script-src"].split()
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert "'unsafe-eval'" not in CONTENT_SECURITY_POLICY
    assert "http" not in CONTENT_SECURITY_POLICY and "*" not in CONTENT_SECURITY_POLICY
    # No other site may frame a page; no <base> or form may point elsewhere (issue 14).
    for directive in ("frame-ancestors", "base-uri", "form-action"):
        assert directives[directive] == "'self'", directive


def test_no_csp_leaves_out_only_the_policy(site: Path) -> None:
    for get in _serve(site, ServeOptions(csp=False)):
        reply = get("/")
        assert reply.header("Content-Security-Policy") is None
        assert reply.header("X-Content-Type-Options") == "nosniff"
        assert reply.header("X-Frame-Options") == "SAMEORIGIN"


@pytest.mark.parametrize(("path", "expected"), [
    ("/assets/pyodide/314.0.7/pyodide.asm.wasm", CACHE_FOREVER),
    ("/assets/pyodide/314.0.7/pyodide.mjs", CACHE_FOREVER),
    ("/assets/wheels/0123456789ab/calculators-0.1.0-py3-none-any.whl", CACHE_FOREVER),
    ("/assets/wheels/0123456789ab/pyodide-lock.json", CACHE_FOREVER),
    ("/assets/javascripts/bundle.a5f9d56c.min.js", CACHE_FOREVER),
    ("/assets/javascripts/workers/search.a7633da7.min.js", CACHE_FOREVER),
    ("/assets/stylesheets/main.57a0d79d.min.css", CACHE_FOREVER),
    ("/", CACHE_REVALIDATE),
    ("/prophylaxis/", CACHE_REVALIDATE),
    ("/javascripts/calculators.js", CACHE_REVALIDATE),
    ("/assets/runtime.mjs", CACHE_REVALIDATE),
    ("/assets/calculator-settings.json", CACHE_REVALIDATE),
    ("/assets/javascripts/lunr/min/lunr.de.min.js", CACHE_REVALIDATE),
    ("/sitemap.xml", CACHE_REVALIDATE),
])
def test_cache_lifetimes(get: Get, path: str, expected: str) -> None:
    assert get(path).header("Cache-Control") == expected


def test_cache_classes_by_path() -> None:
    assert CACHE_FOREVER == "public, max-age=31536000, immutable"
    assert CACHE_REVALIDATE == "no-cache"
    assert cache_control("assets/wheels/0123456789ab/x.whl") == CACHE_FOREVER
    # Only a 12-digit hash folder is versioned; an unversioned wheel folder is not.
    assert cache_control("assets/wheels/x.whl") == CACHE_REVALIDATE
    assert cache_control("assets/pyodide/pyodide.asm.wasm") == CACHE_REVALIDATE
    assert cache_control("assets/stylesheets/main.57a0d79d.min.css.map") == CACHE_FOREVER
    assert cache_control("stylesheets/cmvig.css") == CACHE_REVALIDATE


@pytest.mark.parametrize("path", ["/", "/javascripts/calculators.js",
                                  "/assets/pyodide/314.0.7/pyodide.asm.wasm"])
def test_gzip_round_trip(get: Get, site: Path, path: str) -> None:
    plain = get(path)
    assert plain.header("Content-Encoding") is None
    assert plain.body == (site / path.lstrip("/")).joinpath(
        "index.html" if path.endswith("/") else "").read_bytes()
    packed = get(path, **{"Accept-Encoding": "br, gzip;q=0.8"})
    assert packed.header("Content-Encoding") == "gzip"
    assert packed.header("Vary") == "Accept-Encoding"
    assert int(packed.header("Content-Length") or -1) == len(packed.body) < len(plain.body)
    assert gzip.decompress(packed.body) == plain.body
    # The two representations have different validators.
    assert packed.header("ETag") != plain.header("ETag")


def test_no_gzip_when_refused_or_not_worth_it(get: Get) -> None:
    assert get("/", **{"Accept-Encoding": "gzip;q=0"}).header("Content-Encoding") is None
    # Already compressed archives are sent as they are.
    for path in ("/assets/pyodide/314.0.7/python_stdlib.zip",
                 "/assets/wheels/0123456789ab/calculators-0.1.0-py3-none-any.whl"):
        reply = get(path, **{"Accept-Encoding": "gzip"})
        assert reply.header("Content-Encoding") is None
        assert int(reply.header("Content-Length") or -1) == len(reply.body)


def test_a_changed_file_is_recompressed(get: Get, site: Path) -> None:
    script = site / "javascripts" / "calculators.js"
    first = get("/javascripts/calculators.js", **{"Accept-Encoding": "gzip"})
    script.write_bytes(b"export const y = 2;\n" * 100)
    os.utime(script, ns=(script.stat().st_atime_ns, script.stat().st_mtime_ns + 10**9))
    second = get("/javascripts/calculators.js", **{"Accept-Encoding": "gzip"})
    assert gzip.decompress(second.body) == script.read_bytes()
    assert second.header("ETag") != first.header("ETag")


def test_the_builds_gzipped_copy_is_sent_as_it_is(get: Get, site: Path) -> None:
    # A file large enough for a copy (rules.precompressed), and a copy made at another level
    # than the server's own: the reply is the copy's bytes, not a compression of the file.
    snapshot = site / "assets" / "wheels" / "0123456789ab" / "snapshot-0123456789ab.bin"
    snapshot.write_bytes(bytes(range(256)) * (PRECOMPRESS_MIN_BYTES // 256 + 1))
    copy = snapshot.with_name(snapshot.name + ".gz")
    copy.write_bytes(gzip.compress(snapshot.read_bytes(), 1, mtime=0))
    path = "/assets/wheels/0123456789ab/" + snapshot.name
    packed = get(path, **{"Accept-Encoding": "gzip"})
    assert packed.header("Content-Encoding") == "gzip"
    assert packed.header("Content-Type") == "application/octet-stream"
    assert packed.body == copy.read_bytes()
    assert get(path).body == snapshot.read_bytes()  # to a client that takes no gzip, the file


def test_a_copy_older_than_its_file_is_not_sent(get: Get, site: Path) -> None:
    snapshot = site / "assets" / "wheels" / "0123456789ab" / "snapshot-0123456789ab.bin"
    copy = snapshot.with_name(snapshot.name + ".gz")
    copy.write_bytes(gzip.compress(b"an earlier build" * PRECOMPRESS_MIN_BYTES, 1, mtime=0))
    snapshot.write_bytes(bytes(range(256)) * (PRECOMPRESS_MIN_BYTES // 256 + 1))
    os.utime(snapshot, ns=(copy.stat().st_atime_ns, copy.stat().st_mtime_ns + 10**9))
    packed = get("/assets/wheels/0123456789ab/" + snapshot.name, **{"Accept-Encoding": "gzip"})
    assert gzip.decompress(packed.body) == snapshot.read_bytes()


def test_revalidation_answers_304(get: Get) -> None:
    first = get("/prophylaxis/")
    etag, last_modified = first.header("ETag"), first.header("Last-Modified")
    assert etag and last_modified
    for headers in ({"If-None-Match": etag}, {"If-None-Match": f'"other", W/{etag}'},
                    {"If-Modified-Since": last_modified}):
        reply = get("/prophylaxis/", **headers)
        assert reply.status == 304, headers
        assert reply.body == b""
        assert reply.header("ETag") == etag
        assert reply.header("Cache-Control") == CACHE_REVALIDATE
        assert reply.header("Content-Security-Policy") == CONTENT_SECURITY_POLICY
    # If-None-Match wins over If-Modified-Since (RFC 9110).
    stale = get("/prophylaxis/", **{"If-None-Match": '"other"', "If-Modified-Since": last_modified})
    assert stale.status == 200
    epoch = "Thu, 01 Jan 1970 00:00:00 GMT"
    assert get("/prophylaxis/", **{"If-Modified-Since": epoch}).status == 200
    assert get("/prophylaxis/", **{"If-Modified-Since": "yesterday"}).status == 200


def test_head_sends_the_headers_of_get_without_a_body(get: Get) -> None:
    for encoding in ("identity", "gzip"):
        full = get("/assets/pyodide/314.0.7/pyodide.asm.wasm", **{"Accept-Encoding": encoding})
        head = get("/assets/pyodide/314.0.7/pyodide.asm.wasm", "HEAD",
                   **{"Accept-Encoding": encoding})
        assert head.status == 200
        assert head.body == b""
        for name in ("Content-Type", "Content-Length", "Content-Encoding", "ETag",
                     "Cache-Control", "Content-Security-Policy"):
            assert head.header(name) == full.header(name), (encoding, name)
    assert get("/nowhere", "HEAD").status == 404


def test_missing_files_get_the_sites_404_page(get: Get) -> None:
    reply = get("/nowhere/at/all.html")
    assert reply.status == 404
    assert reply.body == FILES["404.html"]
    assert reply.header("Cache-Control") == CACHE_REVALIDATE
    assert int(reply.header("Content-Length") or -1) == len(reply.body)


def test_nothing_outside_the_site_or_hidden_is_served(get: Get, site: Path) -> None:
    (site / ".generated").write_text("secret")
    (site / "web.config").write_text("secret")
    (site / ".git").mkdir()
    (site / ".git" / "config").write_text("secret")
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/assets/../../secret.txt",
                 "/.generated", "/web.config", "/Web.Config", "/.git/config",
                 "/assets/../.git/config"):
        reply = get(path)
        assert reply.status == 404, path
        assert b"outside the site" not in reply.body and b"secret" not in reply.body


def test_directories_without_a_slash_are_redirected(get: Get) -> None:
    reply = get("/prophylaxis")
    assert reply.status == 301
    assert reply.header("Location") == "/prophylaxis/"


@pytest.mark.parametrize("base_path", ["/", "/guides/cmvig/"])
def test_no_redirect_leaves_the_site(site: Path, base_path: str) -> None:
    # Was: GET /%2Fevil.example%2F..%2Fabout -> 301 Location: //evil.example/../about/ (issue 14).
    (site / "about").mkdir()
    (site / "about" / "index.html").write_text("about")
    for get in _serve(site, ServeOptions(base_path=base_path)):
        for path in ("%2Fevil.example%2F..%2Fabout", "/evil.example/../about",
                     "%2F%2Fevil/..%2Fabout", "%5C%5Cevil.example%2F..%2Fabout", "about"):
            reply = get(base_path + path)
            assert reply.status == 301, path
            assert reply.header("Location") == f"{base_path}about/", path


def test_over_long_paths_answer_414_or_404(get: Get) -> None:
    # Was: a segment over 255 characters raised OSError (empty reply, traceback).
    assert get("/" + "a" * 300).status == 404
    assert get("/" + "a" * 300 + "/index.html").status == 404
    assert get("/" + "%C3%A9" * 200).status == 404
    assert get("/" + "a/" * MAX_PATH).status == 414


def test_fuzzed_paths_get_no_traceback_and_nothing_from_outside(
        site: Path, capfd: pytest.CaptureFixture[str]) -> None:
    # A few thousand random and hostile paths, loopback only: every answer is a site file, its 404
    # page, a redirect inside the site or 414; nothing from outside, no handler exception.
    (site / ".env").write_text("secret")
    pieces = ["..", ".", "%2e%2e", "%2E", "%2f", "%2F", "%5c", "\\", "%00", "%ff", "%", "//", "/",
              "evil.example", "about", "prophylaxis", "assets", "secret.txt", ".env", "web.config",
              "%c0%af", "%C3%A9", "?", "#", ";", "~", "a" * 300, "%252e", "index.html", "%09"]
    rng = random.Random(14)
    for base_path in ("/", "/guides/cmvig/"):
        for get in _serve(site, ServeOptions(base_path=base_path)):
            for _ in range(1500):
                path = base_path + "".join(rng.choice(pieces) + rng.choice(["", "/"])
                                           for _ in range(rng.randint(1, 8)))
                path = path.replace(" ", "%20")
                reply = get(path)
                assert reply.status in {200, 301, 404, 414}, path
                location = reply.header("Location")
                assert location is None or (location.startswith(base_path)
                                            and not location.startswith("//")), (path, location)
                assert b"outside the site" not in reply.body and b"secret" not in reply.body, path
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err + captured.out


def test_sub_path(site: Path) -> None:
    for get in _serve(site, ServeOptions(base_path="/guides/cmvig/")):
        assert get("/guides/cmvig/").body == FILES["index.html"]
        assert get("/guides/cmvig/prophylaxis/").body == FILES["prophylaxis/index.html"]
        wasm = get("/guides/cmvig/assets/pyodide/314.0.7/pyodide.asm.wasm")
        assert (wasm.header("Content-Type"), wasm.header("Cache-Control")) == (
            "application/wasm", CACHE_FOREVER)
        for outside in ("/", "/prophylaxis/", "/guides/", "/guides/cmvigx/"):
            assert get(outside).status == 404, outside
        assert get("/guides/cmvig").header("Location") == "/guides/cmvig/"
        assert get("/guides/cmvig/prophylaxis").header("Location") == "/guides/cmvig/prophylaxis/"


def test_wrong_wasm_type_imitates_a_misconfigured_server(site: Path) -> None:
    for get in _serve(site, ServeOptions(wrong_wasm_type=True)):
        reply = get("/assets/pyodide/314.0.7/pyodide.asm.wasm")
        assert reply.header("Content-Type") == "application/octet-stream"
        assert reply.body == WASM


def test_base_path_must_be_a_folder() -> None:
    with pytest.raises(ValueError, match="base_path must start and end with '/'"):
        ServeOptions(base_path="/guides/cmvig")


def test_command_line(site: Path) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "build_scripts.hosting.serve", "--site-dir", str(site),
         "--port", "0", "--base-path", "/guides/cmvig/", "--no-csp", "--quiet"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:(\d+)/guides/cmvig/", line)
        assert url, line
        connection = http.client.HTTPConnection("127.0.0.1", int(url.group(1)), timeout=10)
        connection.request("GET", "/guides/cmvig/")
        response = connection.getresponse()
        assert response.status == 200
        assert response.headers.get("Content-Security-Policy") is None
        connection.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        if server.stdout:
            server.stdout.close()


def test_command_line_refuses_a_bad_base_path(site: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "build_scripts.hosting.serve", "--site-dir", str(site),
         "--base-path", "guides"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 2
    assert "--base-path: base_path must start and end with '/', got 'guides'" in done.stderr


def test_command_line_refuses_an_unbuilt_site(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "build_scripts.hosting.serve", "--site-dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 1
    assert "has no index.html" in done.stderr


def test_a_reader_who_leaves_mid_download_is_no_error(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    # A closed tab during the 31 MB snapshot: the server once printed a traceback for it.
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_bytes(FILES["index.html"])
    (root / "big.bin").write_bytes(random.Random(1).randbytes(8 * 1024 * 1024))
    server = make_server(root, 0, ServeOptions(), quiet=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    with socket.create_connection(("127.0.0.1", server.server_address[1])) as reader:
        reader.sendall(b"GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert reader.recv(4096).startswith(b"HTTP/1.1 200")
        # Leave: reset the connection instead of closing it politely.
        reader.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    for _ in range(200):  # until the request's thread has finished
        if not [t for t in threading.enumerate() if "process_request" in t.name]:
            break
        time.sleep(0.05)
    server.shutdown()
    server.server_close()
    thread.join()
    assert capsys.readouterr().err == ""
