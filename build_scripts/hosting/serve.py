"""Serve the built site on 127.0.0.1 as the intranet's web server should: a local preview.

Every response carries the security headers of :mod:`build_scripts.hosting.security` (the Content
Security Policy included, unless ``--no-csp``); files get the media types, cache lifetimes and
gzip compression of :mod:`build_scripts.hosting.rules`, with ``ETag``/``Last-Modified`` so that a
revalidated file costs a ``304``. ``--base-path /guides/cmvig/`` serves the same site under a
sub-path, as on the intranet. Used by the README's ``./dev serve`` and by the end-to-end tests.

Whatever the path: the answer is a file of the site folder or its 404 page, never a redirect to
another host (a redirect is built from the path's cleaned segments, so ``//evil.example/..``
cannot become a ``Location``), dot-files and ``web.config`` are never served
(:func:`~build_scripts.hosting.rules.is_hidden`), and a path too long for any file answers 414 (the
whole path) or 404 (one segment longer than a file name may be) instead of an error.

Only the standard library: :mod:`http.server` does the HTTP; this module decides the headers.
"""

from __future__ import annotations

import argparse
import email.utils
import functools
import gzip
import http.server
import os
import posixpath
import sys
import threading
import urllib.parse
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any

from ..paths import SITE
from .rules import (
    CACHE_REVALIDATE,
    GZIP_LEVEL,
    cache_control,
    compressible,
    is_hidden,
    media_type,
    precompressed,
)
from .security import security_headers

__all__ = ["ServeOptions", "SiteHandler", "QuietSiteHandler", "SiteHTTPServer", "make_server",
           "main"]

# Compressed once, then answered from memory until the file changes (or read from the build's
# gzipped copy beside the file, rules.precompressed).
_MAX_CACHED_FILE = 64 * 1024 * 1024
# No file of the site has a longer path; file systems refuse a longer name (ENAMETOOLONG).
MAX_PATH = 2048
MAX_SEGMENT = 255


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """How to serve: the site's URL prefix, and switches for diagnosis."""

    base_path: str = "/"
    csp: bool = True
    # Serve .wasm as application/octet-stream, as a misconfigured server would (to see the
    # page's message about it).
    wrong_wasm_type: bool = False

    def __post_init__(self) -> None:
        if not (self.base_path.startswith("/") and self.base_path.endswith("/")):
            raise ValueError(f"base_path must start and end with '/', got {self.base_path!r}")


class _GzipCache:
    """Gzipped bytes of files, keyed by path, modification time and size."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[tuple[int, int], bytes]] = {}

    def get(self, path: str, stamp: tuple[int, int]) -> bytes:
        with self._lock:
            cached = self._entries.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        copy = Path(path + ".gz")
        if precompressed(path, stamp[1]) and copy.is_file() and copy.stat().st_mtime_ns >= stamp[0]:
            compressed = copy.read_bytes()
        else:
            with open(path, "rb") as source:
                compressed = gzip.compress(source.read(), GZIP_LEVEL, mtime=0)
        with self._lock:
            self._entries[path] = (stamp, compressed)
        return compressed


_GZIP_CACHE = _GzipCache()


def _accepts_gzip(header: str | None) -> bool:
    for item in (header or "").split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip().lower() in {"gzip", "*"}:
            quality = params.strip().removeprefix("q=").strip() if params else "1"
            try:
                return float(quality) > 0
            except ValueError:
                return False
    return False


def _etag_matches(header: str, etag: str) -> bool:
    """``If-None-Match`` semantics: weak comparison, ``*`` matches anything."""
    wanted = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in wanted or etag.removeprefix("W/") in wanted


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files of one site folder; see the module docstring for the headers."""

    server_version = "CMVIGGuideServe"
    protocol_version = "HTTP/1.1"

    def __init__(self, *args: Any, directory: str, options: ServeOptions = ServeOptions(),
                 **kwargs: Any) -> None:
        self.options = options
        super().__init__(*args, directory=directory, **kwargs)

    # Every response, errors and redirects included, carries the security headers.
    def end_headers(self) -> None:
        for name, value in security_headers(self.options.csp).items():
            self.send_header(name, value)
        super().end_headers()

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _site_path(self) -> str | None:
        """The request's path relative to the site (``""`` for its root), or None if the path
        is outside ``base_path``."""
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        base = self.options.base_path
        if not path.startswith(base):
            return None
        return path[len(base):]

    def _respond(self, send_body: bool) -> None:
        if len(self.path) > MAX_PATH:
            return self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
        relative = self._site_path()
        if relative is None:
            if self.path.split("?")[0] == self.options.base_path.rstrip("/"):
                return self._redirect(self.options.base_path)
            return self._not_found(send_body)
        # Refuse anything that would climb out of the site folder, and hidden files.
        parts = [part for part in posixpath.normpath("/" + relative).split("/") if part]
        clean = "/".join(parts)
        if is_hidden(clean) or any(len(part.encode()) > MAX_SEGMENT or "\0" in part
                                   for part in parts):
            return self._not_found(send_body)
        file = Path(self.directory, *parts)
        try:
            is_dir = file.is_dir()
            if is_dir:
                file = file / "index.html"
            is_file = file.is_file()
        except OSError:  # a name the file system refuses: not a file of the site
            is_dir = is_file = False
        if is_dir and relative and not relative.endswith("/"):
            # From the cleaned segments, never the raw path: a path such as
            # "//evil.example/../about" must not become "Location: //evil.example/…".
            return self._redirect(self.options.base_path + (f"{clean}/" if clean else ""))
        if not is_file:
            return self._not_found(send_body)
        if is_dir:
            parts.append("index.html")
        self.send_file(file, "/".join(parts), HTTPStatus.OK, send_body)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", urllib.parse.quote(location))
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", CACHE_REVALIDATE)
        self.end_headers()

    def _not_found(self, send_body: bool) -> None:
        page = Path(self.directory, "404.html")
        if page.is_file():
            self.send_file(page, "404.html", HTTPStatus.NOT_FOUND, send_body)
        else:
            self.send_error(HTTPStatus.NOT_FOUND)

    def _media_type(self, name: str) -> str:
        extension = posixpath.splitext(name)[1].lower()
        if extension == ".wasm" and self.options.wrong_wasm_type:
            return "application/octet-stream"
        return media_type(name)

    def send_file(self, file: Path, relative: str, status: HTTPStatus, send_body: bool) -> None:
        """Answer with ``file`` (``relative``: its path in the site) and every header this server
        sends: its media type, cache lifetime, validators, gzip if asked, the security headers.
        Public for handlers that serve files from elsewhere the same way (the benchmark's)."""
        stat = file.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        media_type = self._media_type(file.name)
        worth_compressing = compressible(media_type)
        compress = (worth_compressing and stat.st_size <= _MAX_CACHED_FILE
                    and _accepts_gzip(self.headers.get("Accept-Encoding")))
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}{"-gzip" if compress else ""}"'
        last_modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
        if status == HTTPStatus.OK and self._not_modified(etag, stat.st_mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self._send_validators(etag, last_modified, relative, worth_compressing)
            self.end_headers()
            return
        body = _GZIP_CACHE.get(os.fspath(file), stamp) if compress else None
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body) if body is not None else stat.st_size))
        if body is not None:
            self.send_header("Content-Encoding", "gzip")
        if status == HTTPStatus.OK:
            self._send_validators(etag, last_modified, relative, worth_compressing)
        else:
            self.send_header("Cache-Control", CACHE_REVALIDATE)
        self.end_headers()
        if not send_body:
            return
        if body is not None:
            self.wfile.write(body)
        else:
            with file.open("rb") as source:
                self.copyfile(source, self.wfile)

    def _send_validators(self, etag: str, last_modified: str, relative: str,
                         worth_compressing: bool) -> None:
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", last_modified)
        self.send_header("Cache-Control", cache_control(relative))
        if worth_compressing:
            self.send_header("Vary", "Accept-Encoding")

    def _not_modified(self, etag: str, mtime: float) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:  # takes precedence over If-Modified-Since (RFC 9110)
            return _etag_matches(if_none_match, etag)
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since is None:
            return False
        try:
            since = email.utils.parsedate_to_datetime(if_modified_since).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
        return int(mtime) <= since


class QuietSiteHandler(SiteHandler):
    """The same, without a log line per request (for tests)."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


class SiteHTTPServer(http.server.ThreadingHTTPServer):
    """A thread per request. A reader who leaves mid-download (a closed tab, a browser that
    stops) is routine, not an error: no traceback for it; anything else is reported as usual."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):  # reset, aborted, broken pipe
            return
        super().handle_error(request, client_address)


def make_server(site_dir: Path, port: int = 0, options: ServeOptions = ServeOptions(),
                quiet: bool = False) -> SiteHTTPServer:
    """A server for ``site_dir`` on 127.0.0.1:``port`` (0 picks a free one), not yet serving."""
    if not (site_dir / "index.html").is_file():
        raise SystemExit(f"{site_dir} has no index.html: run `python -m build_scripts` first.")
    handler_class = QuietSiteHandler if quiet else SiteHandler
    handler = functools.partial(handler_class, directory=str(site_dir), options=options)
    return SiteHTTPServer(("127.0.0.1", port), handler)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m build_scripts.hosting.serve",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--site-dir", type=Path, default=SITE)
    parser.add_argument("--base-path", default="/",
                        help="URL path to serve the site under, e.g. /guides/cmvig/ (build it "
                        "with the matching --site-url); anything outside it is 404")
    parser.add_argument("--no-csp", dest="csp", action="store_false",
                        help="leave out the Content-Security-Policy header (to diagnose a page)")
    parser.add_argument("--wrong-wasm-type", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--quiet", action="store_true", help="no log line per request")
    args = parser.parse_args(argv)
    try:
        options = ServeOptions(args.base_path, args.csp, args.wrong_wasm_type)
    except ValueError as error:
        parser.error(f"--base-path: {error}")
    with make_server(args.site_dir, args.port, options, args.quiet) as server:
        port = server.server_address[1]
        print(f"Serving {args.site_dir} at http://127.0.0.1:{port}{options.base_path} "
              "(Ctrl+C to stop)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
