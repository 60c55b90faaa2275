"""CMV immunoglobulin products as data: strength, vials, and where each number comes from.

- ``cytogam`` -- CytoGam: 50 mg/mL, one 2,500 mg / 50 mL vial, at most 150 mg/kg per infusion
  (CytoGam label). No unit strength.
- ``cytotect-cp`` -- Cytotect CP: 100 U/mL and 50 mg/mL; 10 mL and 50 mL vials (SmPC). The older
  Cytotect (50 U/mL) is a different product and is deliberately absent: the same number of units
  would be twice the volume in it. The SmPC facts held here state no maximum per infusion.
- ``custom`` -- whatever the institution sets in its settings (:mod:`calculators.settings`), passed
  to :func:`product` by the caller; this module keeps none.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .errors import InputError
from .fields import ChoiceField

__all__ = ["Vial", "Product", "PRODUCTS", "PRODUCT_FIELD", "product", "label_maximum",
           "OLDER_CYTOTECT_NOTE"]


@dataclass(frozen=True, slots=True)
class Vial:
    ml: Decimal
    mg: Decimal
    units: Decimal | None


@dataclass(frozen=True, slots=True)
class Product:
    id: str
    name: str
    mg_per_ml: Decimal
    units_per_ml: Decimal | None  # CMV antibody units (Paul-Ehrlich-Institut) per mL, if labelled
    vials: tuple[Vial, ...]  # largest first
    source: str
    notes: tuple[str, ...] = ()
    # The most one infusion may hold, per kg of body weight, where the label states it (None:
    # the sources state none). Rounding to whole vials never goes above it (calculators.vials).
    label_max_mg_per_kg: Decimal | None = None
    # Said wherever an amount of it is converted between mg, mL and units (calculators.units).
    conversion_notes: tuple[str, ...] = ()

    def max_mg(self, weight_kg: Decimal) -> Decimal | None:
        """The label maximum for one infusion at ``weight_kg`` (actual body weight), in mg."""
        return None if self.label_max_mg_per_kg is None else self.label_max_mg_per_kg * weight_kg

    @property
    def strength(self) -> str:
        """The labelled strength as the product choice shows it: '100 U/mL, 50 mg/mL'."""
        units = "" if self.units_per_ml is None else f"{self.units_per_ml} U/mL, "
        return f"{units}{self.mg_per_ml} mg/mL"

    def vial(self, ml: Decimal) -> Vial:
        return Vial(ml=ml, mg=ml * self.mg_per_ml,
                    units=None if self.units_per_ml is None else ml * self.units_per_ml)


def _product(id: str, name: str, mg_per_ml: int, units_per_ml: int | None,
             vial_ml: tuple[int, ...], source: str, notes: tuple[str, ...] = (),
             label_max_mg_per_kg: int | None = None,
             conversion_notes: tuple[str, ...] = ()) -> Product:
    base = Product(id, name, Decimal(mg_per_ml),
                   None if units_per_ml is None else Decimal(units_per_ml), (), source, notes)
    vials = tuple(base.vial(Decimal(ml)) for ml in sorted(vial_ml, reverse=True))
    return Product(id, name, base.mg_per_ml, base.units_per_ml, vials, source, notes,
                   None if label_max_mg_per_kg is None else Decimal(label_max_mg_per_kg),
                   conversion_notes)


OLDER_CYTOTECT_NOTE = (
    "The older Cytotect (50 U/mL) is a different product: the same number of units is twice the "
    "volume in it. These figures are for Cytotect CP (100 U/mL) only."
)


PRODUCTS: dict[str, Product] = {
    p.id: p
    for p in (
        _product("cytogam", "CytoGam", 50, None, (50,), "cytogam-label",
                 ("The label gives 50 +/- 10 mg/mL; calculations use the nominal 50 mg/mL.",),
                 label_max_mg_per_kg=150),  # "Maximum per infusion: 150 mg/kg"
        # The SmPC facts we hold give 1 mL/kg (50 mg/kg) per dose and no maximum per infusion.
        _product("cytotect-cp", "Cytotect CP", 50, 100, (10, 50), "cytotect-cp-smpc",
                 ("100 U/mL Cytotect CP, not the older 50 U/mL Cytotect.",),
                 conversion_notes=(OLDER_CYTOTECT_NOTE,)),
    )
}

# The choices are the products above, each named with its strength, then the institution's own.
PRODUCT_FIELD = ChoiceField(
    name="product",
    label="Product",
    choices=(*((p.id, f"{p.name} ({p.strength})") for p in PRODUCTS.values()),
             ("custom", "This hospital's product")),
    default="cytogam",
)


def product(product_id: str, custom: Product | None = None) -> Product:
    """The product called ``product_id``; ``custom`` is the institution's own product, ``custom``
    (:attr:`calculators.settings.Settings.custom_product`; None where it has none)."""
    if product_id == "custom":
        if custom is None:
            raise InputError("product", product_id,
                             "Product: this site has no custom product configured.")
        return custom
    if product_id not in PRODUCTS:
        raise InputError("product", product_id,
                         f"Product must be one of {', '.join([*PRODUCTS, 'custom'])} "
                         f"(got '{product_id}').")
    return PRODUCTS[product_id]


def label_maximum(chosen: Product) -> Product:
    """The product whose label maximum per infusion bounds doses of ``chosen``: its own, or, where
    the sources state none for it, CytoGam's (the only maximum per infusion the sources give), so
    that a dose above it is always flagged and rounding never goes above it."""
    return chosen if chosen.label_max_mg_per_kg is not None else PRODUCTS["cytogam"]
