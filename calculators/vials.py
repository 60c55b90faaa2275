"""Vials for a dose under a rounding policy: the only place a dose is ever rounded.

Two things are kept apart: the dose to give and the vials to open. Policies (the institution
picks the default; applying oncology's rounding to CMV immunoglobulin is a local choice -- HOPA
position statement, which accepts rounding to the nearest vial within 10 % of the ordered dose):

- ``none`` -- give the calculated dose; open enough vials to cover it (least waste, then fewest)
  and discard the rest.
- ``up`` -- give what whole vials hold, rounded up, if that is within ``tolerance_pct``.
- ``nearest`` -- give what whole vials hold, rounded up or down, if that is within
  ``tolerance_pct``.

Bounds no setting can break (:func:`vial_plan` checks them, whatever the caller passes):

- the tolerance is at most :data:`MAX_TOLERANCE_PCT` (10 %, HOPA);
- a rounded dose differs from the calculated one by at most the tolerance;
- a rounded dose is never above the label maximum per infusion (the product's own, else CytoGam's,
  :func:`calculators.products.label_maximum`) for the patient's actual weight; a calculated dose
  already above it (a regimen's source dose) is never rounded up, and keeps its flagged dose
  unless whole vials at or below the maximum are within the tolerance;
- where whole vials do not fit these bounds the dose to give stays the calculated dose exactly,
  and the vials to open and the amount to discard are given apart from it, with a warning.

Every plan reports the calculated dose, the dose to give and the difference in %, and shows
itself the same way wherever a dose is given (:func:`dose_parts`, :func:`to_give`,
:func:`vials_to_open`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from itertools import product as cartesian
from typing import Protocol

from .display import mg_text, ml_text, number, plural, shown
from .errors import InputError
from .fields import ChoiceField, NumberField
from .layout import Part, figure_of
from .products import Product, label_maximum
from .results import Result, unique
from .rounding import percent_difference, round_to

__all__ = ["ROUNDING_CHOICES", "ROUNDING_POLICIES", "MAX_TOLERANCE_PCT",
           "TOLERANCE_RANGE_REASON", "VialCount", "VialPlan", "vial_plan", "ROUNDING_FIELD",
           "TOLERANCE_FIELD", "RoundingDefaults", "rounding_choice", "vials_to_open", "to_give",
           "dose_parts"]

# The policies, each with the words a form shows for it; the settings and the forms list these.
ROUNDING_CHOICES = (("none", "None: give the calculated dose"), ("up", "Up to whole vials"),
                    ("nearest", "Nearest whole vial, within the tolerance"))
ROUNDING_POLICIES = tuple(value for value, _ in ROUNDING_CHOICES)
# HOPA position statement: rounding to the nearest vial is acceptable within 10 % of the ordered
# dose. No setting, form or caller may widen it (vial_plan checks it whatever it is passed).
MAX_TOLERANCE_PCT = Decimal(10)
TOLERANCE_RANGE_REASON = ("the HOPA position statement accepts rounding to whole vials only "
                          f"within {MAX_TOLERANCE_PCT} % of the ordered dose.")


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
    rounded_mg: Decimal  # the dose to give: the calculated dose unless rounded within the bounds
    difference_pct: Decimal
    calculated_ml: Decimal
    rounded_ml: Decimal  # the volume to give
    rounded_to_vials: bool  # True when the dose to give was rounded to what whole vials hold
    label_max_mg: Decimal | None  # the label maximum for this patient, when a weight was given
    vials: tuple[VialCount, ...]  # the vials to open
    vial_count: int
    opened_ml: Decimal
    opened_mg: Decimal
    left_over_ml: Decimal  # to discard: opened minus given
    discard_mg: Decimal
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


def check_tolerance(tolerance_pct: Decimal) -> Decimal:
    """``tolerance_pct`` if it is 0 to 10 %; else :class:`InputError` naming the setting."""
    if not Decimal(0) <= tolerance_pct <= MAX_TOLERANCE_PCT:
        raise InputError("rounding_tolerance_pct", tolerance_pct,
                         f"Rounding tolerance (%) must be 0 to {MAX_TOLERANCE_PCT} % "
                         f"(got {tolerance_pct}): {TOLERANCE_RANGE_REASON}")
    return tolerance_pct


def _refusal(candidate_ml: Decimal, dose_ml: Decimal, product: Product, tolerance_pct: Decimal,
             max_mg: Decimal | None) -> str | None:
    """Why giving what whole vials hold (``candidate_ml``) is not allowed, or None if it is."""
    candidate_mg = candidate_ml * product.mg_per_ml
    if max_mg is not None and candidate_mg > max_mg:
        ceiling = label_maximum(product)
        whose = ("" if ceiling is product
                 else f"; the sources give no maximum for {product.name}")
        return (f"the whole-vial dose ({candidate_mg:,} mg) would be above the "
                f"{ceiling.name} label maximum of {ceiling.label_max_mg_per_kg} mg/kg per "
                f"infusion ({round_to(max_mg, '0.1').normalize():,f} mg at this weight{whose})")
    # Compare unrounded: 10.04 % is outside a 10 % tolerance even though it shows as 10.0 %.
    if abs(candidate_ml - dose_ml) * 100 > tolerance_pct * dose_ml:
        return (f"the nearest whole-vial dose ({candidate_mg:,} mg) is "
                f"{abs(percent_difference(candidate_ml, dose_ml))} % away, more than the "
                f"{tolerance_pct} % tolerance")
    return None


def vial_plan(dose_mg: Decimal, product: Product, policy: str = "none",
              tolerance_pct: Decimal = MAX_TOLERANCE_PCT,
              actual_weight_kg: Decimal | None = None) -> VialPlan:
    """Plan the dose to give and the vials to open for ``dose_mg`` of ``product``.

    ``actual_weight_kg`` (actual body weight) sets the label maximum that rounding never passes;
    without it (a bare amount, as in the units calculator) only the tolerance bounds rounding.
    """
    if policy not in ROUNDING_POLICIES:
        raise InputError("rounding", policy,
                         f"Rounding policy must be one of {', '.join(ROUNDING_POLICIES)} "
                         f"(got '{policy}').")
    check_tolerance(tolerance_pct)
    if not dose_mg > 0:
        raise InputError("dose_mg", dose_mg, f"Dose (mg) must be more than 0 (got {dose_mg}).")
    max_mg = (None if actual_weight_kg is None
              else label_maximum(product).max_mg(actual_weight_kg))
    dose_ml = dose_mg / product.mg_per_ml
    options = _combinations(product, dose_ml)
    up = _best([o for o in options if o[0] >= dose_ml])
    below = [o for o in options if Decimal(0) < o[0] <= dose_ml]
    down = max(below, key=lambda o: (o[0], -sum(o[1]))) if below else None

    # Whole-vial doses the policy may give, nearest first (a tie goes up).
    candidates = [up]
    if policy == "nearest" and down is not None:
        candidates = [down, up] if dose_ml - down[0] < up[0] - dose_ml else [up, down]
    warnings: list[str] = []
    capped = policy != "none" and max_mg is not None and any(
        ml * product.mg_per_ml > max_mg for ml, _ in candidates)
    rounded_ml, counts = dose_ml, up[1]
    if policy != "none":
        reasons = [_refusal(ml, dose_ml, product, tolerance_pct, max_mg) for ml, _ in candidates]
        allowed = [c for c, reason in zip(candidates, reasons, strict=True) if reason is None]
        if allowed:
            rounded_ml, counts = allowed[0]
        else:
            warnings.append(
                f"Not rounded: {reasons[0]}. The dose to give stays {dose_mg:,} mg; open the "
                f"vials shown and discard what is left over.")
    # Unrounded stays the calculated dose exactly (mL and back could lose the last digit).
    rounded_mg = dose_mg if rounded_ml == dose_ml else rounded_ml * product.mg_per_ml
    vials = tuple(VialCount(vial.ml, vial.mg, n)
                  for vial, n in zip(product.vials, counts, strict=True) if n)
    opened_ml = sum((v.vial_ml * v.count for v in vials), Decimal(0))
    return VialPlan(
        product=product.id,
        policy=policy,
        tolerance_pct=None if policy == "none" else tolerance_pct,
        calculated_mg=dose_mg,
        rounded_mg=rounded_mg,
        difference_pct=percent_difference(rounded_mg, dose_mg),
        calculated_ml=dose_ml,
        rounded_ml=rounded_ml,
        rounded_to_vials=rounded_ml != dose_ml,
        label_max_mg=max_mg,
        vials=vials,
        vial_count=sum(v.count for v in vials),
        opened_ml=opened_ml,
        opened_mg=opened_ml * product.mg_per_ml,
        left_over_ml=opened_ml - rounded_ml,
        discard_mg=(opened_ml - rounded_ml) * product.mg_per_ml,
        # The label maximum is cited where it kept a whole-vial dose from being given.
        sources=unique((product.source,), ("hopa-rounding",) if policy != "none" else (),
                       (label_maximum(product).source,) if capped else ()),
        warnings=tuple(warnings),
    )


# ---- how a plan is shown -----------------------------------------------------------------

def _discard(plan: VialPlan) -> str:
    return f"; discard {ml_text(plan.left_over_ml)}" if plan.left_over_ml > 0 else ""


def _vial_sizes(plan: VialPlan) -> str:
    return " + ".join(f"{v.count} × {number(v.vial_ml)} mL" for v in plan.vials)


def vials_to_open(plan: VialPlan) -> str:
    """The vials to open, and what is left to discard, apart from the dose to give."""
    return _vial_sizes(plan) + _discard(plan)


def _vials_short(plan: VialPlan) -> str:
    if len(plan.vials) == 1:
        return f"{plural(plan.vial_count, 'vial')} ({number(plan.vials[0].vial_ml)} mL)"
    return f"{_vial_sizes(plan)} vials"


def to_give(plan: VialPlan) -> str:
    """The dose to give, with how far whole vials moved it from the calculated dose."""
    if not plan.difference_pct:
        return shown(plan.rounded_mg, "mg")
    sign = "+" if plan.difference_pct > 0 else ""
    return f"{shown(plan.rounded_mg, 'mg')} ({sign}{shown(plan.difference_pct, 'percent')} %)"


def dose_parts(plan: VialPlan) -> tuple[Part, ...]:
    """"10,500 mg = 210 mL = 5 vials (50 mL)": the dose to give, its volume, the vials."""
    discard = _discard(plan)
    return (figure_of("mg", mg_text(plan.rounded_mg)), " = ",
            figure_of("ml", ml_text(plan.rounded_ml)), " = ",
            figure_of("vials", _vials_short(plan)), *((discard,) if discard else ()))


# The form and command-line fields for the policy. Left empty, the institution's setting applies.
ROUNDING_FIELD = ChoiceField(
    name="rounding", label="Rounding to whole vials",
    choices=(("", "Hospital default"), *ROUNDING_CHOICES), default="",
)
TOLERANCE_FIELD = NumberField(
    name="rounding_tolerance_pct", label="Rounding tolerance (%)", unit="%",
    minimum_exclusive=None, minimum=Decimal(0), maximum=MAX_TOLERANCE_PCT, example="10",
    optional=True, range_source="hopa-rounding", range_reason=TOLERANCE_RANGE_REASON,
)


class RoundingDefaults(Protocol):
    """The institution's defaults that :func:`rounding_choice` falls back to
    (:class:`calculators.settings.Settings` is one; it imports this module, not the reverse)."""

    @property
    def rounding(self) -> str: ...

    @property
    def rounding_tolerance_pct(self) -> Decimal: ...


def rounding_choice(rounding: object, rounding_tolerance_pct: object,
                    settings: RoundingDefaults) -> tuple[str, Decimal]:
    """(policy, tolerance %) from the two fields, falling back to the institution's ``settings``."""
    policy = ROUNDING_FIELD.parse(rounding) or settings.rounding
    tolerance = TOLERANCE_FIELD.parse_optional(rounding_tolerance_pct)
    return policy, settings.rounding_tolerance_pct if tolerance is None else tolerance
