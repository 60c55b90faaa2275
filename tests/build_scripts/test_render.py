"""The Jinja functions and generated files, on the fixture site (fixtures/site_src)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from markdown.extensions.toc import slugify

from build_scripts.charts import (
    HASH_SALT,
    NARROW,
    WIDE,
    draw_viral_load_chart,
    treatment_marks,
)
from build_scripts.components import Abbreviator, Placement, SiteFunctions, copies_text
from build_scripts.content import Content, load_content
from build_scripts.paths import SITE_SRC
from build_scripts.render import (
    PAGE_END,
    environment,
    footer_links,
    navigation,
    print_sections,
    render_generated_pages,
    render_pages,
    render_print_page,
)
from calculators.registry import CALCULATORS
from tests.build_scripts.fixture_project import make_site_src


@pytest.fixture
def site_src(tmp_path: Path) -> Path:
    return make_site_src(tmp_path)


@pytest.fixture
def content(site_src: Path) -> Content:
    return load_content(site_src)


def _functions(site_src: Path, content: Content, slug: str, docs: Path) -> SiteFunctions:
    return SiteFunctions(environment(site_src), content, Placement.of(content), slug, docs)


def test_cite_is_a_markdown_link_to_the_references_page(site_src: Path, content: Content,
                                                        tmp_path: Path) -> None:
    f = _functions(site_src, content, "index", tmp_path)
    assert f.cite("seed-a") == "[Author 2020](references.md#seed-a)"
    assert f.cite("seed-a", "Table 9") == "[Author 2020, Table 9](references.md#seed-a)"
    with pytest.raises(KeyError, match="no such reference"):
        f.cite("nobody")


def test_placement_knows_where_tables_cases_and_calculators_are(content: Content) -> None:
    placement = Placement.of(content)
    assert placement.tables == {"fixture-table": "evidence"}
    assert placement.cases == {"fixture-case": "evidence"}
    assert placement.calculators == {"regimen": "regimens"}


def test_table_html(site_src: Path, content: Content, tmp_path: Path) -> None:
    html = str(_functions(site_src, content, "evidence", tmp_path).table("fixture-table"))
    assert "\n\n" not in html.strip()  # one raw HTML block for Markdown
    assert '<table id="table-fixture-table-data" data-cmvig-table="fixture-table">' in html
    assert ('Source: <a href="../references/#seed-a">Author 2020</a>, Table 9.</caption>'
            in html)
    assert '<th scope="col" data-sort-method="number">N</th>' in html
    assert '<th scope="col" data-sort-method="none">Case</th>' in html
    # A row about a case carries an anchor and links to that case's card.
    assert '<tr id="fixture-table-fixture-case">' in html
    assert '<a href="#case-fixture-case" title="Fixture case one">Case card</a>' in html
    assert '<tr id="fixture-table-row-2">' in html
    for value in ("Writer/1999", "Other/2001", "12", "7.5", "Fixture outcome beta"):
        assert f">{value}<" in html
    assert 'Fixture outcome alpha (<abbr title="cytomegalovirus">CMV</abbr> negative)' in html
    assert '<li><abbr title="fixture term">FXT</abbr>: fixture term.</li>' in html
    assert "<div class=\"cmvig-table-filter\" hidden data-search-exclude>" in html


def test_case_card_links_to_its_table_row_and_the_regimen_calculator(
        site_src: Path, content: Content, tmp_path: Path) -> None:
    html = str(_functions(site_src, content, "evidence", tmp_path).case_cards(setting="heart"))
    assert '<article class="cmvig-case" id="case-fixture-case">' in html
    for text in ("A fixture patient.", "Fixture regimen wording (test data, not a dose).",
                 "Fixture co-treatment.", "Fixture outcome alpha."):
        assert text in html
    assert '<a href="../references/#paper-b">Writer 1999</a>' in html
    assert 'reported in <a href="../references/#seed-a">Author 2020</a> (Table 9)' in html
    assert '<a href="#fixture-table-fixture-case">In the evidence table: Fixture table</a>' in html
    assert ('<a href="../regimens/#calc-regimen" data-regimen="chou-1996">' in html)
    with pytest.raises(KeyError, match="no case has that setting"):
        _functions(site_src, content, "evidence", tmp_path).case_cards(setting="lung")


def test_case_timeline_lists_values_and_draws_a_chart(site_src: Path, content: Content,
                                                      tmp_path: Path) -> None:
    functions = _functions(site_src, content, "evidence", tmp_path)
    html = str(functions.case_timeline("fixture-case"))
    assert '<img src="../assets/charts/fixture-case.svg"' in html
    assert 'aria-describedby="timeline-fixture-case-events"' in html
    assert "CMV DNA 500 copies/mL." in html
    assert "CMV DNA 18\u00a0100 copies/mL." in html
    # Treatments carry the list's own numbers on the chart (events 2 and 4 here).
    assert "Treatment: Fixture treatment started" in html
    assert "Treatment: Fixture treatment stopped" in html
    assert '<time datetime="2020-01-20">2020-01-20</time>' in html
    assert functions.charts == [tmp_path / "assets" / "charts" / "fixture-case.svg",
                                tmp_path / "assets" / "charts" / "fixture-case-narrow.svg"]


def test_chart_is_deterministic_svg_without_dates(content: Content, tmp_path: Path) -> None:
    timeline = content.cases["fixture-case"]["timeline"]
    one = draw_viral_load_chart(timeline, "Title", tmp_path / "one.svg").read_bytes()
    two = draw_viral_load_chart(timeline, "Title", tmp_path / "two.svg").read_bytes()
    assert one == two
    svg = one.decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    assert "copies/mL, log scale" in svg  # text stays text (svg.fonttype none)
    assert HASH_SALT


def test_copies_text_follows_the_sources_style() -> None:
    assert copies_text(500) == "500"
    assert copies_text(6500) == "6500"
    assert copies_text(18100.0) == "18\u00a0100"
    assert copies_text(1.5) == "1.5"


def test_product_facts_mark_unverified_facts(site_src: Path, content: Content,
                                             tmp_path: Path) -> None:
    html = str(_functions(site_src, content, "index", tmp_path).product_facts("fixture-product"))
    assert '<div class="cmvig-product" id="product-fixture-product">' in html
    assert "Fixture product (Fixture maker)" in html
    assert ('<span class="cmvig-unverified-badge">unverified</span> Fixture unverified fact'
            in html)
    assert '<a href="references/#seed-a">Author 2020</a>' in html  # from the home page


def test_every_product_facts_shows_a_product_added_without_editing_the_page(
        site_src: Path, tmp_path: Path) -> None:
    """Adding a product is its files only (README, "Adding a product"): a second product file
    appears in every_product_facts(), placed by its ``order``, before one with none (100)."""
    products = site_src / "products"
    added = (products / "fixture-product.yml").read_text(encoding="utf-8").replace(
        "name: Fixture product", "order: 5\nname: Added product")
    (products / "added-product.yml").write_text(added, encoding="utf-8")
    html = str(_functions(site_src, load_content(site_src), "index", tmp_path)
               .every_product_facts())
    ids = re.findall(r'class="cmvig-product" id="product-([a-z-]+)"', html)
    assert ids == ["added-product", "fixture-product"]


def test_calculator_overview_lists_every_calculator_where_its_form_is(tmp_path: Path) -> None:
    """The Calculators page's table comes from the registry (README, "Adding a calculator"):
    every calculator, in navigation order, linked to the section of the page holding its form."""
    content = load_content(SITE_SRC)
    table = str(_functions(SITE_SRC, content, "calculators", tmp_path).calculator_overview())
    rows = re.findall(r"^\| (.+?) \| .+? \| \[[^]]+\]\(([a-z-]+)\.md#([a-z-]+)\) \|", table, re.M)
    by_name = {CALCULATORS[name].listing.name: name for name in CALCULATORS}
    assert sorted(by_name[shown] for shown, _page, _anchor in rows) == sorted(CALCULATORS)
    pages = {page.slug: page for page in content.pages}
    for shown, slug, anchor in rows:
        body = pages[slug].body
        assert f'calculator_form("{by_name[shown]}")' in body
        assert anchor in {slugify(title, "-") for title in re.findall(r"^## (.+)$", body, re.M)}
    assert [slug for _shown, slug, _anchor in rows] == sorted(
        (slug for _shown, slug, _anchor in rows), key=lambda slug: pages[slug].position)
    assert "Not yet on a guidance page" not in table


def test_a_calculator_no_page_holds_gets_its_form_on_the_overview(tmp_path: Path) -> None:
    """A new calculator is on the site before any page holds it: listed last, its form below."""
    content = load_content(SITE_SRC)
    pages = tuple(replace(page, body=page.body.replace('{{ calculator_form("crcl") }}', ""))
                  for page in content.pages)
    table = str(_functions(SITE_SRC, replace(content, pages=pages), "calculators", tmp_path)
                .calculator_overview())
    last_row = table.split("\n## Not yet on a guidance page\n")[0].strip().splitlines()[-1]
    assert last_row.startswith(f"| {CALCULATORS['crcl'].listing.name} |")
    assert "[below](#calc-crcl)" in last_row
    below = table.split("## Not yet on a guidance page")[1]
    assert 'id="calc-crcl" data-calculator="crcl"' in below


def test_abbreviator_matches_whole_words_only() -> None:
    abbr = Abbreviator([{"abbr": "CMV", "meaning": "cytomegalovirus"},
                        {"abbr": "D+/R−", "meaning": "donor positive, recipient negative"}])
    assert abbr("CMVIG") == "CMVIG"
    assert abbr("CMV-IVIG <b>") == '<abbr title="cytomegalovirus">CMV</abbr>-IVIG &lt;b&gt;'
    assert abbr("a D+/R− case") == ('a <abbr title="donor positive, recipient negative">'
                                    'D+/R−</abbr> case')
    assert abbr(None) == ""
    assert abbr(3.0) == "3"


def test_generated_pages(site_src: Path, content: Content, tmp_path: Path) -> None:
    written = render_generated_pages(content, tmp_path, site_src)
    assert sorted(p.name for p in written) == ["changelog.md", "glossary.md", "references.md"]
    refs = (tmp_path / "references.md").read_text()
    assert refs.index("## Source documents") < refs.index("## Papers cited by")
    assert '<p class="cmvig-reference" id="seed-a">' in refs
    assert '<a class="cmvig-paper-link" href="https://doi.org/10.0000/fixture.1">' in refs
    assert 'Known to this guide through <a href="#seed-a">Author 2020</a>' in refs
    glossary = (tmp_path / "glossary.md").read_text()
    assert "| FXT | fixture term | Only in the tests. |" in glossary
    changelog = (tmp_path / "changelog.md").read_text()
    assert changelog.index("## Version 1.1 (2026-02-01)") < changelog.index("## Version 1.0")
    assert "Reviewed by Fixture reviewer." in changelog
    for text in (refs, glossary, changelog):
        assert "**Owner:** Fixture review lead" in text
        assert "GENERATED by build_scripts" in text


def test_every_page_ends_with_the_abbreviations_and_the_nav_lists_it(
        site_src: Path, content: Content, tmp_path: Path) -> None:
    written = render_pages(content, tmp_path, site_src)
    written += render_generated_pages(content, tmp_path, site_src)
    for page in (p for p in written if p.suffix == ".md"):
        lines = page.read_text().splitlines()
        assert lines[-4:] == [PAGE_END, "", "*[CMV]: cytomegalovirus", "*[FXT]: fixture term"]
    assert navigation(content) == [
        {"Home": "index.md"}, {"Fixture evidence": "evidence.md"},
        {"Fixture regimens": "regimens.md"}, {"References": "references.md"},
        {"Glossary": "glossary.md"}, {"Changelog": "changelog.md"},
        {"Print the whole guide": "print_page.md"}]
    assert footer_links(content) == []
    assert [slug for slug, _title in print_sections(content)] == [
        "index", "evidence", "regimens", "references", "glossary", "changelog"]
    stub = render_print_page(tmp_path, site_src).read_text()
    assert '<div id="print-site-page" data-cmvig-print-page></div>' in stub


def test_render_pages_writes_pages_and_charts(site_src: Path, content: Content,
                                              tmp_path: Path) -> None:
    written = render_pages(content, tmp_path, site_src)
    names = sorted(str(p.relative_to(tmp_path)) for p in written)
    assert names == ["assets/charts/fixture-case-narrow.svg", "assets/charts/fixture-case.svg",
                     "evidence.md", "index.md", "regimens.md"]
    index = (tmp_path / "index.md").read_text()
    assert "[Author 2020, Table 9](references.md#seed-a)" in index
    assert re.search(r'<form class="cmvig-calculator" id="calc-regimen" data-calculator="regimen"',
                     (tmp_path / "regimens.md").read_text())


def test_forms_say_what_the_hospital_default_is(built_site: Path) -> None:
    # site_src/config.yml: rounding none, weight basis actual.
    page = (built_site / "prophylaxis" / "index.html").read_text()
    assert '<option value="" selected>Hospital default (Actual body weight)</option>' in page
    assert ('<option value="" selected>Hospital default (None: give the calculated dose)'
            '</option>') in page
    # Units beside a number are chosen, not a parameter of their own (no name attribute).
    assert re.search(r'<select id="calc-prophylaxis-weight_kg-unit" class="cmvig-unit" '
                     r'data-unit-for="weight_kg" aria-label="Unit of Weight \(kg\)">', page)


def test_chart_numbers_treatments_as_the_list_and_draws_negatives_and_periods(
        tmp_path: Path) -> None:
    timeline = [
        {"date": "2020-01-01", "event": "a", "cmv_copies_per_ml": 500},
        {"date": "2020-01-05", "event": "b", "treatment": "Drug started"},
        {"date": "2020-01-09", "event": "c", "cmv_copies_per_ml": 18100},
        {"date": "2020-01-20", "event": "d", "cmv_negative": True, "treatment": "Drug stopped"},
    ]
    assert [n for n, _day, _t in treatment_marks(timeline)] == [2, 4]
    periods = [{"label": "Drug", "from": "2020-01-05", "until": "2020-01-20"}]
    for layout in (WIDE, NARROW):
        svg = draw_viral_load_chart(timeline, "T", tmp_path / "c.svg", periods, layout).read_text()
        assert "negative" in svg and "(no value given)" in svg
        assert "2\u20134 Drug" in svg
    with pytest.raises(ValueError, match="until 2020-02-01 is not the date of an event"):
        draw_viral_load_chart(timeline, "T", tmp_path / "c.svg",
                              [{"label": "x", "from": "2020-01-05", "until": "2020-02-01"}])
