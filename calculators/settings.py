"""The institution's settings that change calculations: a custom product and default choices.

Settings are a value, passed down, never held here: :func:`parse` checks the institution's raw
settings (``calculator_settings`` of ``site_src/config.yml``, as JSON) and returns a frozen
:class:`Settings`, naming the field of the first mistake. Whoever runs a calculation holds one
such value and passes it (:func:`calculators.registry.run`): the page's worker, the command line
(``--settings FILE.json``), the tests. :data:`DEFAULTS` is no configuration at all: no custom
product, rounding ``none``, actual body weight.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .body_weight import WEIGHT_BASES
from .errors import InputError
from .fields import ChoiceField, NumberField
from .products import Product, Vial
from .vials import MAX_TOLERANCE_PCT, ROUNDING_CHOICES, TOLERANCE_RANGE_REASON

__all__ = ["Settings", "DEFAULTS", "parse", "MAX_TOLERANCE_PCT", "TOLERANCE_RANGE_REASON"]

_NAME_MAX = 60
_MAX_VIAL_SIZES = 3
_MG_PER_ML = NumberField("custom_product.mg_per_ml", "Custom product strength (mg/mL)",
                         unit="mg/mL", maximum=Decimal(200))
_UNITS_PER_ML = NumberField("custom_product.units_per_ml", "Custom product strength (U/mL)",
                            unit="U/mL", maximum=Decimal(10000))
_VIAL_ML = NumberField("custom_product.vial_ml", "Custom product vial size (mL)", unit="mL",
                       maximum=Decimal(1000))
_ROUNDING = ChoiceField("rounding", "Rounding policy", choices=ROUNDING_CHOICES, default="none")
_TOLERANCE = NumberField("rounding_tolerance_pct", "Rounding tolerance (%)", unit="%",
                         minimum_exclusive=None, minimum=Decimal(0), maximum=MAX_TOLERANCE_PCT,
                         default=MAX_TOLERANCE_PCT, range_source="hopa-rounding",
                         range_reason=TOLERANCE_RANGE_REASON)
# A label maximum per infusion the institution states for its own product (optional); without
# one, CytoGam's bounds rounding (calculators.products.label_maximum).
_LABEL_MAX = NumberField("custom_product.label_max_mg_per_kg",
                         "Custom product label maximum per infusion (mg/kg)", unit="mg/kg",
                         maximum=Decimal(1000))
_WEIGHT_BASIS = ChoiceField("weight_basis", "Dosing weight", choices=WEIGHT_BASES,
                            default="actual")


@dataclass(frozen=True, slots=True)
class Settings:
    """One institution's checked settings (made by :func:`parse`; the defaults: none set)."""

    custom_product: Product | None = None
    rounding: str = "none"
    rounding_tolerance_pct: Decimal = MAX_TOLERANCE_PCT
    weight_basis: str = "actual"


DEFAULTS = Settings()


def _custom_product(raw: object) -> Product | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise InputError("custom_product", raw, "custom_product must be a mapping of settings.")
    for key in raw:
        if key not in {"name", "mg_per_ml", "units_per_ml", "vial_ml", "label_max_mg_per_kg"}:
            # A misspelt key (units_per_mL) must not silently drop a strength.
            raise InputError(f"custom_product.{key}", raw[key],
                             f"'{key}' is not a custom product setting (name, mg_per_ml, "
                             "units_per_ml, vial_ml, label_max_mg_per_kg).")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > _NAME_MAX:
        raise InputError("custom_product.name", name,
                         f"Custom product name must be text of 1 to {_NAME_MAX} characters.")
    mg_per_ml = _MG_PER_ML.parse(raw.get("mg_per_ml"))
    units = raw.get("units_per_ml")
    units_per_ml = None if units is None else _UNITS_PER_ML.parse(units)
    vial_ml = raw.get("vial_ml")
    if not isinstance(vial_ml, list) or not vial_ml:
        raise InputError("custom_product.vial_ml", vial_ml,
                         "Custom product vial sizes must be a non-empty list of volumes in mL.")
    if len(vial_ml) > _MAX_VIAL_SIZES:
        # The vial search grows with every size; no product here has more than two.
        raise InputError("custom_product.vial_ml", vial_ml,
                         f"Custom product vial sizes: at most {_MAX_VIAL_SIZES} sizes.")
    sizes = sorted({_VIAL_ML.parse(ml) for ml in vial_ml}, reverse=True)
    return Product(
        id="custom", name=name.strip(), mg_per_ml=mg_per_ml, units_per_ml=units_per_ml,
        vials=tuple(Vial(ml, ml * mg_per_ml, None if units_per_ml is None else ml * units_per_ml)
                    for ml in sizes),
        source="institution-config",
        label_max_mg_per_kg=_LABEL_MAX.parse_optional(raw.get("label_max_mg_per_kg")),
    )


def parse(raw: Mapping[str, object]) -> Settings:
    """Check ``raw`` (the institution's calculator settings) and return them as :class:`Settings`.

    Raises :class:`~calculators.errors.InputError` naming the first bad setting.
    """
    known = {"custom_product", "rounding", "rounding_tolerance_pct", "weight_basis"}
    for key in raw:
        if key not in known:
            raise InputError(key, raw[key], f"'{key}' is not a calculator setting.")
    return Settings(
        custom_product=_custom_product(raw.get("custom_product")),
        rounding=_ROUNDING.parse(raw.get("rounding")),
        rounding_tolerance_pct=_TOLERANCE.parse(raw.get("rounding_tolerance_pct")),
        weight_basis=_WEIGHT_BASIS.parse(raw.get("weight_basis")),
    )
