"""Every calculator form on the site computes in the browser what the CPython core computes.

Each case fills a form on the guidance page it lives on, submits it, and finds the core's key
figure in the page's answer; no console errors, no request leaving the site.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page

from calculators import run
from calculators.display import duration
from tests.e2e.conftest import Watch, assert_clean, fill_form

# Tests here need no fresh browser: they share the worker's warm context (e2e/conftest.py).
pytestmark = pytest.mark.browser_context("warm")


def shown(value: float | int) -> str:
    """A number as the page shows it (en-GB grouping, at most three decimals)."""
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return text


# (page, calculator, inputs typed or chosen, a path into the core's result to find on the page)
CASES: list[tuple[str, str, dict[str, str], tuple[Any, ...]]] = [
    ("treatment/", "regimen",
     {"regimen": "chou-1996", "weight_kg": "70", "start_date": "2026-01-01"},
     ("doses", 0, "dose_mg")),
    ("treatment/", "criteria", {"severe_manifestation": "true"}, ()),
    ("administration/", "infusion", {"weight_kg": "70", "dose_mg": "10500"}, ("duration_min",)),
    ("administration/", "units", {"amount": "5000", "unit": "u", "product": "cytotect-cp"},
     ("mg",)),
    ("administration/", "body-weight", {"weight_kg": "100", "height_cm": "180", "sex": "male"},
     ("adjbw_kg",)),
    ("administration/", "crcl", {"age": "60", "weight_kg": "70", "sex": "female",
                                 "creatinine_mg_dl": "1.2"}, ("crcl_ml_min_rounded",)),
    ("hsct/", "atg", {"agent": "rabbit", "dose_mg_per_kg": "7.5", "days_from_viremia": "2"},
     ("group",)),
    ("hsct/", "viral-load", {"copies": "6500", "previous_copies": "500"}, ("log10_display",)),
]


@pytest.mark.parametrize(("path", "name", "inputs", "key"), CASES, ids=[c[1] for c in CASES])
def test_form_computes_like_the_core(page: Page, watch: Watch, path: str, name: str,
                                     inputs: dict[str, str], key: tuple[Any, ...]) -> None:
    page.goto(path)
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
