"""calculators.settings: the institution's settings are checked, and each bad one is named."""

from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType

import pytest

from calculators import body_weight, settings, vials
from calculators.errors import InputError
from calculators.products import Vial, product
from calculators.vials import vial_plan

GOOD_PRODUCT = {"name": " Local CMV-IG ", "mg_per_ml": "50", "units_per_ml": "100",
                "vial_ml": [10, "50", "10.0"]}


def _error(raw: object) -> InputError:
    with pytest.raises(InputError) as caught:
        settings.parse(raw)  # type: ignore[arg-type]
    return caught.value


def test_defaults() -> None:
    # clinical-facts: rounding policy default none (HOPA note); dosing weight default actual.
    defaults = settings.DEFAULTS
    assert defaults == settings.Settings()
    assert (defaults.custom_product, defaults.rounding, defaults.rounding_tolerance_pct,
            defaults.weight_basis) == (None, "none", Decimal(10), "actual")
    assert settings.parse({}) == settings.DEFAULTS


def test_parse_everything() -> None:
    configured = settings.parse({"custom_product": GOOD_PRODUCT, "rounding": "Nearest",
                                 "rounding_tolerance_pct": "7,5", "weight_basis": "adjusted"})
    assert (configured.rounding, configured.rounding_tolerance_pct, configured.weight_basis) == (
        "nearest", Decimal("7.5"), "adjusted")
    custom = configured.custom_product
    assert custom is not None and product("custom", configured.custom_product) is custom
    assert (custom.id, custom.name, custom.source) == ("custom", "Local CMV-IG",
                                                       "institution-config")
    assert (custom.mg_per_ml, custom.units_per_ml, custom.notes) == (50, 100, ())
    assert custom.label_max_mg_per_kg is None  # none configured: CytoGam's bounds it (issue 13)
    # Repeated sizes are dropped; largest first.
    assert custom.vials == (Vial(Decimal(50), Decimal(2500), Decimal(5000)),
                            Vial(Decimal(10), Decimal(500), Decimal(1000)))


def test_custom_product_label_maximum_bounds_rounding() -> None:
    # The institution states its product's label maximum (issue 13): 100 mg/kg. 30 kg: 3,000 mg
    # at most; 2,900 mg "up" to 3,000 mg (+3.4 %) is allowed, 3,050 mg to 3,500 mg is not.
    custom = product("custom", settings.parse(
        {"custom_product": {**GOOD_PRODUCT, "label_max_mg_per_kg": "100"}}).custom_product)
    assert custom.label_max_mg_per_kg == 100 and custom.max_mg(Decimal(30)) == 3000
    assert vial_plan(Decimal(2900), custom, "up", Decimal(10), Decimal(30)).rounded_mg == 3000
    plan = vial_plan(Decimal(3050), custom, "up", Decimal(10), Decimal(30))
    assert plan.rounded_mg == 3050
    assert "above the Local CMV-IG label maximum of 100 mg/kg" in plan.warnings[0]


def test_custom_product_without_units_and_other_mappings() -> None:
    configured = settings.parse(MappingProxyType(
        {"custom_product": MappingProxyType({"name": "P", "mg_per_ml": 60, "vial_ml": [25]})}))
    custom = configured.custom_product
    assert custom is not None and custom.units_per_ml is None
    assert custom.vials == (Vial(Decimal(25), Decimal(1500), None),)
    assert settings.parse({"custom_product": None}).custom_product is None


def test_tolerance_bounds_are_inclusive() -> None:
    assert settings.parse({"rounding_tolerance_pct": "0"}).rounding_tolerance_pct == 0
    # Issue 13: at most 10 % (HOPA), was 25 %.
    assert settings.parse({"rounding_tolerance_pct": 10}).rounding_tolerance_pct == 10


@pytest.mark.parametrize(
    ("raw", "field", "words"),
    [
        ({"rounding_policy": "up"}, "rounding_policy", "'rounding_policy' is not a calculator "
                                                       "setting."),
        ({"rounding": "down"}, "rounding", "Rounding policy must be one of none, up, nearest"),
        ({"rounding": 1}, "rounding", "Rounding policy must be one of"),
        ({"rounding_tolerance_pct": "-1"}, "rounding_tolerance_pct", "at least 0 %"),
        ({"rounding_tolerance_pct": "10.1"}, "rounding_tolerance_pct", "at most 10 %"),
        ({"rounding_tolerance_pct": "25"}, "rounding_tolerance_pct", "within 10 % of the ordered"),
        ({"custom_product": {"name": "L", "mg_per_ml": 50, "vial_ml": [10],
                             "label_max_mg_per_kg": "0"}},
         "custom_product.label_max_mg_per_kg", "must be more than 0"),
        ({"rounding_tolerance_pct": "ten"}, "rounding_tolerance_pct", "must be a number"),
        ({"weight_basis": "lean"}, "weight_basis", "Dosing weight must be one of actual, ideal"),
        ({"custom_product": "yes"}, "custom_product", "must be a mapping"),
        ({"custom_product": [GOOD_PRODUCT]}, "custom_product", "must be a mapping"),
        ({"custom_product": {**GOOD_PRODUCT, "name": None}}, "custom_product.name",
         "Custom product name must be text of 1 to 60 characters."),
        ({"custom_product": {k: v for k, v in GOOD_PRODUCT.items() if k != "name"}},
         "custom_product.name", "1 to 60 characters"),
        ({"custom_product": {**GOOD_PRODUCT, "name": 5}}, "custom_product.name", "text"),
        ({"custom_product": {**GOOD_PRODUCT, "name": "  "}}, "custom_product.name", "text"),
        ({"custom_product": {**GOOD_PRODUCT, "name": "x" * 61}}, "custom_product.name", "text"),
        ({"custom_product": {**GOOD_PRODUCT, "mg_per_ml": None}}, "custom_product.mg_per_ml",
         "Custom product strength (mg/mL) is required."),
        ({"custom_product": {**GOOD_PRODUCT, "mg_per_ml": "0"}}, "custom_product.mg_per_ml",
         "more than 0 mg/mL"),
        ({"custom_product": {**GOOD_PRODUCT, "mg_per_ml": "201"}}, "custom_product.mg_per_ml",
         "at most 200 mg/mL"),
        ({"custom_product": {**GOOD_PRODUCT, "units_per_ml": "abc"}},
         "custom_product.units_per_ml", "Custom product strength (U/mL) must be a number"),
        ({"custom_product": {**GOOD_PRODUCT, "units_per_ml": "10001"}},
         "custom_product.units_per_ml", "at most 10000 U/mL"),
        ({"custom_product": {**GOOD_PRODUCT, "units_per_ml": ""}},
         "custom_product.units_per_ml", "is required"),
        ({"custom_product": {**GOOD_PRODUCT, "vial_ml": None}}, "custom_product.vial_ml",
         "must be a non-empty list of volumes in mL"),
        ({"custom_product": {**GOOD_PRODUCT, "vial_ml": []}}, "custom_product.vial_ml",
         "non-empty list"),
        ({"custom_product": {**GOOD_PRODUCT, "vial_ml": "50"}}, "custom_product.vial_ml",
         "non-empty list"),
        ({"custom_product": {**GOOD_PRODUCT, "vial_ml": [50, 0]}}, "custom_product.vial_ml",
         "Custom product vial size (mL) must be more than 0 mL"),
        ({"custom_product": {**GOOD_PRODUCT, "vial_ml": [1001]}}, "custom_product.vial_ml",
         "at most 1000 mL"),
        ({"custom_product": {**GOOD_PRODUCT, "vial_ml": [True]}}, "custom_product.vial_ml",
         "must be a number, not True"),
    ],
)
def test_bad_settings_name_the_field(raw: dict[str, object], field: str, words: str) -> None:
    error = _error(raw)
    assert error.field == field
    assert words in error.message


def test_sixty_character_name_is_fine() -> None:
    custom = settings.parse({"custom_product": {**GOOD_PRODUCT, "name": "x" * 60}})
    assert custom.custom_product is not None and custom.custom_product.name == "x" * 60



def test_misspelt_custom_product_key_is_refused() -> None:
    # A misspelt 'units_per_mL' must not silently give a product without units.
    misspelt = {k: v for k, v in GOOD_PRODUCT.items() if k != "units_per_ml"}
    error = _error({"custom_product": {**misspelt, "units_per_mL": "100"}})
    assert error.field == "custom_product.units_per_mL"
    assert "'units_per_mL' is not a custom product setting" in error.message


def test_at_most_three_vial_sizes() -> None:
    # Every extra size multiplies the vial search; no product here has more than two.
    with pytest.raises(InputError) as caught:
        settings.parse({"custom_product": {"name": "X", "mg_per_ml": 50,
                                           "vial_ml": [1, 2, 3, 4]}})
    assert caught.value.field == "custom_product.vial_ml"


def test_the_settings_offer_the_choices_the_forms_offer() -> None:
    """The rounding policies and the weight bases are listed once, on the module whose rule they
    are (calculators.vials, calculators.body_weight): the institution's settings accept the
    same values, with the same words, as the forms' fields (less their "Hospital default")."""
    for setting, form_field in ((settings._ROUNDING, vials.ROUNDING_FIELD),
                                (settings._WEIGHT_BASIS, body_weight.WEIGHT_BASIS_FIELD)):
        assert setting.choices == tuple(choice for choice in form_field.choices if choice[0])
    assert vials.ROUNDING_POLICIES == tuple(value for value, _ in settings._ROUNDING.choices)
