"""A small fixture site for the generator's tests (``fixtures/site_src``), beside the real
schemas, templates and theme, and a whole project folder that ``python -m build_scripts
--project`` can build."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import ROOT

FIXTURE = Path(__file__).parent / "fixtures" / "site_src"


def make_site_src(where: Path) -> Path:
    """``where/site_src``: the fixture content with the real schemas, templates, theme and
    hand-written scripts and styles."""
    site_src = where / "site_src"
    shutil.copytree(FIXTURE, site_src, ignore=shutil.ignore_patterns("README.md"))
    for shared in ("schemas", "templates", "theme", "javascripts", "stylesheets"):
        shutil.copytree(ROOT / "site_src" / shared, site_src / shared)
    return site_src


def make_project(where: Path) -> Path:
    """A project folder: mkdocs.yml and the fixture site_src/ (with the hand-written JS/CSS)."""
    project = where / "project"
    project.mkdir()
    make_site_src(project)
    shutil.copyfile(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project
