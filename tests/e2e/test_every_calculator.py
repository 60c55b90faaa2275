"""Every calculator form on the site computes in the browser what the CPython core computes.

Each calculator's example input (declared with the calculator) fills its form on the guidance
page it lives on, is submitted, and the core's key figure must be in the page's answer; no
console errors, no request leaving the site.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page

from calculators import run
from calculators.display import duration
from calculators.registry import CALCULATORS
from tests.e2e.helpers import Watch, assert_clean, example, fill_form, on_both_builds

# Tests here need no fresh browser: they share the worker's warm context (e2e/conftest.py).
pytestmark = pytest.mark.browser_context("warm")


def shown(value: float | int) -> str:
    """A number as the page shows it (en-GB grouping, at most three decimals)."""
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return text


# Where each calculator's key figure is in the core's result (each is computed with its example
# input, declared with the calculator: calculators.Calculator.example).
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


def test_every_calculator_has_a_key_figure() -> None:
    assert set(KEY_FIGURES) == set(CALCULATORS)


@on_both_builds
@pytest.mark.parametrize("name", list(KEY_FIGURES))
def test_form_computes_like_the_core(page: Page, watch: Watch, calculator_paths: dict[str, str],
                                     name: str) -> None:
    inputs, key = example(name), KEY_FIGURES[name]
    page.goto(calculator_paths[name])
    form = page.locator(f"form[data-calculator='{name}']")
    result = form.locator("[data-result]")
    fill_form(page, name, inputs)
    form.locator("[data-result][data-state=done]").wait_for()
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
