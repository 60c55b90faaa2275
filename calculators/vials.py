"""Vials for a dose under a rounding policy: the only place a dose is ever rounded.

Policies (the institution picks the default; applying oncology's rounding to CMV immunoglobulin is
a local choice -- HOPA position statement):

- ``none`` -- give the calculated dose; open enough vials to cover it (least waste, then fewest).
- ``up`` -- round the dose up to what whole vials hold: never less than calculated.
- ``nearest`` -- round to the nearest whole-vial amount (up or down) if that is within
  ``tolerance_pct`` of the calculated dose; otherwise give the calculated dose, with a warning.

Every plan reports the calculated dose, the rounded dose and the difference in %.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from itertools import product as cartesian

from .errors import InputError
from .fields import ChoiceField, NumberField
from .products import Product
from .results import Result
from .rounding import percent_difference
from .settings import current

__all__ = ["ROUNDING_POLICIES", "VialCount", "VialPlan", "vial_plan", "ROUNDING_FIELD",
           "TOLERANCE_FIELD", "rounding_choice"]

ROUNDING_POLICIES = ("none", "up", "nearest")


@dataclass(frozen=True, slots=True)
class VialCount(Result):
    vial_ml: Decimal
    vial_mg: Decimal
    count: int


@dataclass(frozen=True, slots=True)
class VialPlan(Result):
    product: str
    policy: str
    tolerance_pct: Decimal | None
    calculated_mg: Decimal
    rounded_mg: Decimal
    difference_pct: Decimal
    calculated_ml: Decimal
    rounded_ml: Decimal
    vials: tuple[VialCount, ...]
    vial_count: int
    opened_ml: Decimal
    left_over_ml: Decimal
    sources: tuple[str, ...]
    warnings: tuple[str, ...]


def _combinations(product: Product, dose_ml: Decimal) -> list[tuple[Decimal, tuple[int, ...]]]:
    """(total mL, counts per vial size) for every way to reach at least ``dose_ml``, with at most
    one vial's worth to spare. The largest vial bounds the search, so it stays small."""
    sizes = [vial.ml for vial in product.vials]
    smallest = sizes[-1]
    ranges = [range(math.ceil(dose_ml / ml) + 1) for ml in sizes[:-1]]
    found = []
    for counts in cartesian(*ranges):
        partial = sum((ml * n for ml, n in zip(sizes, counts, strict=False)), Decimal(0))
        rest = max(Decimal(0), dose_ml - partial)
        for last in {math.floor(rest / smallest), math.ceil(rest / smallest)}:
            total = partial + smallest * last
            found.append((total, (*counts, last)))
    return found


def _best(options: list[tuple[Decimal, tuple[int, ...]]]) -> tuple[Decimal, tuple[int, ...]]:
    # Fewest vials among equal totals.
    return min(options, key=lambda option: (option[0], sum(option[1])))


def vial_plan(dose_mg: Decimal, product: Product, policy: str = "none",
              tolerance_pct: Decimal = Decimal(10)) -> VialPlan:
    """Plan the vials for ``dose_mg`` of ``product`` under ``policy``."""
    if policy not in ROUNDING_POLICIES:
        raise InputError("rounding", policy,
                         f"Rounding policy must be one of {', '.join(ROUNDING_POLICIES)} "
                         f"(got '{policy}').")
    if not dose_mg > 0:
        raise InputError("dose_mg", dose_mg, f"Dose (mg) must be more than 0 (got {dose_mg}).")
    dose_ml = dose_mg / product.mg_per_ml
    options = _combinations(product, dose_ml)
    up_ml, up_counts = _best([o for o in options if o[0] >= dose_ml])
    below = [o for o in options if Decimal(0) < o[0] <= dose_ml]
    down_ml, down_counts = max(below, key=lambda o: (o[0], -sum(o[1]))) if below else (None, ())

    warnings: list[str] = []
    rounded_ml, counts = dose_ml, up_counts
    if policy == "up":
        rounded_ml = up_ml
    elif policy == "nearest":
        nearest_ml, nearest_counts = up_ml, up_counts
        if down_ml is not None and dose_ml - down_ml < up_ml - dose_ml:
            nearest_ml, nearest_counts = down_ml, down_counts
        gap = abs(percent_difference(nearest_ml, dose_ml))
        # Compare unrounded: 10.04 % is outside a 10 % tolerance even though it shows as 10.0 %.
        if abs(nearest_ml - dose_ml) * 100 <= tolerance_pct * dose_ml:
            rounded_ml, counts = nearest_ml, nearest_counts
        else:
            warnings.append(
                f"Not rounded: the nearest whole-vial dose ({nearest_ml * product.mg_per_ml:,} mg) "
                f"is {gap} % away, more than the {tolerance_pct} % tolerance."
            )
    # Unrounded stays the calculated dose exactly (mL and back could lose the last digit).
    rounded_mg = dose_mg if rounded_ml == dose_ml else rounded_ml * product.mg_per_ml
    vials = tuple(VialCount(vial.ml, vial.mg, n)
                  for vial, n in zip(product.vials, counts, strict=True) if n)
    opened_ml = sum((v.vial_ml * v.count for v in vials), Decimal(0))
    return VialPlan(
        product=product.id,
        policy=policy,
        tolerance_pct=tolerance_pct if policy == "nearest" else None,
        calculated_mg=dose_mg,
        rounded_mg=rounded_mg,
        difference_pct=percent_difference(rounded_mg, dose_mg),
        calculated_ml=dose_ml,
        rounded_ml=rounded_ml,
        vials=vials,
        vial_count=sum(v.count for v in vials),
        opened_ml=opened_ml,
        left_over_ml=opened_ml - rounded_ml,
        sources=(product.source, *(("hopa-rounding",) if policy != "none" else ())),
        warnings=tuple(warnings),
    )


# The form and command-line fields for the policy. Left empty, the institution's setting applies.
ROUNDING_FIELD = ChoiceField(
    name="rounding", label="Rounding to whole vials",
    choices=(("", "Hospital default"), ("none", "None: give the calculated dose"),
             ("up", "Up to whole vials"), ("nearest", "Nearest whole vial, within the tolerance")),
    default="",
)
TOLERANCE_FIELD = NumberField(
    name="rounding_tolerance_pct", label="Rounding tolerance (%)", unit="%",
    minimum_exclusive=None, minimum=Decimal(0), maximum=Decimal(25), example="10", optional=True,
)


def rounding_choice(rounding: object, rounding_tolerance_pct: object) -> tuple[str, Decimal]:
    """(policy, tolerance %) from the two fields, falling back to the institution's settings."""
    policy = ROUNDING_FIELD.parse(rounding) or current().rounding
    tolerance = TOLERANCE_FIELD.parse_optional(rounding_tolerance_pct)
    return policy, current().rounding_tolerance_pct if tolerance is None else tolerance
