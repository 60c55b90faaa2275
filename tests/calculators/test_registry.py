"""calculators.registry: settings are a value passed to each run, never kept between runs; every
calculator carries an example input that runs.

Numbers: CytoGam label (50 mL vials, 2,500 mg); Cytotect CP SmPC (10 and 50 mL vials, 100 U/mL,
50 mg/mL); rounding within 10 % (HOPA position statement).
"""

from __future__ import annotations

import inspect
import re
from datetime import date
from pathlib import Path

import pytest

from calculators import registry, settings
from calculators.errors import InputError
from calculators.registry import CALCULATORS, calculator_modules, run
from calculators.sources import SOURCES

LOCAL = settings.parse({"custom_product": {"name": "Local CMV-IG", "mg_per_ml": "100",
                                           "units_per_ml": "200", "vial_ml": [20]},
                        "rounding": "up", "weight_basis": "ideal"})
CUSTOM_UNITS = {"amount": "5000", "unit": "U", "product": "custom"}
# Cytotect CP SmPC: 5,500 U = 55 mL; up to whole vials (50 + 10 mL) is 6,000 U.
CYTOTECT_UNITS = {"amount": "5500", "unit": "U", "product": "cytotect-cp"}
# Zhang 2021: 100 mg/kg; a 170 cm man of 90 kg has an ideal (Devine) weight of 65.9 kg.
ZHANG = {"regimen": "zhang-2021-hsct", "weight_kg": "90", "start_date": "2026-01-01",
         "height_cm": "170", "sex": "male"}


@pytest.mark.parametrize("name", sorted(CALCULATORS))
def test_a_calculator_takes_settings_exactly_when_it_says_so(name: str) -> None:
    calculator = CALCULATORS[name]
    parameters = inspect.signature(calculator.function).parameters
    assert [*parameters] == [f.name for f in calculator.fields] + (
        ["settings"] if calculator.uses_settings else [])
    if calculator.uses_settings:
        assert parameters["settings"].kind is inspect.Parameter.KEYWORD_ONLY


def test_two_settings_one_after_the_other_give_their_own_results() -> None:
    # The institution's product, rounding and weight basis apply to the run they are passed to,
    # and to no other: nothing is left behind for the next run with other settings.
    local = run("units", CUSTOM_UNITS, LOCAL)
    assert (local["product_name"], local["ml"], local["vial_plan"]["policy"]) == (
        "Local CMV-IG", 25, "up")
    with pytest.raises(InputError) as caught:
        run("units", CUSTOM_UNITS, settings.DEFAULTS)
    assert caught.value.field == "product"
    assert "no custom product configured" in caught.value.message
    assert run("units", CYTOTECT_UNITS, LOCAL)["rounded_units"] == 6000
    assert run("units", CYTOTECT_UNITS, settings.DEFAULTS)["rounded_units"] == 5500
    assert run("units", CYTOTECT_UNITS)["rounded_units"] == 5500
    assert run("regimen", ZHANG, LOCAL)["doses"][0]["dose_mg"] == 6590
    assert run("regimen", ZHANG, settings.DEFAULTS)["doses"][0]["dose_mg"] == 9000
    # And back: the first settings give the first answers again.
    assert run("units", CUSTOM_UNITS, LOCAL) == local
    assert run("regimen", ZHANG)["doses"][0]["dose_mg"] == 9000


# The examples' dates are 1 January 2026: measured from that day, no input is unexpected.
EXAMPLE_DAY = date(2026, 1, 1)


@pytest.mark.parametrize("name", sorted(CALCULATORS))
def test_every_calculator_has_an_example_that_runs(name: str) -> None:
    # The browser tests and the screenshots compute with it (tests/e2e/helpers.py).
    calculator = CALCULATORS[name]
    assert calculator.example, f"the {name} calculator declares no example input"
    assert set(calculator.example) <= {f.name for f in calculator.fields}
    assert all(isinstance(value, str) for value in calculator.example.values()), \
        "an example is text, as a form sends it"
    # Under no settings, and under each rounding policy an institution may choose (a weight basis
    # other than actual weight asks for the height and sex, which an example need not give).
    for institution in (settings.DEFAULTS, settings.parse({"rounding": "up"}),
                        settings.parse({"rounding": "nearest"})):
        result = run(name, calculator.example, institution, today=EXAMPLE_DAY)
        assert result["input_warnings"] == [], "an example is an ordinary input"


def test_an_example_cannot_be_changed_by_whoever_reads_it() -> None:
    example = CALCULATORS["prophylaxis"].example
    with pytest.raises(TypeError):
        example["weight_kg"] = "700"  # type: ignore[index]
    assert CALCULATORS["prophylaxis"].example["weight_kg"] == "70"


def test_every_module_that_defines_calculators_is_found_without_a_list() -> None:
    """A new calculator is its own module (README, "Adding a calculator"): the registry finds
    every module of the package that defines ``CALCULATORS``, and its source names none."""
    package = Path(registry.__file__).parent
    defining = sorted(f"calculators.{path.stem}" for path in package.glob("*.py")
                      if re.search(r"^CALCULATORS = ", path.read_text(encoding="utf-8"), re.M))
    assert [module.__name__ for module in calculator_modules()] == defining
    source = Path(registry.__file__).read_text(encoding="utf-8")
    assert not any(f"import {name.rpartition('.')[2]}" in source for name in defining)
    assert list(CALCULATORS) == sorted(CALCULATORS)


@pytest.mark.parametrize("name", sorted(CALCULATORS))
def test_every_listing_cites_known_sources(name: str) -> None:
    """The Calculators page cites each listed source (build_scripts.components.cite)."""
    listing = CALCULATORS[name].listing
    assert listing.name and listing.gives and listing.cites
    assert {cite.key for cite in listing.cites} <= set(SOURCES)


def test_an_unknown_calculator_or_input_is_refused_by_name() -> None:
    with pytest.raises(InputError) as unknown:
        run("prophylaxes", {})
    assert (unknown.value.field, unknown.value.value) == ("calculator", "prophylaxes")
    assert "no calculator called 'prophylaxes'" in unknown.value.message
    # A misspelt field is refused, never ignored (ZHANG's inputs with weight misspelt).
    with pytest.raises(InputError) as misspelt:
        run("regimen", {**ZHANG, "wieght_kg": "90"})
    assert misspelt.value.field == "wieght_kg"
    assert "not an input of the regimen calculator" in misspelt.value.message
