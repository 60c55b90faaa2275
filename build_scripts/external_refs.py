"""Find everything in a built site that would make a browser fetch from outside the site.

The site must load nothing from elsewhere (no CDN, no web fonts, no analytics). This module
*parses* each kind of file rather than grepping it:

- HTML with :mod:`html.parser`: ``src``/``srcset``/``poster``/``data`` attributes, ``<link>`` whose
  ``rel`` makes the browser fetch (stylesheet, preload, modulepreload, icon, manifest, ...),
  ``<base>``, ``<meta http-equiv=refresh>``, ``style`` attributes, ``<style>`` blocks and inline
  scripts;
- CSS with tinycss2: ``url()`` and ``@import``;
- JavaScript with acorn (``js_fetches.mjs``, run by Node): imports, ``importScripts``, workers and
  literal ``fetch`` URLs.

Plain ``<a href>`` links (to papers, say) are not fetched by the browser and are allowed.
``python -m build_scripts.external_refs [SITE]`` prints what it finds and exits 1 if anything.
"""

from __future__ import annotations

import html.parser
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tinycss2

from .paths import ROOT, SITE

__all__ = ["Reference", "is_external", "html_references", "css_references",
           "js_references", "site_references", "external_references"]

FETCHING_RELS = {"stylesheet", "preload", "modulepreload", "prefetch", "prerender", "icon",
                 "apple-touch-icon", "manifest", "preconnect", "dns-prefetch", "mask-icon"}
SRC_ATTRIBUTES = {"src", "poster", "data", "background", "action", "formaction"}
EXTERNAL_SCHEMES = {"http", "https", "ws", "wss", "ftp"}
JS_SCANNER = Path(__file__).with_name("js_fetches.mjs")


@dataclass(frozen=True, slots=True)
class Reference:
    file: str
    kind: str
    url: str


def is_external(url: str) -> bool:
    """True for a URL that leaves the site: an absolute web URL or a protocol-relative one."""
    url = url.strip()
    return url.startswith("//") or urlsplit(url).scheme.lower() in EXTERNAL_SCHEMES


def css_references(text: str) -> list[tuple[str, str]]:
    """(kind, url) for every ``url()`` and ``@import`` in a stylesheet or a style attribute."""
    found: list[tuple[str, str]] = []

    # tinycss2 is untyped: its nodes are duck-typed by their ``type`` attribute.
    def visit(tokens: list[Any]) -> None:
        for token in tokens:
            kind = getattr(token, "type", None)
            if kind == "url":
                found.append(("css url()", str(token.value)))
            elif kind == "function" and token.lower_name == "url":
                args = [a for a in token.arguments if getattr(a, "type", "") == "string"]
                found.extend(("css url()", str(a.value)) for a in args)
            elif kind == "at-rule" and token.lower_at_keyword == "import":
                prelude = [t for t in token.prelude if getattr(t, "type", "") == "string"]
                found.extend(("css @import", str(t.value)) for t in prelude)
            for child in ("prelude", "content", "arguments", "value"):
                nested = getattr(token, child, None)
                if isinstance(nested, list):
                    visit(nested)

    visit(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True))
    visit(tinycss2.parse_component_value_list(text, skip_comments=True))
    return sorted(set(found))


class _HTMLScanner(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self.inline_scripts: list[str] = []
        self.styles: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name in SRC_ATTRIBUTES and not (tag == "form" and name == "action"):
                self.found.append((f"<{tag} {name}>", value))
            elif name in {"srcset", "imagesrcset"}:
                self.found.extend((f"<{tag} {name}>", part.split()[0])
                                  for part in value.split(",") if part.strip())
            elif name == "style":
                self.found.extend(css_references(value))
        rels = set(values.get("rel", "").lower().split())
        if tag == "link" and rels & FETCHING_RELS:
            self.found.append((f"<link rel={' '.join(sorted(rels))}>", values.get("href", "")))
        if tag == "base" and "href" in values:
            self.found.append(("<base href>", values["href"]))
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.found.append(("<meta refresh>", values.get("content", "").partition("url=")[2]))
        script_type = values.get("type", "text/javascript").lower()
        if tag == "script" and "src" not in values and ("javascript" in script_type
                                                        or script_type == "module"):
            self._in = "script"
        elif tag == "style":
            self._in = "style"

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script" and data.strip():
            self.inline_scripts.append(data)
        elif self._in == "style":
            self.styles.append(data)


def html_references(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(kind, url) pairs found in an HTML document, and its inline scripts for the JS scanner."""
    scanner = _HTMLScanner()
    scanner.feed(text)
    scanner.close()
    found = list(scanner.found)
    for style in scanner.styles:
        found.extend(css_references(style))
    return found, scanner.inline_scripts


def js_references(files: list[Path]) -> dict[Path, list[tuple[str, str]]]:
    """Parse JavaScript files with acorn; (kind, url) for every fetch with a literal URL."""
    if not files:
        return {}
    done = subprocess.run(["node", str(JS_SCANNER), *map(str, files)], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    report = json.loads(done.stdout)
    return {Path(name): [(item["kind"], item["url"]) for item in items if item["url"] is not None]
            for name, items in report.items()}


def site_references(site: Path = SITE) -> list[Reference]:
    """Every fetch-causing reference in ``site``, internal or external."""
    found: list[Reference] = []
    scripts = sorted(p for p in site.rglob("*") if p.suffix in {".js", ".mjs"})
    with tempfile.TemporaryDirectory() as scratch:
        inline: dict[Path, str] = {}
        for page in sorted(site.rglob("*.html")):
            name = str(page.relative_to(site))
            refs, inline_scripts = html_references(page.read_text(encoding="utf-8"))
            found.extend(Reference(name, kind, url) for kind, url in refs)
            for index, code in enumerate(inline_scripts):
                path = Path(scratch) / f"inline-{len(inline)}.js"
                path.write_text(code, encoding="utf-8")
                inline[path] = f"{name} (inline script {index + 1})"
        for path, refs in js_references([*scripts, *inline]).items():
            name = inline.get(path) or str(path.relative_to(site))
            found.extend(Reference(name, kind, url) for kind, url in refs)
    for sheet in sorted(site.rglob("*.css")):
        name = str(sheet.relative_to(site))
        found.extend(Reference(name, kind, url)
                     for kind, url in css_references(sheet.read_text(encoding="utf-8")))
    return found


def external_references(site: Path = SITE) -> list[Reference]:
    """The references in ``site`` that leave it."""
    return [ref for ref in site_references(site) if is_external(ref.url)]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    site = Path(args[0]) if args else SITE
    external = external_references(site)
    for ref in external:
        print(f"{ref.file}: {ref.kind} {ref.url}")
    print(f"{len(external)} external reference(s) in {site}")
    return 1 if external else 0


if __name__ == "__main__":
    sys.exit(main())
