"""The hazard log (site_src/hazards.yml) names only tests and code that exist.

A control is only worth listing if removing it makes a named test fail, so every test named must
be one pytest would collect (found by parsing the test files, as pytest does, without running
them; parametrised tests are named without their brackets), and every code location must be a
module with that function, class, method or module-level name.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from build_scripts.content import load_content
from tests.conftest import ROOT


def collected_tests(path: Path) -> set[str]:
    """The node ids of the test functions and methods in one test file (no parameters)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    prefix = path.relative_to(ROOT).as_posix()
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith(
                "test"):
            found.add(f"{prefix}::{node.name}")
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            found.update(f"{prefix}::{node.name}::{item.name}" for item in node.body
                         if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
                         and item.name.startswith("test"))
    return found


def python_names(tree: ast.Module) -> set[str]:
    """Functions, classes (with their methods as Class.method) and names assigned at top level."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.add(node.name)
            names.update(f"{node.name}.{item.name}" for item in node.body
                         if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)))
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def code_exists(location: str) -> bool:
    """``path`` or ``path::name``: the file exists and, if named, defines ``name``."""
    path_text, _, name = location.partition("::")
    path = ROOT / path_text
    if not path.is_file():
        return False
    if not name:
        return True
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        return name in python_names(ast.parse(text))
    return re.search(rf"\b(?:function\s+{name}|(?:const|let|var)\s+{name})\b", text) is not None


def named_in_the_log() -> tuple[set[str], set[str]]:
    tests: set[str] = set()
    code: set[str] = set()
    for hazard in load_content().hazards:
        for control in hazard.get("controls", []):
            tests.update(control["tests"])
            code.update(control["code"])
    return tests, code


def test_every_hazard_names_tests_that_exist() -> None:
    tests, _code = named_in_the_log()
    files = {test.partition("::")[0] for test in tests}
    existing = set().union(*(collected_tests(ROOT / f) for f in files if (ROOT / f).is_file()))
    assert tests, "the hazard log names no test"
    assert sorted(tests - existing) == []


def test_every_control_names_code_that_exists() -> None:
    _tests, code = named_in_the_log()
    assert sorted(location for location in code if not code_exists(location)) == []


def test_every_hazard_is_controlled_or_says_it_is_open() -> None:
    """Kept apart from the schema's anyOf so a hazard with neither fails with its id."""
    hazards = load_content().hazards
    assert [h["id"] for h in hazards if not h.get("controls") and not h.get("open")] == []
    assert [h["id"] for h in hazards] == sorted(h["id"] for h in hazards)


def test_the_collector_finds_functions_and_methods() -> None:
    """The check above is only as good as its collector: it must see what pytest sees."""
    folder = ROOT / "tests" / "build_scripts"
    found = collected_tests(folder / "test_hazards.py")
    assert "tests/build_scripts/test_hazards.py::test_every_hazard_names_tests_that_exist" in found
    assert not any(name.endswith("::collected_tests") for name in found)
    assert code_exists("calculators/renal.py::_find_row")
    assert code_exists("calculators/fields.py::NumberField.parse")
    assert code_exists("calculators/regimen_catalogue.py::REGIMENS")
    assert code_exists("site_src/javascripts/calculators.js::startEngine")
    assert not code_exists("calculators/renal.py::find_the_row")
    assert not code_exists("calculators/no_such_module.py")
