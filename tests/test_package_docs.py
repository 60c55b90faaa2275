"""Each package's docstring is its map: every module in it is listed there, once.

A newcomer reads ``calculators/__init__.py``, ``build_scripts/__init__.py`` and ``tools/`` first;
a module missing from them is a room not on the plan. Every package of the tree is checked (a
sub-package is a module of its parent, and has its own map), found by walking the top-level
packages, so a new package cannot be left out.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from types import ModuleType

import pytest

import build_scripts
import calculators
import tools

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
