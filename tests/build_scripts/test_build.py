"""The whole build of the small fixture site (``python -m build_scripts --project``), and the
review-date governance: an overdue review warns, and fails the build with the setting."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from build_scripts.build import docs_lock
from build_scripts.content import ContentError, load_content
from build_scripts.governance import check_reviews, overdue_reviews
from build_scripts.theme_markup import valid_theme_toggles
from build_scripts.web_files import WEB_FOLDERS
from tests.build_scripts.fixture_project import make_project, make_site_src
from tests.conftest import ROOT

# Minutes long: scheduled first, so it does not finish last (tests/conftest.py).
pytestmark = pytest.mark.long


def _build(project: Path, site: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "build_scripts", "--project", str(project),
         "--site-dir", str(site), *extra],
        cwd=ROOT, capture_output=True, text=True,
    )


@pytest.fixture(scope="module")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The fixture site, built as if on 2027-06-01: every page's review (2027-01-01) is due."""
    where = tmp_path_factory.mktemp("fixture")
    project = make_project(where)
    done = _build(project, where / "site", "--today", "2027-06-01")
    assert done.returncode == 0, done.stderr
    return where / "site", done.stderr


def test_overdue_review_warns_and_the_page_says_so(fixture_build: tuple[Path, str]) -> None:
    site, stderr = fixture_build
    warnings = [line for line in stderr.splitlines() if line.startswith("WARNING: overdue")]
    assert len(warnings) == 3
    assert ("WARNING: overdue review: site_src/pages/evidence.md: field 'next_review': review was "
            "due 2027-01-01 (page owner: Evidence owner; review owner: Fixture review lead)"
            in warnings)
    assert "(review overdue: tell Fixture review lead)" in (site / "index.html").read_text()


def test_overdue_review_fails_the_build_with_the_setting(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    config = project / "site_src" / "config.yml"
    config.write_text(config.read_text().replace("fail_on_overdue_review: false",
                                                 "fail_on_overdue_review: true"))
    done = _build(project, tmp_path / "site", "--today", "2027-06-01")
    assert done.returncode == 1
    assert "site_src/pages/index.md: field 'next_review': review was due 2027-01-01" in done.stderr
    assert "fail_on_overdue_review: true" in done.stderr
    assert not (tmp_path / "site").exists()
    # Reviews not yet due: the same project builds.
    assert check_reviews(load_content(project / "site_src"), date(2026, 6, 1)) == []


def test_governance_functions(tmp_path: Path) -> None:
    content = load_content(make_site_src(tmp_path))
    assert overdue_reviews(content, date(2027, 1, 1)) == []  # due on the day, not overdue
    assert len(overdue_reviews(content, date(2027, 1, 2))) == 3
    strict = replace(content, config={**content.config, "fail_on_overdue_review": True})
    with pytest.raises(ContentError, match="review was due"):
        check_reviews(strict, date(2027, 1, 2))


def test_fixture_site_has_everything(fixture_build: tuple[Path, str]) -> None:
    site, _ = fixture_build
    evidence = (site / "evidence" / "index.html").read_text()
    for value in ("Writer/1999", "Other/2001", "Fixture outcome beta", "Third/2003"):
        assert value in evidence
    assert '<img src="../assets/charts/fixture-case.svg"' in evidence
    assert (site / "assets" / "charts" / "fixture-case.svg").is_file()
    assert (site / "assets" / "vendor" / "tablesort" / "tablesort.min.js").is_file()
    # Abbreviations from the glossary on hover, in Markdown text and in the generated HTML.
    assert '<abbr title="fixture term">FXT</abbr>' in evidence
    assert '<abbr title="cytomegalovirus">CMV</abbr>' in (site / "index.html").read_text()
    # No snippet folder, no leftover of the generator's hand-over to the builder.
    assert not (site / "includes").exists()
    assert not (site / "mkdocs.generated.yml").exists()
    for page in ("references", "glossary", "changelog", "print_page"):
        assert (site / page / "index.html").is_file(), page
    print_page = (site / "print_page" / "index.html").read_text()
    assert "Writer/1999" in print_page and "Fixture unverified fact" in print_page
    assert "For healthcare professionals at Fixture Hospital." in evidence


def test_docs_is_wholly_generated(fixture_build: tuple[Path, str]) -> None:
    """The project starts without ``docs/`` (as a clean clone does): the build makes every file
    in it, the hand-written scripts and styles copied byte for byte from ``site_src/``, and lists
    each in ``docs/.generated``, so the next build removes it first."""
    site, _ = fixture_build
    project = site.parent / "project"
    docs = project / "docs"
    listed = set((docs / ".generated").read_text().split())
    made = {path.relative_to(project).as_posix() for path in docs.rglob("*") if path.is_file()}
    assert made - {"docs/.generated"} <= listed
    copied = 0
    for folder in WEB_FOLDERS:
        for source in sorted((project / "site_src" / folder).rglob("*")):
            if source.is_file():
                relative = source.relative_to(project / "site_src")
                assert (docs / relative).read_bytes() == source.read_bytes()
                assert f"docs/{relative.as_posix()}" in listed
                assert (site / relative).read_bytes() == source.read_bytes()
                copied += 1
    assert copied >= 16  # 12 scripts, 4 stylesheets


def test_git_tracks_nothing_in_docs() -> None:
    """Every hand-written web file lives in ``site_src/``; ``docs/`` is the build's alone."""
    done = subprocess.run(["git", "ls-files", "docs"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        pytest.skip(f"not a git checkout: {done.stderr.strip()}")
    assert done.stdout == ""


def test_theme_toggles_lose_autocomplete_only() -> None:
    page = ('<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer"'
            ' autocomplete="off"><input type="text" autocomplete="off">')
    assert valid_theme_toggles(page) == (
        '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">'
        '<input type="text" autocomplete="off">')


def test_builds_of_one_project_take_turns(tmp_path: Path) -> None:
    """A build holds docs_lock (build_site): another build, or a reader, of the same project's
    docs/ waits for it; readers share."""
    def try_lock(kind: int) -> bool:
        other = os.open(tmp_path / "docs", os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(other, kind | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False
        finally:
            os.close(other)

    with docs_lock(tmp_path):
        assert not try_lock(fcntl.LOCK_EX) and not try_lock(fcntl.LOCK_SH)
    with docs_lock(tmp_path, shared=True):
        assert try_lock(fcntl.LOCK_SH) and not try_lock(fcntl.LOCK_EX)
    assert try_lock(fcntl.LOCK_EX)
