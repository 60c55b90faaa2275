"""Serve the built site on 127.0.0.1 with the MIME types Pyodide needs.

A ``.wasm`` served as anything but ``application/wasm`` makes Pyodide's streaming compile fail, and
module scripts must be served as JavaScript; Python's default table is not relied on for either.
Used by the README's serve command and by the end-to-end tests.
"""

from __future__ import annotations

import argparse
import functools
import http.server
from pathlib import Path

from .paths import SITE

__all__ = ["SiteHandler", "QuietSiteHandler", "main"]


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".json": "application/json",
        ".whl": "application/zip",
        ".zip": "application/zip",
    }



class QuietSiteHandler(SiteHandler):
    """The same, without a log line per request (for tests)."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m build_scripts.serve")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--site-dir", type=Path, default=SITE)
    parser.add_argument("--quiet", action="store_true", help="no log line per request")
    args = parser.parse_args(argv)
    if not (args.site_dir / "index.html").is_file():
        raise SystemExit(f"{args.site_dir} has no index.html: run `python -m build_scripts` first.")
    handler_class = QuietSiteHandler if args.quiet else SiteHandler
    handler = functools.partial(handler_class, directory=str(args.site_dir))
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        port = server.server_address[1]
        print(f"Serving {args.site_dir} at http://127.0.0.1:{port}/ (Ctrl+C to stop)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
