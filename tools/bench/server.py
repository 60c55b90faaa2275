"""The benchmark's web server: the built site as ``build_scripts.hosting.serve`` serves it,
plus the floor.

The floor page (``floor/``) is served under ``/__floor__/`` and never copied into the site. For
measuring levers one at a time without touching the site's files, the server can also replace a
file by another (``overlays``), add tags to every page's ``<head>`` (``head_tags``), compress
responses with gzip, and mark the Pyodide runtime as cacheable forever. With none of these set it
serves exactly what :class:`build_scripts.hosting.serve.SiteHandler` serves.
"""

from __future__ import annotations

import functools
import gzip
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from build_scripts.hosting.serve import QuietSiteHandler, SiteHTTPServer

__all__ = ["FLOOR_DIR", "FLOOR_PREFIX", "Levers", "lock_file", "pyodide_dir", "serve",
           "site_port"]

FLOOR_DIR = Path(__file__).resolve().parent / "floor"
FLOOR_PREFIX = "/__floor__/"
COMPRESSIBLE = (".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".xml", ".txt")


def _runtime_export(site: Path, name: str) -> str:
    """The text constant ``name`` that the build's ``assets/runtime.mjs`` exports (a path
    relative to ``assets/``); ValueError naming the file if it does not."""
    runtime = site / "assets" / "runtime.mjs"
    found = re.search(rf"{name}\s*=\s*[\"']([^\"']+)[\"']", runtime.read_text()) \
        if runtime.is_file() else None
    if not found:
        raise ValueError(f"{runtime} does not export {name}")
    return found.group(1)


def pyodide_dir(site: Path) -> str:
    """The site's Pyodide folder as a URL path ending in ``/``.

    A site whose build writes ``assets/runtime.mjs`` (versioned runtime folders) names it there
    (``PYODIDE_DIR``, relative to ``assets/``); otherwise it is ``assets/pyodide/``.
    """
    if (site / "assets" / "runtime.mjs").is_file():
        return "/assets/" + _runtime_export(site, "PYODIDE_DIR").strip("./").rstrip("/") + "/"
    if not (site / "assets" / "pyodide" / "pyodide.mjs").is_file():
        raise ValueError(f"{site} has no Pyodide runtime in assets/pyodide/")
    return "/assets/pyodide/"


def lock_file(site: Path) -> str:
    """The URL path of the site's ``pyodide-lock.json`` (under ``assets/wheels/``)."""
    found = sorted((site / "assets" / "wheels").glob("**/pyodide-lock.json"))
    if not found:
        raise ValueError(f"{site} has no assets/wheels/**/pyodide-lock.json")
    return "/" + found[0].relative_to(site).as_posix()


def snapshot_file(site: Path) -> str:
    """The URL path of the build's memory snapshot (``SNAPSHOT`` in ``assets/runtime.mjs``,
    relative to ``assets/``)."""
    return "/assets/" + _runtime_export(site, "SNAPSHOT")


@dataclass(frozen=True)
class Levers:
    """Changes to how the site is served, for measuring one lever at a time."""

    overlays: dict[str, Path] = field(default_factory=dict)  # URL path -> file served instead
    head_tags: str = ""  # inserted before </head> in every HTML page
    gzip: bool = False
    immutable_runtime: bool = False  # Cache-Control: immutable on the Pyodide folder

    def describe(self) -> str:
        parts = [f"{path} from {file.name}" for path, file in self.overlays.items()]
        parts += ["preload tags"] if self.head_tags else []
        parts += ["gzip"] if self.gzip else []
        parts += ["immutable runtime"] if self.immutable_runtime else []
        return ", ".join(parts) or "as built"


class BenchHandler(QuietSiteHandler):
    levers = Levers()
    runtime_prefix = "/assets/pyodide/"
    _gzipped: dict[Path, bytes] = {}
    _lock = threading.Lock()

    def translate_path(self, path: str) -> str:
        url_path = urlsplit(path).path
        if url_path in self.levers.overlays:
            return str(self.levers.overlays[url_path])
        if url_path.startswith(FLOOR_PREFIX):
            return str(FLOOR_DIR / url_path.removeprefix(FLOOR_PREFIX))
        return super().translate_path(path)

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        url_path = urlsplit(self.path).path
        local = Path(self.translate_path(self.path))
        if local.is_dir() and url_path.endswith("/"):
            local = local / "index.html"
        levers = self.levers
        rewrite = bool(levers.head_tags) and local.suffix == ".html"
        compress = (levers.gzip and local.suffix in COMPRESSIBLE
                    and "gzip" in self.headers.get("Accept-Encoding", ""))
        immutable = levers.immutable_runtime and url_path.startswith(self.runtime_prefix)
        outside_site = url_path in levers.overlays or url_path.startswith(FLOOR_PREFIX)
        if local.is_file() and outside_site and not (rewrite or compress or immutable):
            # The floor and the lever files are not in the site folder: the site's server
            # (its headers, CSP included) sends them from where translate_path found them.
            self.send_file(local, url_path.lstrip("/"), HTTPStatus.OK, send_body=True)
            return
        if not local.is_file() or not (rewrite or compress or immutable):
            super().do_GET()  # as the site's server does, redirects and 404s included
            return
        body = local.read_bytes()
        if rewrite:
            body = body.replace(b"</head>", levers.head_tags.encode() + b"</head>", 1)
            if compress:
                body = gzip.compress(body, mtime=0)
        elif compress:
            with self._lock:  # compress each file once, as a server with a cache would
                if local not in self._gzipped:
                    self._gzipped[local] = gzip.compress(body, mtime=0)
                body = self._gzipped[local]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(local)))
        self.send_header("Content-Length", str(len(body)))
        if compress:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        if immutable:
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve(site: Path, port: int = 0, levers: Levers = Levers()) -> Iterator[str]:
    """Serve ``site`` (and the floor) on 127.0.0.1:``port`` in a thread; yield the base URL."""
    class Handler(BenchHandler):
        pass

    Handler.levers, Handler.runtime_prefix, Handler._gzipped = levers, pyodide_dir(site), {}
    server = SiteHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def site_port(site: Path) -> int:
    """The port the site was built for (instant navigation only follows its sitemap's address)."""
    sitemap = site / "sitemap.xml"
    text = sitemap.read_text() if sitemap.is_file() else ""
    start = text.find("<loc>")
    if start < 0:
        raise SystemExit(f"{site} has no sitemap.xml with a <loc>: is it a built site?")
    address = urlsplit(text[start + 5:text.index("</loc>", start)].strip())
    if address.hostname not in ("127.0.0.1", "localhost") or address.port is None:
        raise SystemExit(f"{site} was built for {address.geturl()}; build it for "
                         "http://127.0.0.1:PORT/ to benchmark it")
    return address.port
