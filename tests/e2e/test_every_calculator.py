"""Every calculator form on the site computes in the browser what the CPython core computes.

Each calculator's example input (declared with the calculator) fills its form on the guidance
page it lives on, is submitted, and the page's answer box must read as the core's answer
(``calculators.registry.run_shown``), line for line; for the calculators below, the core's key
figure, read from its result, must be in the page as well. No console errors, no request leaving
the site. A new calculator is covered by its example alone: nothing here lists every calculator.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page

from calculators import run
from calculators.display import duration
from calculators.registry import CALCULATORS, run_shown
from tests.e2e.helpers import Watch, assert_clean, example, fill_form, on_both_builds

# Tests here need no fresh browser: they share the worker's warm context (e2e/conftest.py).
pytestmark = pytest.mark.browser_context("warm")


def shown(value: float | int) -> str:
    """A number as the page shows it (en-GB grouping, at most three decimals)."""
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return text


# Where the key figure of these calculators is in the core's result (each computed with its
# example input, declared with the calculator: calculators.Calculator.example). A check of the
# page against the result itself, apart from how the core words its answer.
KEY_FIGURES: dict[str, tuple[Any, ...]] = {
    "prophylaxis": ("doses", 0, "dose_mg"),
    "regimen": ("doses", 0, "dose_mg"),
    "criteria": (),
    "infusion": ("duration_min",),
    "units": ("mg",),
    "body-weight": ("adjbw_kg",),
    "crcl": ("crcl_ml_min_rounded",),
    "atg": ("group",),
    "viral-load": ("log10_display",),
}


def answer_lines(display: list[dict[str, Any]]) -> list[str]:
    """The lines of the core's answer box, as text (each part of a line is text or a figure)."""
    box = next(block for block in display if block.get("style") == "answer")
    return ["".join(part if isinstance(part, str) else part["text"] for part in line)
            for line in box["lines"]]


@on_both_builds
@pytest.mark.parametrize("name", list(CALCULATORS))
def test_form_computes_like_the_core(page: Page, watch: Watch, calculator_paths: dict[str, str],
                                     name: str) -> None:
    inputs, key = example(name), KEY_FIGURES.get(name, ())
    page.goto(calculator_paths[name])
    form = page.locator(f"form[data-calculator='{name}']")
    result = form.locator("[data-result]")
    fill_form(page, name, inputs)
    form.locator("[data-result][data-state=done]").wait_for()
    answer = form.locator(".cmvig-answer").inner_text().splitlines()
    assert [line for line in answer if line.strip()] == answer_lines(
        run_shown(name, inputs)["display"])
    expected: Any = run(name, inputs)
    for part in key:
        expected = expected[part]
    text = result.inner_text()
    if key == ("duration_min",):  # in hours and minutes (issue 15), not 202.8 minutes
        assert duration(Decimal(str(expected))) in text, (expected, text[:500])
    elif isinstance(expected, (int, float)) and not isinstance(expected, bool):
        assert shown(expected) in text, (shown(expected), text[:500])
    elif key:
        assert str(expected) in text
    assert_clean(watch)
