"""Every golden case, per source, through the registry in CPython.

Files: tests/calculators/golden/<source-key>.json, one per source (format in golden/README.md).
The Pyodide run and the browser test read the same files, so CPython, Pyodide and the page are
held to the same numbers.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from calculators import settings
from calculators.errors import InputError
from calculators.presenters import explanation
from calculators.registry import CALCULATORS, evaluate, run
from calculators.sources import SOURCES
from tests.conftest import GOLDEN, golden_cases, golden_key


def _cases() -> list[Any]:
    return [pytest.param(case, id=golden_key(source, case)) for source, case in golden_cases()]


def subset_mismatch(expected: Any, actual: Any, where: str = "result") -> str | None:
    """None if ``expected`` matches ``actual`` as described in golden/README.md, else where not."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{where}: expected an object, got {actual!r}"
        for key, value in expected.items():
            if key not in actual:
                return f"{where}.{key}: missing"
            problem = subset_mismatch(value, actual[key], f"{where}.{key}")
            if problem:
                return problem
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return f"{where}: expected {len(expected)} items, got {actual!r}"
        for index, (e, a) in enumerate(zip(expected, actual, strict=True)):
            problem = subset_mismatch(e, a, f"{where}[{index}]")
            if problem:
                return problem
        return None
    if expected != actual or type(expected) is bool and type(actual) is not bool:
        return f"{where}: expected {expected!r}, got {actual!r}"
    return None


def test_golden_files_are_well_formed() -> None:
    paths = sorted(GOLDEN.glob("*.json"))
    assert paths, "no golden files"
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["source"] == path.stem in SOURCES, path
        keys = [(case["calculator"], case["id"]) for case in data["cases"]]
        assert len(keys) == len(set(keys)), f"{path}: repeated case ids"
        for case in data["cases"]:
            assert case["calculator"] in CALCULATORS, f"{path}: {case['id']}"
            assert case.get("quote"), f"{path}: {case['id']} must quote its source"
            assert ("expect" in case) != ("error" in case), f"{path}: {case['id']}"
            assert "explanation" not in case or "expect" in case, f"{path}: {case['id']}"


@pytest.mark.parametrize("case", _cases())
def test_golden_case(case: dict[str, Any]) -> None:
    chosen = settings.parse(case.get("settings", {}))
    if "error" in case:
        with pytest.raises(InputError) as caught:
            run(case["calculator"], case["input"], chosen)
        assert caught.value.field == case["error"]
    else:
        problem = subset_mismatch(case["expect"], run(case["calculator"], case["input"], chosen))
        assert problem is None, problem
    if "explanation" in case:
        # "How this was calculated", as the page shows it: the source's numbers in the formula.
        result, _ = evaluate(case["calculator"], case["input"], chosen)
        assert explanation(result) == case["explanation"]
