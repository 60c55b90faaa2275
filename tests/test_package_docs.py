"""Each package's docstring is its map: every module in it is listed there, once. And the
README's folder table ("How it fits together") is the map of the tree: it names every top-level
folder the repository tracks, every package, and every module and sub-package of each package in
that package's own row.

A newcomer reads ``calculators/__init__.py``, ``build_scripts/__init__.py`` and ``tools/`` first;
a module missing from them is a room not on the plan. Every package of the tree is checked (a
sub-package is a module of its parent, and has its own map), found by walking the top-level
packages, so a new package cannot be left out.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

import build_scripts
import calculators
import tools
from tests.conftest import ROOT

TOP_LEVEL = (calculators, build_scripts, tools)


def _packages() -> list[ModuleType]:
    """Every package of the tree: the top-level ones and every sub-package under them."""
    found = list(TOP_LEVEL)
    for top in TOP_LEVEL:
        for info in pkgutil.walk_packages(top.__path__, prefix=f"{top.__name__}."):
            if info.ispkg:
                found.append(importlib.import_module(info.name))
    return found


def _listing_problems(package: ModuleType) -> list[str]:
    """The modules of ``package`` its docstring does not list (or lists twice, or that are not
    there); ``__main__`` may be described as ``python -m ...`` instead."""
    modules = {f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__)}
    listed = re.findall(rf":mod:`({re.escape(package.__name__)}\.\w+)`", package.__doc__ or "")
    command = {f"{package.__name__}.__main__"}
    problems = [f"{name} listed twice" for name in sorted(set(listed)) if listed.count(name) > 1]
    problems += [f"{name} not listed" for name in sorted(modules - command - set(listed))]
    problems += [f"{name} listed but absent" for name in sorted(set(listed) - command - modules)]
    return problems


def test_every_package_is_checked() -> None:
    names = {package.__name__ for package in _packages()}
    assert {"calculators", "build_scripts", "build_scripts.hosting", "tools",
            "tools.bench"} <= names


@pytest.mark.parametrize("package", _packages(), ids=lambda p: p.__name__)
def test_the_package_docstring_lists_every_module_once(package: ModuleType) -> None:
    assert _listing_problems(package) == []


def test_the_listing_check_finds_a_missing_module() -> None:
    partial = ModuleType("build_scripts")
    partial.__path__ = build_scripts.__path__
    partial.__doc__ = "- :mod:`build_scripts.render` and :mod:`build_scripts.render` and " \
                      ":mod:`build_scripts.gone`"
    problems = _listing_problems(partial)
    assert "build_scripts.render listed twice" in problems
    assert "build_scripts.content not listed" in problems
    assert "build_scripts.hosting not listed" in problems
    assert "build_scripts.gone listed but absent" in problems


# -- the README's folder table ----------------------------------------------------------------
README_SECTION = "## How it fits together"
# Generated, not kept: a row in the table, though git tracks nothing in it.
GENERATED_FOLDERS = {"docs"}


def _folder_rows(readme: str) -> dict[str, str]:
    """The folder table's rows: ``folder/`` (without the slash) -> the row's text."""
    section = readme[readme.index(README_SECTION):]
    section = section[:section.index("\n#", len(README_SECTION))]
    return {match["folder"]: match["text"] for match in re.finditer(
        r"^\| `(?P<folder>[\w/.-]+)/` \| (?P<text>.*) \|$", section, re.MULTILINE)}


def _row_problems(rows: dict[str, str], package: ModuleType) -> list[str]:
    """What the package's row leaves out: the row itself, or a module (``name.py``) or
    sub-package (``name/``) of the package, each named in backticks (``__main__.py`` may be
    named as ``python -m package`` instead)."""
    folder = package.__name__.replace(".", "/")
    if folder not in rows:
        return [f"no row for `{folder}/`"]
    text = rows[folder]
    problems = []
    for module in pkgutil.iter_modules(package.__path__):
        name = f"`{module.name}/`" if module.ispkg else f"`{module.name}.py`"
        if module.name == "__main__" and f"python -m {package.__name__}`" in text:
            continue
        if name not in text:
            problems.append(f"`{folder}/` does not name {name}")
    return problems


def test_the_readme_table_names_every_package_and_its_modules() -> None:
    rows = _folder_rows((ROOT / "README.md").read_text(encoding="utf-8"))
    problems = [problem for package in _packages() for problem in _row_problems(rows, package)]
    assert problems == []


def test_the_readme_table_names_every_top_level_folder() -> None:
    rows = _folder_rows((ROOT / "README.md").read_text(encoding="utf-8"))
    done = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        pytest.skip(f"not a git checkout: {done.stderr.strip()}")
    tracked = {Path(name).parts[0] for name in done.stdout.splitlines() if "/" in name}
    folders = {name for name in tracked if not name.startswith(".")} | GENERATED_FOLDERS
    assert sorted(folders - set(rows)) == []
    assert sorted(name for name in rows if "/" not in name and name not in folders) == []


def test_the_table_check_finds_what_is_missing() -> None:
    rows = _folder_rows(f"{README_SECTION}\n\n| folder | what |\n|---|---|\n"
                        "| `build_scripts/` | `build.py` and `hosting/`, by `python -m "
                        "build_scripts` |\n\n## Next\n| `tools/` | not in the section |\n")
    assert set(rows) == {"build_scripts"}
    problems = _row_problems(rows, build_scripts)
    assert "`build_scripts/` does not name `content.py`" in problems
    assert not any("`build.py`" in p or "`hosting/`" in p or "__main__" in p for p in problems)
    assert _row_problems(rows, tools) == ["no row for `tools/`"]
