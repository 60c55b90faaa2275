"""site_src/ validation: a bad file stops the build naming the file, the field and the problem.

Every kind of content is broken on purpose here, one way at a time, in a copy of the small
fixture site (fixtures/site_src); the message must name the file and the field.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from build_scripts.components import SiteFunctions
from build_scripts.content import SITE_SRC, ContentError, body_calls, load_content
from build_scripts.page_functions import PAGE_FUNCTIONS
from build_scripts.render import render_pages
from calculators.products import PRODUCTS
from tests.build_scripts.fixture_project import make_site_src

GOOD_FRONT_MATTER = """---
title: A page
summary: What it is.
version: "1.0"
owner: Pharmacy
last_reviewed: 2026-11-21
next_review: 2027-11-21
sources: [seed-a]
---
Body.
"""


@pytest.fixture
def site_src(tmp_path: Path) -> Path:
    return make_site_src(tmp_path)


def _problems(site_src: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(site_src)
    return caught.value.problems


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_real_content_is_valid() -> None:
    content = load_content()
    assert {page.slug for page in content.pages} >= {"index", "prophylaxis"}
    assert content.references and content.tables and content.cases and content.glossary


def test_fixture_content_is_valid(site_src: Path) -> None:
    content = load_content(site_src)
    assert {page.slug for page in content.pages} == {"index", "evidence", "regimens"}
    assert set(content.references) == {"seed-a", "paper-b"}
    assert content.version == "1.1"


# (file under site_src, old text, new text, field named, words in the message)
BROKEN = [
    # pages: front matter
    ("pages/index.md", "summary: The fixture's home page.\n", "", "(top level)",
     "'summary' is a required property"),
    ("pages/index.md", 'version: "1.1"\n', "", "(top level)", "'version' is a required property"),
    ("pages/index.md", 'version: "1.1"', "version: 1.1", "version", "is not of type 'string'"),
    ("pages/index.md", "last_reviewed: 2026-01-01", "last_reviewed: last week", "last_reviewed",
     "does not match"),
    ("pages/index.md", "owner: Fixture owner\n", "owner: Fixture owner\ncolour: blue\n",
     "(top level)", "'colour' was unexpected"),
    ("pages/index.md", "next_review: 2027-01-01", "next_review: 2025-01-01", "next_review",
     "before 'last_reviewed'"),
    ("pages/index.md", "---\ntitle", "title", "(front matter)", "must start with YAML front"),
    # pages: keys they name
    ("pages/index.md", "sources: [seed-a]", "sources: [seed-z]", "sources.0",
     "'seed-z' is not a reference in site_src/references/"),
    ("pages/index.md", 'cite("paper-b")', 'cite("paper-q")', "body line 11: cite()",
     "'paper-q' is not a reference"),
    ("pages/evidence.md", 'table("fixture-table")', 'table("no-table")',
     "body line 13: table()", "'no-table' is not a table"),
    ("pages/evidence.md", 'case_timeline("fixture-case")', 'case_timeline("no-case")',
     "body line 17: case_timeline()", "'no-case' is not a case"),
    ("pages/evidence.md", 'setting="heart"', 'setting="kidney"', "body line 15: case_cards()",
     "'kidney' is not a case setting"),
    ("pages/index.md", 'product_facts("fixture-product")', 'product_facts("no-product")',
     "body line 13: product_facts()", "'no-product' is not a product"),
    ("pages/regimens.md", "calculators: [regimen]", "calculators: [regimens]", "calculators.0",
     "'regimens' is not a calculator"),
    ("pages/regimens.md", 'calculator_form("regimen")', 'calculator_form("regimens")',
     "body line 11: calculator_form()", "'regimens' is not a calculator"),
    # Read with Jinja's parser: names a regex missed, calls over two lines, typos, bad syntax.
    ("pages/regimens.md", 'calculator_form("regimen")', 'fallback_table("regimen")',
     "body line 11: fallback_table()", "'regimen' is not a fallback table"),
    ("pages/regimens.md", 'calculator_form("regimen")', 'calculator_form(\n  "regimens")',
     "body line 11: calculator_form()", "'regimens' is not a calculator"),
    ("pages/regimens.md", 'calculator_form("regimen")', 'calculator_from("regimen")',
     "body line 11: calculator_from()", "not a page function (known: calculator_form, "),
    ("pages/regimens.md", 'calculator_form("regimen")', 'calculator_form(regimen)',
     "body line 11: calculator_form()", "'(not a literal)' is not a calculator"),
    ("pages/regimens.md", '{{ calculator_form("regimen") }}', '{{ calculator_form("regimen") }',
     "body line 11", "not valid Jinja: unexpected '}'"),
    # config
    ("config.yml", "review_owner: Fixture review lead\n", "", "(top level)",
     "'review_owner' is a required property"),
    ("config.yml", "fail_on_overdue_review: false", "fail_on_overdue_review: maybe",
     "fail_on_overdue_review", "is not of type 'boolean'"),
    ("config.yml", "institution: Fixture Hospital", "institution: ''", "institution",
     "should be non-empty"),
    # references
    ("references/seed-a.yml", "kind: seed", "kind: rumour", "kind", "is not one of"),
    ("references/seed-a.yml", "doi: 10.0000/fixture.1", "doi: https://doi.org/10.1", "doi",
     "does not match"),
    ("references/paper-b.yml", "cited_via: seed-a", "cited_via: seed-q", "cited_via",
     "'seed-q' is not a reference"),
    # tables
    ("tables/fixture-table.yml", "locator: Table 9\n", "", "(top level)",
     "'locator' is a required property"),
    ("tables/fixture-table.yml", "reference: seed-a", "reference: seed-q", "reference",
     "'seed-q' is not a reference"),
    ("tables/fixture-table.yml", "case: fixture-case", "case: no-case", "rows.0.case",
     "'no-case' is not a case"),
    ("tables/fixture-table.yml", "{author: Other/2001,", "{author: Other/2001, colour: red,",
     "rows.1.colour", "not one of the table's columns"),
    ("tables/fixture-table.yml", "{key: n, label: N, numeric: true}",
     "{key: N, label: N, numeric: true}", "columns.1.key", "does not match"),
    # cases
    ("cases/fixture-case.yml", "outcome: Fixture outcome alpha.\n", "", "(top level)",
     "'outcome' is a required property"),
    ("cases/fixture-case.yml", "table: fixture-table", "table: no-table", "table",
     "'no-table' is not a table"),
    ("cases/fixture-case.yml", "regimen_id: chou-1996", "regimen_id: chou-1997", "regimen_id",
     "'chou-1997' is not a regimen of calculators/regimen_catalogue.py"),
    ("cases/fixture-case.yml", "reported_in: seed-a", "reported_in: seed-q", "reported_in",
     "'seed-q' is not a reference"),
    ("cases/fixture-case.yml", 'date: "2020-01-05"', 'date: "5 Jan 2020"', "timeline.1.date",
     "does not match"),
    ("cases/fixture-case.yml", 'date: "2020-01-09"', 'date: "2019-01-09"', "timeline",
     "not in date order"),
    # products
    ("products/fixture-product.yml", "strength: Fixture strength text\n", "", "(top level)",
     "'strength' is a required property"),
    ("products/fixture-product.yml", "reference: seed-a", "reference: seed-q", "reference",
     "'seed-q' is not a reference"),
    # glossary
    ("glossary.yml", "{abbr: CMV, meaning: cytomegalovirus}", "{abbr: CMV}", "terms.0",
     "'meaning' is a required property"),
    ("glossary.yml", "{abbr: FXT,", "{abbr: CMV,", "terms.1.abbr", "defined twice"),
    # changelog
    ("changelog.yml", 'version: "1.1"', 'version: "one"', "entries.0.version", "does not match"),
    ("changelog.yml", 'date: "2026-02-01"', 'date: "2025-02-01"', "entries",
     "not newest first"),
    # hazards
    ("hazards.yml", "  open: {gap: Fixture gap., tracked_in: issue 99}\n", "", "hazards.1",
     "is not valid under any of the given schemas"),
    ("hazards.yml", "tracked_in: issue 99", "tracked_in: soon", "hazards.1.open.tracked_in",
     "does not match"),
    ("hazards.yml", "tests: [tests/calculators/test_vials.py::test_policies]",
     "tests: [test_policies]", "hazards.0.controls.0.tests.0", "does not match"),
    ("hazards.yml", "kind: stale result", "kind: bad luck", "hazards.1.kind", "is not one of"),
    ("hazards.yml", "id: HZ-02", "id: HZ-01", "hazards.1.id", "'HZ-01' is used twice"),
]


@pytest.mark.parametrize(("file", "old", "new", "field", "words"), BROKEN,
                         ids=[f"{b[0]}:{b[3]}" for b in BROKEN])
def test_broken_file_names_file_and_field(site_src: Path, file: str, old: str, new: str,
                                          field: str, words: str) -> None:
    _edit(site_src / file, old, new)
    problems = _problems(site_src)
    assert len(problems) == 1, problems
    (problem,) = problems
    assert problem.startswith(f"site_src/{file}: "), problem
    assert f"field '{field}'" in problem, problem
    assert words in problem, problem


@pytest.mark.parametrize("name", ["glossary.yml", "changelog.yml", "config.yml",
                                  "hazards.yml"])
def test_missing_required_file(site_src: Path, name: str) -> None:
    (site_src / name).unlink()
    problems = _problems(site_src)
    assert any(p.startswith(f"site_src/{name}: field '(file)': missing") for p in problems)


def test_invalid_yaml_and_bad_key(site_src: Path) -> None:
    (site_src / "cases" / "Bad Name.yml").write_text("title: x\n")
    (site_src / "products" / "broken.yml").write_text("name: [unclosed\n")
    problems = _problems(site_src)
    assert any(p.startswith("site_src/cases/Bad Name.yml: field '(file name)'") for p in problems)
    assert any(p.startswith("site_src/products/broken.yml: not valid YAML") for p in problems)


def test_every_problem_is_reported_at_once(site_src: Path) -> None:
    (site_src / "pages" / "one.md").write_text("no front matter")
    (site_src / "pages" / "two.md").write_text(GOOD_FRONT_MATTER.replace("title: A page\n", ""))
    (site_src / "pages" / "three.md").write_text(GOOD_FRONT_MATTER + '{{ cite("nobody") }}\n')
    _edit(site_src / "config.yml", "institution: Fixture Hospital", "institution: ''")
    _edit(site_src / "tables" / "fixture-table.yml", "case: fixture-case", "case: nobody")
    _edit(site_src / "glossary.yml", "{abbr: CMV, meaning: cytomegalovirus}", "{abbr: CMV}")
    _edit(site_src / "changelog.yml", "changes: [First fixture version.]", "changes: []")
    problems = _problems(site_src)
    files = sorted({problem.split(":")[0] for problem in problems})
    assert files == ["site_src/changelog.yml", "site_src/config.yml", "site_src/glossary.yml",
                     "site_src/pages/one.md", "site_src/pages/three.md", "site_src/pages/two.md",
                     "site_src/tables/fixture-table.yml"]


def test_a_broken_file_is_not_also_reported_as_unknown(site_src: Path) -> None:
    """A case file with a schema error is reported once, not again by the table naming it."""
    _edit(site_src / "cases" / "fixture-case.yml", "outcome: Fixture outcome alpha.\n", "")
    problems = _problems(site_src)
    assert len(problems) == 1 and problems[0].startswith("site_src/cases/fixture-case.yml")


def test_generated_page_names_are_reserved(site_src: Path) -> None:
    (site_src / "pages" / "glossary.md").write_text(GOOD_FRONT_MATTER)
    (problem,) = _problems(site_src)
    assert problem.startswith("site_src/pages/glossary.md: field '(file name)'")


def test_the_config_schema_leaves_calculator_settings_to_the_core() -> None:
    # Issue 12: the settings' rules live once, in calculators.settings; a copy in the schema had
    # drifted (no maximum on vial_ml or mg_per_ml).
    schema = json.loads((SITE_SRC / "schemas" / "config.schema.json").read_text(encoding="utf-8"))
    assert set(schema["properties"]["calculator_settings"]) == {"type", "description"}


@pytest.mark.parametrize(("setting", "field", "words"), [
    ("rounding: often", "rounding", "Rounding policy must be one of none, up, nearest"),
    ("rounding_tolerance_pct: 25", "rounding_tolerance_pct", "at most 10 %"),
    ("custom_product: {name: X, mg_per_ml: 50, vial_ml: [1001]}", "custom_product.vial_ml",
     "at most 1000 mL"),
    ("custom_product: {name: X, mg_per_ml: 201, vial_ml: [50]}", "custom_product.mg_per_ml",
     "at most 200 mg/mL"),
    ("rounding_policy: up", "rounding_policy", "'rounding_policy' is not a calculator setting."),
])
def test_each_bad_calculator_setting_is_named_by_the_core(site_src: Path, setting: str, field: str,
                                                          words: str) -> None:
    _edit(site_src / "config.yml", "  rounding: none\n  weight_basis: actual\n", f"  {setting}\n")
    (problem,) = _problems(site_src)
    assert problem.startswith(f"site_src/config.yml: field 'calculator_settings.{field}': ")
    assert words in problem


def test_calculator_settings_are_checked_by_the_core(site_src: Path) -> None:
    _edit(site_src / "config.yml", "  rounding: none\n",
          "  rounding: none\n  custom_product: {name: X, mg_per_ml: 50, vial_ml: [1, 2, 3, 4]}\n")
    (problem,) = _problems(site_src)
    assert problem.startswith(
        "site_src/config.yml: field 'calculator_settings.custom_product.vial_ml'")


def test_body_calls_finds_every_function() -> None:
    body = ('x {{ cite("a") }} {{ cite(\'b\', "Table 1") }}\n{{ table("t") }}\n'
            '{{ case_cards() }} {{ case_cards(setting="lung") }}\n{{ calculator_form("units") }}')
    assert body_calls(body) == [(1, "cite", "a"), (1, "cite", "b"), (2, "table", "t"),
                                (3, "case_cards", ""), (3, "case_cards", "lung"),
                                (4, "calculator_form", "units")]


def test_every_page_function_is_offered_and_checked(site_src: Path) -> None:
    """The functions a page body may call are one table (page_functions.PAGE_FUNCTIONS): a page
    is given a method of each name, and validation knows the kind of key each takes (every
    keyed function, called with a key that does not exist, is refused naming what it takes)."""
    site = SiteFunctions.__new__(SiteFunctions)
    offered = SiteFunctions.functions(site)
    assert set(offered) == set(PAGE_FUNCTIONS)
    assert all(callable(function) for function in offered.values())
    keyed = [f for f in PAGE_FUNCTIONS.values() if f.key]
    calls = "\n\n".join(f'{{{{ {f.name}({f.keyword + "=" if f.keyword else ""}"nope") }}}}'
                         for f in keyed)
    (site_src / "pages" / "every.md").write_text(GOOD_FRONT_MATTER.replace("Body.", calls))
    problems = _problems(site_src)
    for function in keyed:
        assert [p for p in problems if f"{function.name}()': 'nope' is not a" in p], function


def test_undefined_template_variable_fails_the_build(site_src: Path, tmp_path: Path) -> None:
    (site_src / "pages" / "typo.md").write_text(GOOD_FRONT_MATTER + "{{ config.instituton }}\n")
    with pytest.raises(Exception, match="instituton"):
        render_pages(load_content(site_src), docs=tmp_path / "docs", root=site_src)


def test_rendered_page_carries_version_owner_review_dates_and_sources(
        site_src: Path, tmp_path: Path) -> None:
    (site_src / "pages" / "extra.md").write_text(GOOD_FRONT_MATTER)
    render_pages(load_content(site_src), docs=tmp_path, root=site_src)
    text = (tmp_path / "extra.md").read_text()
    assert "**Page version 1.0**" in text
    assert "**Owner:** Pharmacy (Fixture Pharmacy, Fixture Hospital)" in text
    assert '**Last reviewed:** <time datetime="2026-11-21">2026-11-21</time>' in text
    assert '**Next review due:** <time datetime="2027-11-21">2027-11-21</time>' in text
    assert "**Sources:** [Author 2020](references.md#seed-a)." in text
    assert "overdue" not in text


# --- Product pages against the core's products (issue 12, item 2) -------------------------------

@pytest.fixture
def real_site_src(tmp_path: Path) -> Path:
    """A copy of the real site_src/, to break one product figure in."""
    copy = tmp_path / "site_src"
    shutil.copytree(SITE_SRC, copy)
    return copy


def test_every_core_product_has_a_page_that_names_it() -> None:
    """Each product of calculators/products.py has a product page linked to it by
    ``core_product``, so that the build checks the page's figures against the core's."""
    named = [page.get("core_product") for page in load_content().products.values()]
    assert sorted(filter(None, named)) == sorted(PRODUCTS)


@pytest.mark.parametrize(("file", "old", "new", "field", "words"), [
    ("cytogam.yml", "2,500 mg nominal in 50 mL", "2,000 mg nominal in 50 mL", "presentations.0",
     "states 2,000 mg in 50 mL; calculators/products.py gives 2,500 mg for CytoGam"),
    ("cytogam.yml", "2,500 mg nominal in 50 mL", "2,000 mg nominal in 50 mL", "presentations",
     "no item states the vial of 50 mL, 2,500 mg that calculators/products.py gives"),
    ("cytogam.yml", "strength: 50 ± 10 mg/mL", "strength: 40 ± 10 mg/mL", "strength",
     "states 40 mg/mL; calculators/products.py gives 50 mg/mL for CytoGam"),
    ("cytogam.yml", "infusion above 150 mg/kg", "infusion above 200 mg/kg", "licensed_use",
     "a label maximum of 150 mg/kg per infusion"),
    ("cytogam.yml", "Never faster than 75 mL/h", "Never faster than 100 mL/h", "administration",
     "states 75, 100 mL/h; calculators/infusion.py gives 75 mL/h for CytoGam"),
    ("cytogam.yml", "30 mg/kg/h for 15 min", "30 mg/kg/h for 20 min", "administration",
     "states 15, 20, 30 min; calculators/infusion.py gives 15, 30 min"),
    ("cytogam.yml", "within 12 h", "within 24 h", "administration",
     "states 6, 24 h; calculators/infusion.py gives 6, 12 h"),
    ("cytotect-cp.yml", "  0.8 mL/kg/h", "  1.8 mL/kg/h", "administration",
     "states 0.08, 1.8 mL/kg/h; calculators/infusion.py gives 0.08, 0.8 mL/kg/h"),
    ("cytotect-cp.yml", "500 mg, 1,000 U", "500 mg, 1,500 U", "presentations.0",
     "states 1,500 U in 10 mL; calculators/products.py gives 1,000 U for Cytotect CP"),
    ("cytotect-cp.yml", "strength: 100 U/mL", "strength: 50 U/mL", "strength",
     "states 50 U/mL; calculators/products.py gives 100 U/mL"),
    ("cytotect-cp.yml", "core_product: cytotect-cp", "core_product: cytotect", "core_product",
     "'cytotect' is not a product of calculators/products.py"),
])
def test_a_product_page_that_differs_from_the_core_fails_naming_file_and_field(
        real_site_src: Path, file: str, old: str, new: str, field: str, words: str) -> None:
    _edit(real_site_src / "products" / file, old, new)
    problems = _problems(real_site_src)
    prefix = f"site_src/products/{file}: field '{field}': "
    assert any(p.startswith(prefix) and words in p for p in problems), problems
