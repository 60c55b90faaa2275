"""The built site against its content: every evidence-table row, the review metadata and the
disclaimer on every page, the glossary's abbreviations, the print page, working links."""

from __future__ import annotations

import html
import html.parser
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from build_scripts.components import number_text
from build_scripts.content import body_calls, load_content
from tests.conftest import ROOT

CONTENT = load_content()


class _Page(html.parser.HTMLParser):
    """Ids, links, and the cell texts of every evidence table (abbreviations flattened)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._in_body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if a.get("id"):
            self.ids.add(a["id"])
        if tag in {"a", "img"}:
            self.links.append(a.get("href") or a.get("src") or "")
        if tag == "table" and a.get("data-cmvig-table"):
            self._table = a["data-cmvig-table"]
            self.tables.setdefault(self._table, [])
        elif self._table and tag == "tbody":
            self._in_body = True
        elif self._table and self._in_body and tag == "tr":
            self.tables[self._table].append([])
        elif self._table and self._in_body and tag == "td":
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None and self._table:
            self.tables[self._table][-1].append("".join(self._cell))
            self._cell = None
        elif tag == "table":
            self._table, self._in_body = None, False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _page_file(site: Path, slug: str) -> Path:
    return site / "index.html" if slug == "index" else site / slug / "index.html"


def _table_pages() -> dict[str, str]:
    placed: dict[str, str] = {}
    for page in CONTENT.pages:
        for _line, function, key in body_calls(page.body):
            if function == "table":
                placed.setdefault(key, page.slug)
    return placed


@pytest.mark.parametrize("table_id", sorted(CONTENT.tables))
def test_every_evidence_table_row_is_on_the_site(built_site: Path, table_id: str) -> None:
    """Read the YAML; find each row, cell by cell, in the built page and on the print page."""
    placed = _table_pages()
    assert table_id in placed, f"table {table_id} is on no page"
    data = yaml.safe_load((ROOT / "site_src" / "tables" / f"{table_id}.yml").read_text())
    keys = [column["key"] for column in data["columns"]]
    expected = [[" ".join(number_text(row.get(k)).split()) if row.get(k) is not None else ""
                 for k in keys] for row in data["rows"]]
    for path in (_page_file(built_site, placed[table_id]),
                 built_site / "print_page" / "index.html"):
        found = _parse(path).tables[table_id]
        shown = [[" ".join(cell.split()) for cell in row[: len(keys)]] for row in found]
        assert shown == expected, path


def test_every_content_page_shows_its_review_metadata(built_site: Path) -> None:
    for page in CONTENT.pages:
        text = _page_file(built_site, page.slug).read_text(encoding="utf-8")
        review = text[text.index('class="cmvig-review"'):]
        meta = page.meta
        for needle in (f"Page version {meta['version']}", html.escape(meta["owner"]),
                       f'<time datetime="{meta["last_reviewed"]}">',
                       f'<time datetime="{meta["next_review"]}">',
                       f"Content version {CONTENT.version}"):
            assert needle in review, (page.slug, needle)


def test_every_page_shows_the_disclaimer(built_site: Path) -> None:
    institution = html.escape(CONTENT.config["institution"])
    pages = list(_html_pages(built_site))
    assert built_site / "404.html" in pages
    assert len(pages) >= len(CONTENT.pages) + 5  # + references, glossary, changelog, print, 404
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert text.count('class="cmvig-disclaimer"') == 1, path
        assert f"For healthcare professionals at {institution}." in text, path
        assert "does not replace the product label" in text, path
        assert "off-label" in text, path


def test_glossary_abbreviations_show_on_hover(built_site: Path) -> None:
    """Each glossary abbreviation found in the site's text is marked up with its meaning."""
    site_html = "".join(p.read_text(encoding="utf-8") for p in _html_pages(built_site))
    marked = set(re.findall(r'<abbr title="([^"]*)">([^<]*)</abbr>', site_html))
    used = 0
    for term in CONTENT.glossary:
        abbr = term["abbr"]
        if re.search(rf"(?<![\w>]){re.escape(html.escape(abbr, quote=False))}(?!\w)", site_html):
            pair = (html.escape(term["meaning"]), html.escape(abbr, quote=False))
            assert pair in marked, f"{abbr} appears but not as <abbr title=...>"
            used += 1
    assert used >= min(5, len(CONTENT.glossary))


def test_glossary_page_lists_every_term(built_site: Path) -> None:
    text = re.sub(r"<[^>]+>", "", (built_site / "glossary" / "index.html").read_text("utf-8"))
    for term in CONTENT.glossary:
        assert html.escape(term["meaning"]) in text, term["abbr"]


def test_references_page_has_every_reference(built_site: Path) -> None:
    page = _parse(built_site / "references" / "index.html")
    assert set(CONTENT.references) <= page.ids
    for ref in CONTENT.references.values():
        if ref.get("doi"):
            assert f"https://doi.org/{ref['doi']}" in page.links


def test_print_page_has_every_page(built_site: Path) -> None:
    text = (built_site / "print_page" / "index.html").read_text(encoding="utf-8")
    for page in CONTENT.pages:
        assert html.escape(page.meta["title"], quote=False) in text, page.slug
    for title in ("References", "Glossary", "Changelog"):
        assert title in text
    # The print stylesheet is on every page (it applies only when printing).
    assert 'href="../stylesheets/print.css"' in text


def test_every_internal_link_lands(built_site: Path) -> None:
    pages = {path: _parse(path) for path in _html_pages(built_site)}
    broken = []
    for path, page in pages.items():
        if path.name == "404.html":  # its links are absolute, for any depth of missing page
            continue
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//") or not link:
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(built_site)}: {link} (no file)")
            elif parts.fragment and target in pages and parts.fragment not in pages[target].ids:
                broken.append(f"{path.relative_to(built_site)}: {link} (no anchor)")
    assert broken == []


def test_timeline_charts_are_built(built_site: Path) -> None:
    for page in CONTENT.pages:
        for _line, function, key in body_calls(page.body):
            if function == "case_timeline":
                chart = built_site / "assets" / "charts" / f"{key}.svg"
                assert chart.read_text().lstrip().startswith("<?xml"), key
                assert f"assets/charts/{key}.svg" in _page_file(built_site, page.slug).read_text()


def test_tablesort_is_vendored_from_the_pinned_npm_package(built_site: Path) -> None:
    npm = ROOT / "node_modules" / "tablesort"
    shipped = built_site / "assets" / "vendor" / "tablesort"
    for name, source in (("tablesort.min.js", "dist/tablesort.min.js"),
                         ("tablesort.number.min.js", "dist/sorts/tablesort.number.min.js")):
        assert (shipped / name).read_bytes() == (npm / source).read_bytes()
    # Loaded by tables.js only where a table is; no page links the library itself.
    assert not [p for p in _html_pages(built_site) if "tablesort.min.js" in p.read_text()]


def test_about_page_shows_the_hazard_log(built_site: Path) -> None:
    """Every hazard of site_src/hazards.yml is a row of the About page's table, with its tests,
    and an open hazard says it is open and where it is tracked."""
    text = _page_file(built_site, "about").read_text(encoding="utf-8")
    rows = dict(re.findall(r'<tbody id="hz-\d+" data-hazard="(HZ-\d+)">(.*?)</tbody>', text,
                           re.S))
    assert list(rows) == [hazard["id"] for hazard in CONTENT.hazards]
    for hazard in CONTENT.hazards:
        row = html.unescape(re.sub(r"<[^>]+>", "", rows[hazard["id"]]))
        assert " ".join(hazard["hazard"].split()) in " ".join(row.split()), hazard["id"]
        for control in hazard.get("controls", []):
            for test in control["tests"]:
                assert test in row, (hazard["id"], test)
        if "open" in hazard:
            assert f"Open: {hazard['open']['gap']}" in " ".join(row.split()), hazard["id"]
            assert f"Tracked in {hazard['open']['tracked_in']}." in row, hazard["id"]
        else:
            assert "Controlled" in row, hazard["id"]
