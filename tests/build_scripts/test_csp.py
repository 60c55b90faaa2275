"""build_scripts.csp: the built site holds nothing a strict Content-Security-Policy would block."""

from __future__ import annotations

from pathlib import Path

from build_scripts.csp import externalize_data_images, externalize_inline_code, inline_code_left

PAGE = """<html><head><script>var scope = new URL("..", location)</script>
<script id="__config" type="application/json">{"base": ".."}</script>
<script src="../x.js"></script><style>h1 { color: red }</style></head>
<body><script>go()</script><script type="module">go()</script></body></html>"""


def test_inline_scripts_and_styles_move_to_files_in_place(tmp_path: Path) -> None:
    page = tmp_path / "deep" / "page" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(PAGE)
    (tmp_path / "index.html").write_text("<script>go()</script>")
    written = externalize_inline_code(tmp_path)
    text = page.read_text()
    assert inline_code_left(text) == []
    # The same code is stored once and referenced relatively from each depth.
    assert len([p for p in written if p.suffix == ".js"]) == 2
    assert '<script src="../../assets/inline/' in text
    assert '<script src="assets/inline/' in (tmp_path / "index.html").read_text()
    assert '<script type="module" src="../../assets/inline/' in text
    # Data blocks and scripts with a src stay as they were, in order.
    assert '<script id="__config" type="application/json">{"base": ".."}</script>' in text
    assert text.index("inline/") < text.index("__config") < text.index('src="../x.js"')
    css = [p for p in written if p.suffix == ".css"]
    assert [p.read_text() for p in css] == ["h1 { color: red }"]
    assert f'<link rel="stylesheet" href="../../assets/inline/{css[0].name}">' in text


def test_the_404_page_refers_from_the_root_it_was_built_for(tmp_path: Path) -> None:
    # Served for a missing page at any depth: "assets/inline/…" would resolve against a/b/c/ and
    # leave the page broken there (issue 14). It takes the root of its own stylesheet link.
    (tmp_path / "index.html").write_text("<p>home</p>")
    for root in ("/", "/guides/cmvig/"):
        (tmp_path / "404.html").write_text(
            f'<link rel="stylesheet" href="{root}assets/stylesheets/main.1234abcd.min.css">'
            "<script>go()</script><style>h1 { color: red }</style>")
        externalize_inline_code(tmp_path)
        text = (tmp_path / "404.html").read_text()
        assert f'<script src="{root}assets/inline/' in text, text
        assert f'<link rel="stylesheet" href="{root}assets/inline/' in text, text
    # A 404 page with no rooted stylesheet keeps relative references.
    (tmp_path / "404.html").write_text("<script>go()</script>")
    externalize_inline_code(tmp_path)
    assert '<script src="assets/inline/' in (tmp_path / "404.html").read_text()


def test_what_cannot_be_moved_is_reported() -> None:
    left = inline_code_left('<button onclick="go()">x</button><p style="color: red">y</p>')
    assert [line.split(":")[0] for line in left] == ["event handler attribute", "style attribute"]


def test_data_images_in_stylesheets_become_files(tmp_path: Path) -> None:
    sheet = tmp_path / "assets" / "main.css"
    sheet.parent.mkdir()
    sheet.write_text(
        """:root{--icon:url("data:image/svg+xml;charset=utf-8,"""
        """<svg viewBox='0 0 24 24'><path d='M1 2'/></svg>")}"""
        """a{mask-image:url('data:image/svg+xml;charset=utf-8,%3Csvg%3E%3C/svg%3E')}""")
    written = externalize_data_images(tmp_path)
    text = sheet.read_text()
    assert "data:" not in text
    assert sorted(p.read_text() for p in written) == [
        "<svg viewBox='0 0 24 24'><path d='M1 2'/></svg>", "<svg></svg>"]
    for path in written:
        assert f'url("icons/{path.name}")' in text


def test_the_built_site_needs_no_inline_code_or_data_images(built_site: Path) -> None:
    problems = {str(page.relative_to(built_site)): inline_code_left(page.read_text())
                for page in built_site.rglob("*.html")}
    assert {page: found for page, found in problems.items() if found} == {}
    for sheet in built_site.rglob("*.css"):
        assert "url(data:" not in sheet.read_text().replace('"', "").replace("'", ""), sheet
