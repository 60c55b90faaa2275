"""Lint and type checks as tests: ruff and mypy --strict must report nothing.

Rule selection, line length and mypy's files live in pyproject.toml ([tool.ruff], [tool.mypy]).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from build_scripts.chromium import CHROMIUM, CHROMIUM_FLAGS
from tests.conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True,
                          check=False)


def test_ruff_reports_nothing() -> None:
    done = _run("ruff", "check", "calculators", "build_scripts", "tools", "tests")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_reports_nothing() -> None:
    done = _run("mypy", "--strict")
    assert done.returncode == 0, done.stdout + done.stderr


# --- The core's shape: no hidden state, no import cycles (issue 12) -----------------------------

CORE = ROOT / "calculators"
# Methods that change a list, dict or set in place.
_MUTATING = {"append", "extend", "insert", "remove", "pop", "popitem", "clear", "update",
             "setdefault", "add", "discard", "sort", "reverse", "__setitem__", "__delitem__"}


def _modules(package: Path) -> dict[str, ast.Module]:
    """Each module of ``package`` by dotted name (``calculators.vials``), parsed."""
    return {f"{package.name}.{path.stem}": ast.parse(path.read_text(encoding="utf-8"), str(path))
            for path in sorted(package.glob("*.py"))}


def _is_constant_name(name: str) -> bool:
    """UPPER_CASE (a leading underscore allowed) or a dunder."""
    return re.fullmatch(r"_?[A-Z][A-Z0-9_]*|__\w+__", name) is not None


def _is_type_alias(name: str, value: ast.expr | None) -> bool:
    """A CapWords name bound to a type (``AnyField = NumberField | ChoiceField``)."""
    return re.fullmatch(r"[A-Z][a-z]\w*", name) is not None and isinstance(
        value, (ast.Name, ast.Attribute, ast.Subscript, ast.BinOp))


def _constant_named(node: ast.expr) -> bool:
    """``NAME`` or ``module.NAME`` with a constant's name (what a mutation would be aimed at)."""
    if isinstance(node, ast.Name):
        return _is_constant_name(node.id)
    return isinstance(node, ast.Attribute) and _is_constant_name(node.attr)


def _state_problems(modules: dict[str, ast.Module]) -> list[str]:
    """Where ``modules`` break the rule of :func:`test_the_core_keeps_no_module_state`."""
    problems = []
    for module, tree in modules.items():
        for node in ast.walk(tree):
            where = f"{module}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, (ast.Global, ast.Nonlocal)):
                problems.append(f"{where}: {type(node).__name__.lower()} {', '.join(node.names)}")
            targets: list[ast.expr] = []
            if isinstance(node, (ast.Assign, ast.Delete)):
                targets = node.targets
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            for target in targets:
                if isinstance(target, ast.Subscript) and _constant_named(target.value) or \
                        isinstance(node, ast.AugAssign) and _constant_named(target):
                    problems.append(f"{where}: changes {ast.unparse(target)}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in _MUTATING and _constant_named(node.func.value):
                problems.append(f"{where}: changes {ast.unparse(node.func.value)} "
                                f"({node.func.attr})")
        for statement in tree.body:
            if isinstance(statement, ast.Assign):
                bound = statement.targets
            elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
                bound = [statement.target]
            else:
                continue
            for target in bound:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name) and not _is_constant_name(name.id) \
                            and not _is_type_alias(name.id, statement.value):
                        problems.append(f"{module}:{statement.lineno}: module variable "
                                        f"'{name.id}' (a constant needs an UPPER_CASE name)")
    return problems


def test_the_core_keeps_no_module_state() -> None:
    """``calculators/`` holds no state that changes between calls: settings and everything else
    are passed as values. The rule, checked on the syntax tree of every module:

    - no ``global`` or ``nonlocal`` statement anywhere;
    - every module-level assignment binds a constant by its name (UPPER_CASE, optionally with a
      leading underscore, or a dunder such as ``__all__``) or is a type alias (a CapWords name
      bound to a type expression), so a module variable such as ``_current = Settings()`` is
      refused;
    - no such constant is changed after it is made, anywhere in the package: no item or slice
      assignment or deletion, no augmented assignment, no call of a method that changes a list,
      dict or set in place (``append``, ``update``, ``add``, ...), on ``NAME`` or
      ``module.NAME``.

    Tables built once at import (``PRODUCTS``, ``REGIMENS``, ``CALCULATORS``) are constants by
    this rule: made once, read ever after.
    """
    problems = _state_problems(_modules(CORE))
    assert problems == [], "\n".join(problems)


def test_the_state_rule_finds_each_kind_of_state() -> None:
    state = ast.parse(
        "TABLE = {}\n__all__ = ['f']\nAnyField = int | str\n_current = None\n"
        "Current = dict()\n"
        "def f():\n    global _current\n    TABLE['x'] = 1\n    del TABLE['x']\n"
        "    TABLE.update(x=1)\n    other.TABLE.append(1)\n    __all__.append('g')\n"
        "    local = []\n    local.append(1)\n    local[0] = 2\n"
        "COUNT = 0\nCOUNT += 1\n")
    assert sorted(_state_problems({"m": state})) == sorted([
        "m:7: global _current", "m:8: changes TABLE['x']", "m:9: changes TABLE['x']",
        "m:10: changes TABLE (update)", "m:11: changes other.TABLE (append)",
        "m:12: changes __all__ (append)", "m:17: changes COUNT",
        "m:4: module variable '_current' (a constant needs an UPPER_CASE name)",
        "m:5: module variable 'Current' (a constant needs an UPPER_CASE name)"])


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle in ``graph`` (module -> modules it imports), or None."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return [*path[path.index(module):], module]
        if module in done:
            return None
        for imported in sorted(graph[module]):
            cycle = visit(imported, [*path, module])
            if cycle:
                return cycle
        done.add(module)
        return None

    for module in sorted(graph):
        cycle = visit(module, [])
        if cycle:
            return cycle
    return None


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


# Every package of the project: the core, the generator (with build_scripts.hosting), the tools.
PACKAGES = ("calculators", "build_scripts", "tools")


def _package_modules(top: str) -> dict[str, tuple[bool, ast.Module]]:
    """Every module under the package folder ``top``, sub-packages included, by dotted name (a
    package's ``__init__`` by the package's own name), with whether it is a package, parsed."""
    found = {}
    for path in sorted((ROOT / top).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        is_package = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if is_package else parts)
        found[name] = (is_package, ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return found


def _import_graph(modules: dict[str, tuple[bool, ast.Module]]) -> dict[str, set[str]]:
    """Module -> the modules of ``modules`` it imports, at its top or inside a function, with
    relative imports resolved (``from ..paths import x`` in ``build_scripts.hosting.serve`` is
    ``build_scripts.paths``). A module's own parent packages are left out: ``from . import x``
    names the package too, and importing it is the package's own doing, not a cycle."""
    graph = {}
    for name, (is_package, tree) in modules.items():
        here = name.split(".") if is_package else name.split(".")[:-1]
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = here[:len(here) - (node.level - 1)]
                    base = ".".join([*anchor, *([node.module] if node.module else [])])
                found.add(base)
                found |= {f"{base}.{alias.name}" for alias in node.names}
        parents = {".".join(name.split(".")[:end]) for end in range(1, name.count(".") + 1)}
        graph[name] = (found & set(modules)) - {name} - parents
    return graph


def test_cycle_finder_resolves_nested_relative_imports() -> None:
    modules = {
        "pkg": (True, ast.parse("")),
        "pkg.a": (False, ast.parse("from .sub.b import x\nfrom . import c")),
        "pkg.c": (False, ast.parse("")),
        "pkg.sub": (True, ast.parse("")),
        "pkg.sub.b": (False, ast.parse("def f():\n    from ..a import y\nfrom .. import c")),
    }
    graph = _import_graph(modules)
    assert graph["pkg.a"] == {"pkg.sub.b", "pkg.c"}
    assert graph["pkg.sub.b"] == {"pkg.a", "pkg.c"}
    assert _cycle(graph) == ["pkg.a", "pkg.sub.b", "pkg.a"]


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycles(package: str) -> None:
    """No module of ``calculators/``, ``build_scripts/`` (``build_scripts/hosting/`` included)
    or ``tools/`` imports, directly or through others, a module that imports it back, counting
    imports inside functions and under ``TYPE_CHECKING`` too (a deferred import hides a cycle;
    it does not remove it). A package's ``__init__`` counts as the package."""
    cycle = _cycle(_import_graph(_package_modules(package)))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_packages_depend_one_way() -> None:
    """The core needs neither the generator nor the tools, and the generator does not need the
    tools: calculators <- build_scripts <- tools, so there is no cycle between packages either."""
    graph = _import_graph({name: module for package in PACKAGES
                           for name, module in _package_modules(package).items()})
    below = {"calculators": ("build_scripts", "tools"), "build_scripts": ("tools",), "tools": ()}
    wrong = sorted(f"{module} imports {imported}" for module, imports in graph.items()
                   for imported in imports
                   if imported.split(".")[0] in below[module.split(".")[0]])
    assert wrong == []


def _own_names(tree: ast.Module) -> set[str]:
    """Every name a module defines: functions, classes, methods, variables, attributes."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
    return names


def _private_uses(modules: dict[str, tuple[bool, ast.Module]]) -> list[str]:
    """Where a module reaches into another's privates: ``from x import _name``, or
    ``something._name`` where the module does not define ``_name`` itself (dunders such as
    ``__name__`` are public)."""
    problems = []
    for name, (_is_package, tree) in modules.items():
        own = _own_names(tree)
        for node in ast.walk(tree):
            line = f"{name}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.ImportFrom):
                problems += [f"{line}: imports {alias.name}" for alias in node.names
                             if alias.name.startswith("_") and not alias.name.endswith("__")]
            elif (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                  and not node.attr.endswith("__") and node.attr not in own):
                problems.append(f"{line}: uses .{node.attr}")
    return problems


def test_no_private_calls_across_modules() -> None:
    """A leading underscore means "this module's own": no module of the project calls, or
    imports, another's private function or method (``fallback.py`` once called
    ``site._render``)."""
    problems = _private_uses({name: module for package in PACKAGES
                              for name, module in _package_modules(package).items()})
    assert problems == [], "\n".join(problems)


def test_the_private_rule_finds_each_kind_of_use() -> None:
    tree = ast.parse("from .render import _render, __version__\nsite._render('x')\n"
                     "class A:\n    def _need(self): return self._cache\n"
                     "A._cache = {}\nA()._need()\nmodule.__name__\n")
    assert _private_uses({"m": (False, tree)}) == ["m:1: imports _render", "m:2: uses ._render"]


# --- Rules as data on the thing they belong to, not tests of its name (issue 12, item 2) --------

def _id_comparisons(trees: dict[str, ast.Module]) -> list[str]:
    """Each place that compares an ``.id`` with a literal text (``drug.id == "cytogam"``)."""
    found = []
    for module, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Compare):
                continue
            sides = [node.left, *node.comparators]
            if (any(isinstance(side, ast.Attribute) and side.attr == "id" for side in sides)
                    and any(isinstance(side, ast.Constant) and isinstance(side.value, str)
                            for side in sides)):
                found.append(f"{module}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_the_core_tests_no_product_or_regimen_by_its_id() -> None:
    """What differs between products, prophylaxis schedules or regimens (a note, a leeway, the
    source's words on vials) is data on each of them, so that adding one never means finding
    the places that test another's id."""
    problems = _id_comparisons(_modules(CORE))
    assert problems == [], "\n".join(problems)


def test_the_id_rule_finds_an_id_test() -> None:
    tree = ast.parse('if drug.id == "cytogam":\n    pass\nok = drug.id == other.id\n'
                     'fine = name == "cytogam"\n')
    assert _id_comparisons({"m": tree}) == ['m:1: drug.id == "cytogam"'.replace('"', "'")]


# --- Tests share code through helpers, never through each other (issue 12, item 7) --------------

def _python_files() -> list[Path]:
    """Every Python file of the repository, committed or not (git's ignore rules apply)."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard",
                             "*.py"], cwd=ROOT, capture_output=True, text=True, check=True)
    return [ROOT / name for name in sorted(set(listed.stdout.split()))
            if (ROOT / name).is_file()]


def _restated_browser(trees: dict[str, ast.Module], owner: str) -> list[str]:
    """Where a module other than ``owner`` writes Chromium's path or one of its flags in a string
    (a restatement that would drift from ``build_scripts.chromium``)."""
    problems = []
    for name, tree in trees.items():
        if name == owner:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                    CHROMIUM in node.value or set(node.value.split()) & set(CHROMIUM_FLAGS)):
                problems.append(f"{name}:{node.lineno}: {node.value[:60]!r}")
    return problems


def test_chromium_and_its_flags_are_written_once() -> None:
    """Debian's Chromium path and the team's flags live in ``build_scripts/chromium.py`` alone:
    the browser tests, the screenshots and the benchmark import them from there."""
    import build_scripts.chromium

    owner = Path(build_scripts.chromium.__file__).resolve().relative_to(ROOT).as_posix()
    trees = {path.relative_to(ROOT).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
             for path in _python_files()}
    assert owner in trees
    problems = _restated_browser(trees, owner)
    assert problems == [], "\n".join(problems)


def test_the_browser_rule_finds_a_restated_flag() -> None:
    # Built from the real values, so that this file does not restate them itself.
    first, last = CHROMIUM_FLAGS[0], CHROMIUM_FLAGS[-1]
    trees = {"a.py": ast.parse(f"FLAGS = [{first!r}, {last!r}]\n"),
             "b.py": ast.parse(f"launch({CHROMIUM!r}, args={'--x ' + last!r})\n"),
             "c.py": ast.parse("launch('/usr/bin/other', args=['--x'])\n"),
             "owner.py": ast.parse(f"CHROMIUM = {CHROMIUM!r}\n")}
    assert _restated_browser(trees, "owner.py") == [
        f"a.py:1: {first!r}", f"a.py:1: {last!r}", f"b.py:1: {CHROMIUM!r}",
        f"b.py:1: {'--x ' + last!r}"]


def _test_module_imports(name: str, tree: ast.Module) -> list[str]:
    """The ``test_*`` modules that module ``name`` (dotted) imports."""
    package = name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from .test_x import y / from . import test_x
                parent = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            imported = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        found += [module for module in imported
                  if module.rpartition(".")[2].startswith("test_")]
    return found


def test_no_test_module_imports_another() -> None:
    """What tests share lives in a helper module (``tests/e2e/helpers.py``,
    ``tests/build_scripts/fallback_tables.py``, ``tests/conftest.py``), never in a test module:
    importing one runs its module-level code again under another name and ties two tests'
    changes together."""
    problems = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for imported in _test_module_imports(name, ast.parse(path.read_text(encoding="utf-8"))):
            problems.append(f"{path.relative_to(ROOT)} imports {imported}")
    assert problems == [], "\n".join(problems)


def test_the_import_rule_finds_every_form() -> None:
    tree = ast.parse("import tests.e2e.test_a\nfrom tests.e2e.test_b import X\n"
                     "from tests.e2e import test_c\nfrom .test_d import Y\nfrom . import test_e\n"
                     "from tests.e2e.helpers import fill_form\nfrom .helpers import Z\n")
    assert _test_module_imports("tests.e2e.test_z", tree) == [
        "tests.e2e.test_a", "tests.e2e.test_b", "tests.e2e.test_c", "tests.e2e.test_d",
        "tests.e2e.test_e"]
