"""site_src/ validation: a bad file stops the build naming the file, the field and the problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_scripts.content import ContentError, load_content
from build_scripts.render import render_pages
from tests.conftest import ROOT

GOOD_FRONT_MATTER = """---
title: A page
summary: What it is.
owner: Pharmacy
last_reviewed: 2026-11-21
next_review: 2027-11-21
sources: [cytogam-label]
---
Body.
"""


@pytest.fixture
def site_src(tmp_path: Path) -> Path:
    copy = tmp_path / "site_src"
    shutil.copytree(ROOT / "site_src", copy)
    return copy


def test_real_content_is_valid() -> None:
    content = load_content()
    assert {page.slug for page in content.pages} >= {"index", "prophylaxis"}


@pytest.mark.parametrize(
    ("front_matter_change", "field", "words"),
    [
        (("summary: What it is.\n", ""), "(top level)", "'summary' is a required property"),
        (("last_reviewed: 2026-11-21", "last_reviewed: last week"), "last_reviewed",
         "does not match"),
        (("owner: Pharmacy\n", "owner: Pharmacy\ncolour: blue\n"), "(top level)",
         "'colour' was unexpected"),
        (("[cytogam-label]", "[cytogam-lable]"), "sources.0",
         "'cytogam-lable' is not a source key"),
        (("next_review: 2027-11-21", "next_review: 2025-01-01"), "next_review",
         "before 'last_reviewed'"),
    ],
)
def test_bad_front_matter_names_file_and_field(
    site_src: Path, front_matter_change: tuple[str, str], field: str, words: str
) -> None:
    old, new = front_matter_change
    (site_src / "pages" / "bad.md").write_text(GOOD_FRONT_MATTER.replace(old, new))
    with pytest.raises(ContentError) as caught:
        load_content(site_src)
    (problem,) = caught.value.problems
    assert problem.startswith("site_src/pages/bad.md: ")
    assert f"field '{field}'" in problem
    assert words in problem


def test_every_problem_is_reported_at_once(site_src: Path) -> None:
    (site_src / "pages" / "one.md").write_text("no front matter")
    (site_src / "pages" / "two.md").write_text(GOOD_FRONT_MATTER.replace("title: A page\n", ""))
    (site_src / "config.yml").write_text("institution: ''\ndepartment: x\ncontact: y\n")
    with pytest.raises(ContentError) as caught:
        load_content(site_src)
    files = sorted({problem.split(":")[0] for problem in caught.value.problems})
    assert files == ["site_src/config.yml", "site_src/pages/one.md", "site_src/pages/two.md"]


def test_calculator_settings_are_checked_by_the_core(site_src: Path) -> None:
    config = (site_src / "config.yml").read_text()
    (site_src / "config.yml").write_text(config.replace(
        "  # custom_product:\n",
        "  custom_product: {name: X, mg_per_ml: 50, vial_ml: [1, 2, 3, 4]}\n"))
    with pytest.raises(ContentError) as caught:
        load_content(site_src)
    (problem,) = caught.value.problems
    assert problem.startswith(
        "site_src/config.yml: field 'calculator_settings.custom_product.vial_ml'")


def test_undefined_template_variable_fails_the_build(site_src: Path, tmp_path: Path) -> None:
    (site_src / "pages" / "typo.md").write_text(GOOD_FRONT_MATTER + "{{ config.instituton }}\n")
    with pytest.raises(Exception, match="instituton"):
        render_pages(load_content(site_src), docs=tmp_path, root=site_src)


def test_rendered_page_carries_review_dates_and_sources(site_src: Path, tmp_path: Path) -> None:
    (site_src / "pages" / "extra.md").write_text(GOOD_FRONT_MATTER)
    render_pages(load_content(site_src), docs=tmp_path, root=site_src)
    text = (tmp_path / "extra.md").read_text()
    assert "Last reviewed 2026-11-21; next review due 2027-11-21." in text
    assert "CytoGam prescribing information" in text
