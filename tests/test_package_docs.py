"""Each package's docstring is its map: every module in it is listed there, once.

A newcomer reads ``calculators/__init__.py`` and ``build_scripts/__init__.py`` first; a module
missing from them is a room not on the plan.
"""

from __future__ import annotations

import pkgutil
import re
from types import ModuleType

import pytest

import build_scripts
import calculators


@pytest.mark.parametrize("package", [calculators, build_scripts], ids=lambda p: p.__name__)
def test_the_package_docstring_lists_every_module_once(package: ModuleType) -> None:
    modules = {f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__)}
    listed = re.findall(rf":mod:`({re.escape(package.__name__)}\.\w+)`", package.__doc__ or "")
    assert sorted(listed) == sorted(set(listed)), "a module is listed twice"
    command = {f"{package.__name__}.__main__"}  # described as ``python -m ...`` instead, if at all
    assert set(listed) - command == modules - command
