"""Every golden case's answer (result and what the page shows of it, or error), the same code in
CPython and in Pyodide."""

from __future__ import annotations

from typing import Any

from calculators import settings
from calculators.errors import InputError
from calculators.registry import run_shown
from tests.conftest import golden_cases, golden_key


def golden_answers() -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for source, case in golden_cases():
        chosen = settings.parse(case.get("settings", {}))
        try:
            answers[golden_key(source, case)] = {
                "ok": True, **run_shown(case["calculator"], case["input"], chosen)}
        except InputError as error:
            answers[golden_key(source, case)] = {"ok": False, "error": error.as_plain()}
    return answers
