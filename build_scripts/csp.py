"""Make the built site run under a strict Content-Security-Policy.

Hospitals serve the site with ``default-src 'self'; script-src 'self' 'wasm-unsafe-eval';
worker-src 'self'; style-src 'self'`` (``security.py``). That policy blocks three things the
themes write, which this step, run after the builder (``mkdocs build`` or ``zensical build``),
moves into files of their own instead of forking their templates:

- inline ``<script>`` and ``<style>`` (mkdocs-material's and Zensical's
  ``partials/javascripts/*.html``): each block becomes ``assets/inline/<sha256 prefix>.js`` or
  ``.css``, loaded from the same place in the page, so the order of execution and the cascade do
  not change;
- ``data:`` images in stylesheets (mkdocs-material's icons, ``default-src 'self'`` covers images):
  each becomes an ``.svg`` file in an ``icons/`` folder beside its stylesheet.

Every new reference is relative, so the site still works from any path; except in the site's
``404.html``, which the server sends for a missing page at any depth: there a relative reference
would resolve against the missing page's folder (an unstyled, broken page at ``a/b/c``), so it is
written from the root, with the prefix the theme used for the page's own stylesheet.

Data blocks (``<script type="application/json">``, mkdocs-material's ``__config``) are not code:
the policy does not apply to them and they stay. Inline event handlers (``onclick=``) and
``style=`` attributes cannot be moved this way; :func:`inline_code_left` reports them so a test
can fail on them.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from urllib.parse import unquote

__all__ = ["externalize_inline_code", "externalize_data_images", "inline_code_left"]

INLINE_DIR = Path("assets") / "inline"
ICONS_DIR = "icons"

_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S | re.I)
_STYLE = re.compile(r"<style(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</style>", re.S | re.I)
_TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.I)
_SRC = re.compile(r"\ssrc\s*=", re.I)
_EVENT_HANDLER = re.compile(r"""<[a-z][^>]*?\son[a-z]+\s*=\s*["']""", re.I)
_STYLE_ATTRIBUTE = re.compile(r"""<[a-z][^>]*?\sstyle\s*=\s*["']""", re.I)
# What a browser runs as classic or module script; anything else is data.
_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
_DATA_SVG = re.compile(r"""url\((["']?)data:image/svg\+xml(?:;charset=utf-8)?,(.*?)\1\)""", re.I)


def _is_code(attrs: str) -> bool:
    found = _TYPE.search(attrs)
    return not _SRC.search(attrs) and (found[1].lower() if found else "") in _SCRIPT_TYPES


def _store(site_dir: Path, body: str, suffix: str, written: set[Path]) -> Path:
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
    path = site_dir / INLINE_DIR / f"{digest}{suffix}"
    if path not in written:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
        written.add(path)
    return path


NOT_FOUND_PAGE = "404.html"
# The theme's stylesheet in the 404 page, written from the root: "/guides/cmvig/assets/…".
_ROOTED_ASSETS = re.compile(r"""\shref="(?P<root>/(?:[^"]*/)?)assets/stylesheets/""")


def _relative(target: Path, page: Path) -> str:
    return Path(os.path.relpath(target, page.parent)).as_posix()


def _reference(site_dir: Path, target: Path, page: Path, text: str) -> str:
    """How ``page`` refers to ``target``: relative, except from the 404 page (see above)."""
    rooted = _ROOTED_ASSETS.search(text) if page == site_dir / NOT_FOUND_PAGE else None
    if rooted:
        return rooted["root"] + target.relative_to(site_dir).as_posix()
    return _relative(target, page)


def externalize_inline_code(site_dir: Path) -> list[Path]:
    """Rewrite every HTML page under ``site_dir``; return the script and style files written."""
    written: set[Path] = set()
    for page in sorted(site_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")

        def script(match: re.Match[str], page: Path = page, text: str = text) -> str:
            attrs, body = match["attrs"], match["body"]
            if not _is_code(attrs) or not body.strip():
                return match[0]
            href = _reference(site_dir, _store(site_dir, body, ".js", written), page, text)
            return f'<script{attrs} src="{href}"></script>'

        def style(match: re.Match[str], page: Path = page, text: str = text) -> str:
            stored = _store(site_dir, match["body"], ".css", written)
            href = _reference(site_dir, stored, page, text)
            return f'<link rel="stylesheet" href="{href}">'

        changed = _STYLE.sub(style, _SCRIPT.sub(script, text))
        if changed != text:
            page.write_text(changed, encoding="utf-8")
    return sorted(written)


def inline_code_left(html: str) -> list[str]:
    """What in ``html`` a ``script-src 'self'; style-src 'self'`` policy would still block."""
    found = [f"inline script: {m[0][:80]!r}" for m in _SCRIPT.finditer(html)
             if _is_code(m["attrs"]) and m["body"].strip()]
    found += [f"inline style: {m[0][:80]!r}" for m in _STYLE.finditer(html)]
    found += [f"event handler attribute: {m[0][:80]!r}" for m in _EVENT_HANDLER.finditer(html)]
    found += [f"style attribute: {m[0][:80]!r}" for m in _STYLE_ATTRIBUTE.finditer(html)]
    return found


def externalize_data_images(site_dir: Path) -> list[Path]:
    """Rewrite every stylesheet under ``site_dir``; return the SVG files written."""
    written: set[Path] = set()
    for sheet in sorted(site_dir.rglob("*.css")):
        text = sheet.read_text(encoding="utf-8")

        def icon(match: re.Match[str], sheet: Path = sheet) -> str:
            svg = unquote(match[2])
            digest = hashlib.sha256(svg.encode("utf-8")).hexdigest()[:16]
            path = sheet.parent / ICONS_DIR / f"{digest}.svg"
            if path not in written:
                path.parent.mkdir(exist_ok=True)
                path.write_text(svg, encoding="utf-8")
                written.add(path)
            return f'url("{ICONS_DIR}/{digest}.svg")'

        changed = _DATA_SVG.sub(icon, text)
        if changed != text:
            sheet.write_text(changed, encoding="utf-8")
    return sorted(written)
