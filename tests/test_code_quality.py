"""Lint and type checks as tests: ruff and mypy --strict must report nothing.

Rule selection, line length and mypy's files live in pyproject.toml ([tool.ruff], [tool.mypy]).
"""

from __future__ import annotations

import subprocess
import sys

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
