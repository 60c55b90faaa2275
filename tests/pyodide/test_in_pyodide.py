"""The golden cases inside real Pyodide (the pinned npm package, under Node.js).

The calculators wheel is built exactly as for the site and installed into Pyodide with pytest;
pytest then runs tests/calculators/test_golden.py there, and every golden case's answer from
Pyodide must equal CPython's exactly (result or error). pytest's wheels are pure Python, fetched
once from PyPI at the versions and sha256 hashes pinned in requirements.txt and kept in
.cache/pyodide-wheels/.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from build_scripts.wheel import build_wheel
from tests.conftest import ROOT
from tests.pyodide.answers import golden_answers

# Minutes long: scheduled first, so it does not finish last (tests/conftest.py).
pytestmark = pytest.mark.long

CACHE = ROOT / ".cache" / "pyodide-wheels"
TEST_PACKAGES = ("pytest", "pluggy", "iniconfig", "packaging", "pygments")


def _pinned(name: str) -> tuple[str, set[str]]:
    """``name==version`` as requirements.txt pins it, and the sha256 of each of its files."""
    text = (ROOT / "requirements.txt").read_text()
    # requirements.txt is pip-compile's output: "name==version \" followed by hash lines.
    match = re.search(rf"^{re.escape(name)}==([^\s\\]+)((?:\s*\\\n\s*--hash=sha256:\w+)*)",
                      text, re.MULTILINE | re.IGNORECASE)
    assert match, f"{name} is not pinned in requirements.txt"
    return f"{name}=={match.group(1)}", set(re.findall(r"sha256:(\w+)", match.group(2)))


def _key(wheel: Path) -> str:
    return wheel.name.split("-")[0].lower() + "==" + wheel.name.split("-")[1]


def _test_wheels() -> list[Path]:
    pins = dict(_pinned(name) for name in TEST_PACKAGES)
    wanted = {pin.lower(): hashes for pin, hashes in pins.items()}
    have = {_key(p) for p in CACHE.glob("*.whl")}
    if not wanted.keys() <= have:
        CACHE.mkdir(parents=True, exist_ok=True)
        hashed = CACHE / "requirements.txt"
        hashed.write_text("".join(f"{pin} " + " ".join(f"--hash=sha256:{h}" for h in sorted(hashes))
                                  + "\n" for pin, hashes in pins.items()))
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--require-hashes",
             "--only-binary=:all:", "--python-version", "3.14", "--implementation", "py",
             "--abi", "none", "--platform", "any", "--dest", str(CACHE), "-r", str(hashed)],
            check=True,
        )
    wheels = sorted(p for p in CACHE.glob("*.whl") if _key(p) in wanted)
    for wheel in wheels:  # pip checked them when it downloaded; check the cached copies too
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        assert digest in wanted[_key(wheel)], f"{wheel}: not a file requirements.txt pins"
    return wheels


@dataclass
class PyodideRun:
    process: subprocess.CompletedProcess[str]
    answers: Path


@pytest.fixture(scope="module")
def pyodide_run(tmp_path_factory: pytest.TempPathFactory) -> PyodideRun:
    scratch = tmp_path_factory.mktemp("pyodide")
    wheel = build_wheel(scratch / "wheel")
    answers = scratch / "answers.json"
    process = subprocess.run(
        ["node", str(ROOT / "tests" / "pyodide" / "run_in_pyodide.mjs"), str(ROOT),
         str(answers), str(wheel), *map(str, _test_wheels())],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    return PyodideRun(process, answers)


def test_golden_tests_pass_in_pyodide(pyodide_run: PyodideRun) -> None:
    done = pyodide_run.process
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert re.search(r"\d+ passed", done.stdout)


def test_pyodide_answers_equal_cpython(pyodide_run: PyodideRun) -> None:
    in_pyodide = json.loads(pyodide_run.answers.read_text())["answers"]
    in_cpython = golden_answers()
    assert in_pyodide.keys() == in_cpython.keys()
    for key, answer in in_cpython.items():
        assert in_pyodide[key] == answer, key
