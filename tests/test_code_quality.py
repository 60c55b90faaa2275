"""Lint and type checks as tests: ruff and mypy --strict must report nothing.

Rule selection, line length and mypy's files live in pyproject.toml ([tool.ruff], [tool.mypy]).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from build_scripts.chromium import CHROMIUM, CHROMIUM_FLAGS
from tests.conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True,
                          check=False)


def test_ruff_reports_nothing() -> None:
    done = _run("ruff", "check", "calculators", "build_scripts", "tests")
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


def _imports(module: str, tree: ast.Module, package: str, modules: set[str]) -> set[str]:
    """The modules of ``package`` that ``module`` imports, at its top or inside a function."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from . import x / from .x import y
                base = ".".join([package, *([node.module] if node.module else [])])
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return (found & modules) - {module}


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


def test_no_import_cycles_in_the_core() -> None:
    """No module of ``calculators/`` imports, directly or through others, a module that imports
    it back, counting imports inside functions too (a deferred import hides a cycle; it does
    not remove it). The package's ``__init__`` counts as ``calculators``."""
    trees = _modules(CORE)
    names = {module.removesuffix(".__init__") for module in trees}
    graph = {module.removesuffix(".__init__"):
             _imports(module.removesuffix(".__init__"), tree, CORE.name, names)
             for module, tree in trees.items()}
    # `from . import x` names the package too; that is the package's own doing, not a cycle.
    graph = {module: imported - {CORE.name} if module != CORE.name else imported
             for module, imported in graph.items()}
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


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
