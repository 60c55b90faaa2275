"""build_scripts.external_refs finds every way a page could fetch from outside the site."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_scripts.external_refs import external_references, is_external

EXTERNAL_PAGE = """<!doctype html><html><head>
<link rel="stylesheet" href="https://cdn.example.org/a.css">
<link rel="preconnect" href="https://fonts.gstatic.com">
<link rel="icon" href="//cdn.example.org/favicon.ico">
<script src="https://www.googletagmanager.com/gtag/js"></script>
<script type="module">import x from "https://esm.example.org/x.js";</script>
<style>@import url("https://fonts.googleapis.com/css?family=Roboto");</style>
</head><body style="background: url('https://img.example.org/bg.png')">
<img srcset="local.png 1x, https://img.example.org/2x.png 2x">
<a href="https://doi.org/10.21037/apm-21-1069">a paper: a link, not a fetch</a>
</body></html>"""
EXTERNAL_CSS = "@font-face { src: url(https://fonts.example.org/f.woff2) }"
EXTERNAL_JS = """
import a from "https://cdn.example.org/a.mjs";
export * from "https://cdn.example.org/b.mjs";
const w = new Worker("https://cdn.example.org/w.js");
importScripts("https://cdn.example.org/s.js");
fetch(`https://analytics.example.org/hit`);
await import("https://cdn.example.org/c.mjs");
"""


@pytest.fixture
def external_site(tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_text(EXTERNAL_PAGE)
    (tmp_path / "a.css").write_text(EXTERNAL_CSS)
    (tmp_path / "a.mjs").write_text(EXTERNAL_JS)
    (tmp_path / "fine.js").write_text('import "./local.js"; fetch("data/x.json");')
    return tmp_path


def test_every_kind_of_external_fetch_is_found(external_site: Path) -> None:
    found = {(ref.file, ref.url) for ref in external_references(external_site)}
    assert found == {
        ("index.html", "https://cdn.example.org/a.css"),
        ("index.html", "https://fonts.gstatic.com"),
        ("index.html", "//cdn.example.org/favicon.ico"),
        ("index.html", "https://www.googletagmanager.com/gtag/js"),
        ("index.html (inline script 1)", "https://esm.example.org/x.js"),
        ("index.html", "https://fonts.googleapis.com/css?family=Roboto"),
        ("index.html", "https://img.example.org/bg.png"),
        ("index.html", "https://img.example.org/2x.png"),
        ("a.css", "https://fonts.example.org/f.woff2"),
        ("a.mjs", "https://cdn.example.org/a.mjs"),
        ("a.mjs", "https://cdn.example.org/b.mjs"),
        ("a.mjs", "https://cdn.example.org/w.js"),
        ("a.mjs", "https://cdn.example.org/s.js"),
        ("a.mjs", "https://analytics.example.org/hit"),
        ("a.mjs", "https://cdn.example.org/c.mjs"),
    }


@pytest.mark.parametrize(
    ("url", "external"),
    [
        ("https://cdn.example.org/x.js", True),
        ("HTTP://cdn.example.org/x.js", True),
        ("//cdn.example.org/x.js", True),
        ("wss://example.org/socket", True),
        ("../assets/x.js", False),
        ("/assets/x.js", False),
        ("data:text/javascript,", False),
        ("node:fs", False),
        ("#top", False),
    ],
)
def test_is_external(url: str, external: bool) -> None:
    assert is_external(url) is external
