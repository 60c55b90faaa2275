"""The calculators wheel: pure Python, standard library only, byte-identical between builds."""

from __future__ import annotations

import ast
import hashlib
import json
import sys
import zipfile
from pathlib import Path

from build_scripts.wheel import build_wheel, publish_wheel
from tests.conftest import ROOT


def test_wheel_is_reproducible(tmp_path: Path) -> None:
    first = build_wheel(tmp_path / "one")
    second = build_wheel(tmp_path / "two")
    assert first.name == second.name
    assert first.name.endswith("-py3-none-any.whl")
    assert first.read_bytes() == second.read_bytes()
    names = zipfile.ZipFile(first).namelist()
    assert "calculators/prophylaxis.py" in names
    assert not [n for n in names if n.endswith(".pyc")]  # Pyodide compiles for its own Python


def test_core_imports_only_the_standard_library() -> None:
    for path in (ROOT / "calculators").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules = [node.module or ""]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                assert top in sys.stdlib_module_names or top == "calculators", (path.name, module)


def test_published_wheel_and_its_lock_sit_in_a_folder_named_for_its_hash(tmp_path: Path) -> None:
    wheel, lock = publish_wheel(tmp_path)
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert wheel.parent == lock.parent == tmp_path / digest[:12]
    assert lock.name == "pyodide-lock.json"
    entry = json.loads(lock.read_text())["packages"]["calculators"]
    assert (entry["file_name"], entry["sha256"]) == (wheel.name, digest)
    # The same sources, the same folder: a rebuild does not change a cached URL.
    assert publish_wheel(tmp_path) == [wheel, lock]
    assert [p.name for p in tmp_path.iterdir()] == [digest[:12]]
