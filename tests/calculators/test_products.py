"""calculators.products: the products as data, each number from its label."""

from __future__ import annotations

from decimal import Decimal

import pytest

from calculators import settings
from calculators.errors import InputError
from calculators.products import PRODUCT_FIELD, PRODUCTS, Product, Vial, product
from calculators.sources import SOURCES


def test_cytogam() -> None:
    # CytoGam label: 50 +/- 10 mg/mL; one single-dose vial, 2,500 mg nominal in 50 mL; no units.
    cytogam = product("cytogam")
    assert (cytogam.id, cytogam.name, cytogam.source) == ("cytogam", "CytoGam", "cytogam-label")
    assert (cytogam.mg_per_ml, cytogam.units_per_ml) == (50, None)
    assert cytogam.vials == (Vial(Decimal(50), Decimal(2500), None),)
    assert "50 +/- 10 mg/mL" in cytogam.notes[0]


def test_cytotect_cp() -> None:
    # Cytotect CP SmPC: 100 U/mL, 50 mg/mL; 10 mL (500 mg, 1,000 U) and 50 mL (2,500 mg, 5,000 U),
    # not 20 mL (the older 50 U/mL Cytotect).
    cytotect = product("cytotect-cp")
    assert (cytotect.name, cytotect.source) == ("Cytotect CP", "cytotect-cp-smpc")
    assert (cytotect.mg_per_ml, cytotect.units_per_ml) == (50, 100)
    assert cytotect.vials == (Vial(Decimal(50), Decimal(2500), Decimal(5000)),
                              Vial(Decimal(10), Decimal(500), Decimal(1000)))
    assert "not the older 50 U/mL Cytotect" in cytotect.notes[0]
    assert Decimal(20) not in [v.ml for v in cytotect.vials]


def test_vial_of_any_size() -> None:
    assert product("cytotect-cp").vial(Decimal(20)) == Vial(Decimal(20), Decimal(1000),
                                                           Decimal(2000))
    assert product("cytogam").vial(Decimal(1)) == Vial(Decimal(1), Decimal(50), None)


def test_every_product_cites_a_registered_source() -> None:
    # The two labelled products stay; a product added later needs only its own files (README).
    assert {"cytogam", "cytotect-cp"} <= set(PRODUCTS)
    for item in PRODUCTS.values():
        assert item.source in SOURCES
        assert list(item.vials) == sorted(item.vials, key=lambda v: v.ml, reverse=True)


def test_product_field() -> None:
    assert PRODUCT_FIELD.name == "product" and PRODUCT_FIELD.default == "cytogam"
    assert [value for value, _ in PRODUCT_FIELD.choices] == [*PRODUCTS, "custom"]
    # Each label is the product's own data (name and labelled strength), not typed again.
    labels = dict(PRODUCT_FIELD.choices)
    assert labels == {**{p.id: f"{p.name} ({p.strength})" for p in PRODUCTS.values()},
                      "custom": "This hospital's product"}
    assert (labels["cytogam"], labels["cytotect-cp"]) == (
        "CytoGam (50 mg/mL)", "Cytotect CP (100 U/mL, 50 mg/mL)")
    assert PRODUCT_FIELD.parse(None) == "cytogam"
    assert PRODUCT_FIELD.parse(" Cytotect-CP ") == "cytotect-cp"


def test_strength_is_read_from_the_product_numbers() -> None:
    # Cytotect CP SmPC: 100 U/mL and 50 mg/mL; CytoGam label: 50 mg/mL, no unit strength.
    assert PRODUCTS["cytotect-cp"].strength == "100 U/mL, 50 mg/mL"
    assert PRODUCTS["cytogam"].strength == "50 mg/mL"
    local = settings.parse({"custom_product": {"name": "Local", "mg_per_ml": "62.5",
                                               "units_per_ml": "200", "vial_ml": [20]}})
    assert local.custom_product is not None
    assert local.custom_product.strength == "200 U/mL, 62.5 mg/mL"


def test_unknown_product() -> None:
    with pytest.raises(InputError) as caught:
        product("cytotect")
    assert (caught.value.field, caught.value.value) == ("product", "cytotect")
    assert caught.value.message == (f"Product must be one of {', '.join([*PRODUCTS, 'custom'])} "
                                    "(got 'cytotect').")
    assert caught.value.message.startswith("Product must be one of cytogam, cytotect-cp, ")


def test_custom_product() -> None:
    with pytest.raises(InputError) as caught:
        product("custom")
    assert caught.value.field == "product"
    assert "no custom product configured" in caught.value.message
    local = settings.parse({"custom_product": {"name": "Local", "mg_per_ml": "100",
                                               "vial_ml": ["20"]}})
    custom = product("custom", local.custom_product)
    assert isinstance(custom, Product)
    assert (custom.id, custom.name, custom.mg_per_ml) == ("custom", "Local", 100)
    assert "custom" not in PRODUCTS
