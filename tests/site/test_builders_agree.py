"""The same site from both builders (issue 17): MkDocs + Material (``built_site``) and Zensical
(``zensical_site``) give the same pages, the same text on each page, the same calculator forms
with the same fields and the same tables with the same rows.

What the theme adds around a page's content may differ; what Zensical lacks is named in the
README's list ("What Zensical does not do yet"), which :func:`test_zensical_lacks_only_what_the_
readme_lists` reads: a feature missing from the Zensical build and not listed fails, and so does
one listed that the build has after all.
"""

from __future__ import annotations

import html.parser
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT


@dataclass
class PageFacts:
    """What a built page says, builder aside."""

    text: str = ""
    links: list[str] = field(default_factory=list)  # href, src, srcset in the article, as written
    forms: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    tables: list[tuple[str, list[list[str]]]] = field(default_factory=list)


class _Reader(html.parser.HTMLParser):
    """The text of the page's article (permalink signs, scripts and styles left out), each
    calculator form's fields (tag, name, type) and each table's rows (cell texts)."""

    _SKIP = {"script", "style", "template"}
    _VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
             "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self._text: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, opens a part whose text is skipped)
        self._article_depth = 0
        self._form: str | None = None
        self._tables: list[tuple[str, list[list[str]]]] = []
        self._cell: list[str] | None = None

    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        if tag == "article" and "md-content__inner" in classes:
            self._article_depth = len(self._stack) + 1
        if self._article_depth:
            self.facts.links += [a[name] for name in ("href", "src", "srcset") if a.get(name)]
        if tag == "form" and "data-calculator" in a:
            self._form = a["data-calculator"]
            self.facts.forms.setdefault(self._form, [])
        elif self._form and tag in {"input", "select", "textarea"} and a.get("name"):
            self.facts.forms[self._form].append((tag, a["name"], a.get("type", "")))
        if tag == "table":
            name = a.get("data-cmvig-table") or a.get("data-cmvig-fallback") or ""
            self._tables.append((name, []))
        elif tag == "tr" and self._tables:
            self._tables[-1][1].append([])
        elif tag in {"td", "th"} and self._tables:
            self._cell = []
        if tag not in self._VOID:
            self._stack.append((tag, tag in self._SKIP or "headerlink" in classes))

    def handle_endtag(self, tag: str) -> None:
        if tag in self._VOID:
            return
        while self._stack:
            open_tag, _skip = self._stack.pop()
            if open_tag == tag:
                break
        if tag == "article" and self._article_depth > len(self._stack):
            self._article_depth = 0
        if tag == "form":
            self._form = None
        elif tag in {"td", "th"} and self._cell is not None and self._tables:
            self._tables[-1][1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._tables:
            self.facts.tables.append(self._tables.pop())

    def handle_data(self, data: str) -> None:
        if self._skipping():
            return
        if self._cell is not None:
            self._cell.append(data)
        if self._article_depth:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self.facts.text = " ".join("".join(self._text).split())


def read_page(path: Path) -> PageFacts:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader.facts


def pages(site: Path) -> dict[str, Path]:
    """Every HTML page of ``site`` by its path, the runtime and vendored files left out."""
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*.html"))
            if not p.relative_to(site).as_posix().startswith("assets/")}


def both(built_site: Path, zensical_site: Path) -> list[tuple[str, PageFacts, PageFacts]]:
    mkdocs, zensical = pages(built_site), pages(zensical_site)
    return [(name, read_page(mkdocs[name]), read_page(zensical[name]))
            for name in sorted(mkdocs.keys() & zensical.keys())]


def test_the_same_pages(built_site: Path, zensical_site: Path) -> None:
    mkdocs, zensical = set(pages(built_site)), set(pages(zensical_site))
    assert len(mkdocs) > 15
    assert sorted(mkdocs - zensical) == [], "pages only in the MkDocs build"
    assert sorted(zensical - mkdocs) == [], "pages only in the Zensical build"


def test_the_same_text_on_every_page(built_site: Path, zensical_site: Path) -> None:
    compared = 0
    for name, mkdocs, zensical in both(built_site, zensical_site):
        assert mkdocs.text, f"{name}: no article text found in the MkDocs build"
        assert zensical.text == mkdocs.text, f"{name}: the text differs"
        compared += 1
    assert compared > 15


def _target(page: str, link: str) -> str:
    """Where ``link`` on ``page`` leads, with the site served under a sub-path (so that a link
    climbing one folder too high is caught)."""
    parts = urlsplit(link)
    if parts.scheme or link.startswith("//") or not parts.path:
        return link
    here = "/sub/path/" + page.removesuffix("index.html")
    target = posixpath.normpath(posixpath.join(here, parts.path))
    return target + ("/" if parts.path.endswith("/") else "") + (
        f"#{parts.fragment}" if parts.fragment else "")


def test_the_same_links_on_every_page(built_site: Path, zensical_site: Path) -> None:
    links = 0
    for name, mkdocs, zensical in both(built_site, zensical_site):
        assert [_target(name, link) for link in zensical.links] == [
            _target(name, link) for link in mkdocs.links], name
        links += len(mkdocs.links)
    assert links > 500


def test_the_same_calculator_forms_with_the_same_fields(built_site: Path,
                                                        zensical_site: Path) -> None:
    forms = 0
    for name, mkdocs, zensical in both(built_site, zensical_site):
        assert zensical.forms == mkdocs.forms, name
        forms += len(mkdocs.forms)
    assert forms >= 9  # every calculator, once on its page (and once more on the print page)


def test_the_same_tables_with_the_same_rows(built_site: Path, zensical_site: Path) -> None:
    rows = 0
    for name, mkdocs, zensical in both(built_site, zensical_site):
        assert [t for t, _rows in zensical.tables] == [t for t, _rows in mkdocs.tables], name
        for (table, mkdocs_rows), (_same, zensical_rows) in zip(mkdocs.tables, zensical.tables,
                                                                strict=True):
            only_mkdocs = [r for r in mkdocs_rows if r not in zensical_rows]
            only_zensical = [r for r in zensical_rows if r not in mkdocs_rows]
            assert (only_mkdocs, only_zensical) == ([], []), f"{name}: table {table or '?'}"
            assert zensical_rows == mkdocs_rows, f"{name}: table {table or '?'}: row order"
            rows += len(mkdocs_rows)
    assert rows > 100


# --- Features: what each build has, found in its files -----------------------------------------

def _any_page(pattern: str) -> Callable[[Path], bool]:
    compiled = re.compile(pattern)
    return lambda site: any(compiled.search(p.read_text(encoding="utf-8"))
                            for p in pages(site).values())


def _file(name: str) -> Callable[[Path], bool]:
    return lambda site: (site / name).is_file()


FEATURES: dict[str, Callable[[Path], bool]] = {
    "abbreviations on hover": _any_page(r'<abbr title="[^"]+">CMV</abbr>'),
    "sign-edged abbreviations on hover": _any_page(r'<abbr title="[^"]+">D\+/R[−-]</abbr>'),
    "heading permalinks": _any_page(r'class="headerlink"'),
    "instant navigation": _any_page(r'navigation\.instant'),
    "search index": lambda site: any((site / name).is_file()  # Material's, Zensical's
                                     for name in ("search/search_index.json", "search.json")),
    "sitemap": _file("sitemap.xml"),
    "dates in the sitemap": lambda site: "<lastmod>" in (site / "sitemap.xml").read_text(),
    "compressed sitemap": _file("sitemap.xml.gz"),
    "page not found page": _file("404.html"),
    "disclaimer on every page": lambda site: all(
        'class="cmvig-disclaimer"' in p.read_text(encoding="utf-8") for p in pages(site).values()),
    "footer links": _any_page(r'class="cmvig-footer-links"'),
    "named search dialog": _any_page(
        r'data-md-component="search" role="dialog" aria-label="[^"]+"'),
    "progress bar hidden from assistive technology": _any_page(
        r'data-md-component="progress" role="progressbar" aria-hidden="true"'),
    "any-address script before the theme's": _any_page(r'javascripts/any-address\.js'),
    "search started on the first search": _any_page(r'javascripts/search-on-demand\.js'),
    "service worker": _file("service-worker.js"),
    "print page": _file("print_page/index.html"),
    "print stylesheet": _any_page(r'stylesheets/print\.css'),
    "module scripts": _any_page(r'<script[^>]+type="module"[^>]+javascripts/calculators\.js'
                                r'|<script[^>]+javascripts/calculators\.js[^>]+type="module"'),
}


def readme_lacks() -> set[str]:
    """The features the README lists under "What Zensical does not do yet" (one per ``- **name**``
    line)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### What Zensical does not do yet", 1)[1].split("\n#", 1)[0]
    return set(re.findall(r"^- \*\*(.+?)\*\*", section, re.MULTILINE))


def test_the_mkdocs_build_has_every_feature(built_site: Path) -> None:
    assert [name for name, has in FEATURES.items() if not has(built_site)] == []


def test_zensical_lacks_only_what_the_readme_lists(zensical_site: Path) -> None:
    listed = readme_lacks()
    assert listed <= set(FEATURES), f"the README lists features this test does not know: {listed}"
    lacking = {name for name, has in FEATURES.items() if not has(zensical_site)}
    assert sorted(lacking - listed) == [], "missing from the Zensical build, not in the README"
    assert sorted(listed - lacking) == [], "listed in the README, yet the Zensical build has it"



def _html_copy(site: Path, to: Path) -> Path:
    for name, path in pages(site).items():
        (to / name).parent.mkdir(parents=True, exist_ok=True)
        (to / name).write_bytes(path.read_bytes())
    return to


def test_a_page_or_a_table_row_in_one_build_only_fails_the_comparison(built_site: Path,
                                                                        tmp_path: Path) -> None:
    # The comparison's own check: two copies of one build's pages, then one page dropped from
    # the second copy, and one table row dropped from the first.
    first, second = _html_copy(built_site, tmp_path / "a"), _html_copy(built_site, tmp_path / "b")
    test_the_same_pages(first, second)
    test_the_same_tables_with_the_same_rows(first, second)
    (second / "faq" / "index.html").unlink()
    with pytest.raises(AssertionError, match="pages only in the MkDocs build"):
        test_the_same_pages(first, second)
    (second / "faq" / "index.html").write_bytes((first / "faq" / "index.html").read_bytes())
    page = next(p for p in pages(first).values() if read_page(p).tables
                and any(rows for _name, rows in read_page(p).tables))
    text = page.read_text(encoding="utf-8")
    body_row = re.search(r"(<tr\b(?:(?!</tr>).)*?<td\b.*?</tr>)", text, re.DOTALL)
    assert body_row, f"{page}: a table without a body row"
    page.write_text(text.replace(body_row.group(1), "", 1), encoding="utf-8")
    with pytest.raises(AssertionError, match="table"):
        test_the_same_tables_with_the_same_rows(first, second)
