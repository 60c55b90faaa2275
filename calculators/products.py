"""CMV immunoglobulin products as data: concentration and vial, each with its source.

Only what the calculators need is here; every number names a key of
:data:`calculators.sources.SOURCES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

__all__ = ["Product", "PRODUCTS", "product"]


@dataclass(frozen=True, slots=True)
class Product:
    id: str
    name: str
    mg_per_ml: Decimal
    vial_mg: Decimal
    vial_ml: Decimal
    source: str


PRODUCTS: dict[str, Product] = {
    p.id: p
    for p in (
        # 50 mg/mL nominal (label: 50 +/- 10 mg/mL); one 2,500 mg / 50 mL single-dose vial.
        Product(
            id="cytogam",
            name="CytoGam",
            mg_per_ml=Decimal(50),
            vial_mg=Decimal(2500),
            vial_ml=Decimal(50),
            source="cytogam-label",
        ),
    )
}


def product(product_id: str) -> Product:
    """Return the product registered under ``product_id``."""
    return PRODUCTS[product_id]
