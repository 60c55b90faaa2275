"""How the built site is to be served: media types, cache lifetimes, compression.

The local server (:mod:`build_scripts.hosting.serve`) applies these rules, and the web-server
configurations in ``build_scripts/hosting/deploy/`` (nginx, Apache httpd, IIS) spell out the
same ones; the build ships IIS's ``web.config`` in the site's root folder, where IIS reads it.

Caching: a file whose URL changes whenever its bytes do may be kept for a year without asking
again (the Pyodide runtime in ``assets/pyodide/<version>/``, the wheel and the memory snapshot in
``assets/wheels/<hash>/``, mkdocs-material's hashed bundles); everything else (pages, our scripts,
``assets/runtime.mjs``, settings) must be revalidated on every use, so a new build shows at once.

Compression: the compressible files of a megabyte or more (the memory snapshot, the WebAssembly,
Pyodide's module script, a source map) are also written gzipped beside themselves at build time
(``NAME.gz``, :mod:`build_scripts.precompress`); nginx (``gzip_static``) and the preview server
send those bytes instead of compressing the file again for every visitor.

Never served: dot-files and dot-folders (``.env``, ``.git/``, planted or left over in the site
folder) and ``web.config`` (IIS's settings, which IIS itself refuses to serve). The preview
server, the three configurations and the service worker's list follow :data:`HIDDEN_PATH`.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

__all__ = ["DEPLOY_DIR", "MEDIA_TYPES", "COMPRESSIBLE_TYPES", "GZIP_LEVEL", "PRECOMPRESS_MIN_BYTES",
           "CACHE_FOREVER", "CACHE_REVALIDATE", "IMMUTABLE_PATH", "HIDDEN_PATH", "media_type",
           "compressible", "precompressed", "precompressed_copy_of", "cache_control", "is_hidden",
           "copy_web_config"]

DEPLOY_DIR = Path(__file__).with_name("deploy")

# By file extension. Pyodide's streaming compile refuses a .wasm that is not application/wasm;
# module scripts (.mjs too) must be JavaScript. Anything not listed: application/octet-stream.
MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".map": "application/json; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".webmanifest": "application/manifest+json; charset=utf-8",
    ".wasm": "application/wasm",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".gz": "application/gzip",
    # The worker's memory snapshot (build_scripts/snapshot.py): named so that every server maps it.
    ".bin": "application/octet-stream",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
}

# Worth gzipping: text, WebAssembly (9.6 MB shrink to 3.5 MB) and the memory snapshot (.bin, the
# site's only application/octet-stream: 31 MB, mostly empty memory, shrink to about 6 MB). Not the
# zip archives: the standard library and the wheel are already deflated (2 % and 3 % smaller).
COMPRESSIBLE_TYPES = frozenset({
    "text/html", "text/css", "text/javascript", "application/json", "application/manifest+json",
    "application/wasm", "application/octet-stream", "image/svg+xml", "application/xml",
    "text/plain", "text/calendar", "text/csv",
})

# zlib's default: level 9 makes the snapshot 1 % smaller for four times the processor time.
GZIP_LEVEL = 6

# Compressing the 31 MB snapshot on every request costs a server about a second of processor time
# per visitor (nginx at its level 5, measured: 5 cold visits cost it 5.0 to 5.6 s, against 0.5 s
# with the copies); files this large or larger get a gzipped copy at build time instead.
PRECOMPRESS_MIN_BYTES = 1_000_000

CACHE_FOREVER = "public, max-age=31536000, immutable"
CACHE_REVALIDATE = "no-cache"

# Relative to the site's root folder.
IMMUTABLE_PATH = re.compile(
    r"assets/(?:pyodide/[^/]+/|wheels/[0-9a-f]{12}/"
    r"|(?:javascripts|stylesheets)/(?:[^/]+/)*[^/]+\.[0-9a-f]{8,}\.min\.(?:js|css)(?:\.map)?$)"
)


# Relative to the site's root folder: a path with a segment that starts with "." or is web.config.
HIDDEN_PATH = re.compile(r"(?:^|/)(?:\.|web\.config(?:/|$))", re.IGNORECASE)


def media_type(name: str) -> str:
    """The media type a server sends for a file name (``application/octet-stream`` if unknown)."""
    return MEDIA_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")


def compressible(sent_type: str) -> bool:
    """True if a file sent as ``sent_type`` (parameters such as ``; charset=utf-8`` allowed) is
    worth compressing (:data:`COMPRESSIBLE_TYPES`)."""
    return sent_type.split(";")[0] in COMPRESSIBLE_TYPES


def precompressed(name: str, size: int) -> bool:
    """True for a file the build also writes gzipped beside itself (``NAME.gz``)."""
    return compressible(media_type(name)) and size >= PRECOMPRESS_MIN_BYTES


def precompressed_copy_of(path: Path) -> Path | None:
    """The file that ``path`` is the build's gzipped copy of, or None: ``a.wasm`` for
    ``a.wasm.gz`` beside it (``sitemap.xml.gz``, which MkDocs writes, is nobody's copy)."""
    if path.suffix != ".gz":
        return None
    original = path.with_name(path.name.removesuffix(".gz"))
    if original.is_file() and precompressed(original.name, original.stat().st_size):
        return original
    return None


def is_hidden(relative_path: str) -> bool:
    """True for a path (``a/.git/config``, ``web.config``) that no server may answer with a file."""
    return bool(HIDDEN_PATH.search(relative_path))


def cache_control(relative_path: str) -> str:
    """The Cache-Control value for a file, given its path inside the site (``a/b.js``)."""
    return CACHE_FOREVER if IMMUTABLE_PATH.match(relative_path) else CACHE_REVALIDATE


def copy_web_config(docs: Path) -> Path:
    """Copy ``deploy/web.config`` into ``docs`` (so into the site's root); return the copy."""
    return Path(shutil.copyfile(DEPLOY_DIR / "web.config", docs / "web.config"))
