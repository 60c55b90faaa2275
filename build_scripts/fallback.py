"""Dose tables for use without the calculator: the no-JavaScript fallback, built by the core.

When the browser has JavaScript or WebAssembly switched off, the calculator forms cannot run. The
prophylaxis and administration pages then still show, in a collapsed ``<details>`` next to the
form, the answers for a band of body weights, worked out at build time by the same core
(:mod:`calculators`) that runs in the page. Nothing here knows a dose: every number is a field of
a result of :func:`calculators.prophylaxis.prophylaxis_schedule` or
:func:`calculators.infusion.infusion_plan`, called once per weight, and only formatted here.

- ``fallback_table("prophylaxis")``: one table per labelled schedule of
  :data:`calculators.prophylaxis.SCHEDULES` (CytoGam kidney; CytoGam liver, lung, pancreas,
  heart; Cytotect CP), the dose of each visit group in mg and mL, actual body weight, no rounding.
- ``fallback_table("infusion")``: the CytoGam rate steps in mL/h, first and later infusions, with
  the label's mL/h cap marked where it holds a step down.

Weights: :data:`WEIGHTS_KG`, 40 to 120 kg in 5 kg steps. 40 kg is about where adult weights
begin (a child is dosed on the calculator, by its own weight and local paediatric protocols);
120 kg reaches well past 62.5 kg, where the CytoGam 75 mL/h cap starts to bind, so the infusion
table shows capped and uncapped rows; above it the choice of dosing weight (actual, ideal,
adjusted) becomes a real question that a table at actual weight should not answer. Any other
weight needs the calculator or the per-kilogram formula, which the table's text says.

Numbers are shown as the calculators show them in the browser (``Intl.NumberFormat("en-GB")``,
at most three decimals): :func:`en_gb`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from calculators.infusion import InfusionPlan, InfusionStep, infusion_plan
from calculators.prophylaxis import SCHEDULES, Schedule, prophylaxis_schedule
from calculators.schedule import Dose

__all__ = ["WEIGHTS_KG", "FALLBACKS", "Cell", "Group", "Row", "BandTable", "en_gb",
           "prophylaxis_tables", "infusion_tables", "WEIGHT_BASIS", "ROUNDING"]

WEIGHTS_KG: tuple[int, ...] = tuple(range(40, 121, 5))
# The tables give doses, not dates; any transplant day gives the same doses.
TRANSPLANT_DAY = date(2026, 1, 1)
WEIGHT_BASIS = "actual"
ROUNDING = "none"
INFUSION_PRODUCT = "cytogam"


@dataclass(frozen=True, slots=True)
class Cell:
    """One number: the core's exact value, and the text shown for it."""

    value: Decimal
    text: str
    capped: bool = False  # an infusion rate held down by the label's mL/h cap


@dataclass(frozen=True, slots=True)
class Group:
    """Columns under one heading (a visit group, or an infusion)."""

    heading: str
    columns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Row:
    weight_kg: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class BandTable:
    id: str
    title: str
    basis: str  # how the numbers were worked out, for the caption
    groups: tuple[Group, ...]
    rows: tuple[Row, ...]
    sources: tuple[str, ...]  # keys of calculators.sources.SOURCES, from the core's results


def en_gb(value: Decimal) -> str:
    """``value`` as the browser shows it: ``Intl.NumberFormat("en-GB")``, at most 3 decimals.

    Rounded half away from zero (as ``Intl`` does), trailing zeros dropped, thousands grouped
    with commas: 10500 -> ``10,500``, 13.5 -> ``13.5``.
    """
    rounded = value.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP).normalize()
    return f"{rounded:,f}"


def _cell(value: Decimal, capped: bool = False) -> Cell:
    return Cell(value=value, text=en_gb(value), capped=capped)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _listed(items: list[str], last: str = "and") -> str:
    """``a, b and c`` (or ``a, b or c``)."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


# -- prophylaxis ------------------------------------------------------------------------------
def _visit_groups(schedule: Schedule, doses: tuple[Dose, ...]) -> list[list[Dose]]:
    """The doses in runs of one size per kg. A dated plan (CytoGam) keeps its first dose apart,
    as the label does (within 72 hours of transplant); a repeating plan (Cytotect CP) is one run.
    """
    groups: list[list[Dose]] = []
    for dose in doses:
        first_apart = bool(schedule.doses) and len(groups) == 1
        if groups and not first_apart and groups[-1][-1].mg_per_kg == dose.mg_per_kg:
            groups[-1].append(dose)
        else:
            groups.append([dose])
    return groups


def _visit_heading(schedule: Schedule, group: list[Dose]) -> str:
    mg_per_kg = group[0].mg_per_kg
    assert mg_per_kg is not None, "every labelled prophylaxis dose is in mg/kg"
    per_kg = f"{en_gb(mg_per_kg)} mg/kg"
    if not schedule.doses:
        return f"Each dose, {per_kg}"
    weeks = [str(dose.week) for dose in group]
    return f"{'Week' if len(weeks) == 1 else 'Weeks'} {_listed(weeks)}, {per_kg}"


def _schedule_title(schedule: Schedule, product_name: str) -> str:
    if schedule.product == "cytotect-cp":
        return f"{product_name}, any organ"
    return f"{product_name}, {_listed(list(schedule.organs), 'or')}"


def prophylaxis_tables(weights: Iterable[int] = WEIGHTS_KG) -> tuple[BandTable, ...]:
    """One table per labelled schedule: mg and mL of each visit group, for each weight."""
    weights = tuple(weights)
    tables = []
    for schedule in SCHEDULES:
        rows: list[Row] = []
        groups: tuple[Group, ...] = ()
        sources: list[str] = []
        title = basis = ""
        for weight in weights:
            result = prophylaxis_schedule(
                weight_kg=Decimal(weight), organ=schedule.organs[0],
                transplant_date=TRANSPLANT_DAY, product=schedule.product,
                weight_basis=WEIGHT_BASIS, rounding=ROUNDING)
            assert result.schedule == schedule.id, (result.schedule, schedule.id)
            visits = _visit_groups(schedule, result.doses)
            cells: list[Cell] = []
            for visit in visits:
                # One size per group, or the grouping would hide a dose.
                assert len({(d.dose_mg, d.volume_ml) for d in visit}) == 1, visit
                cells += [_cell(visit[0].dose_mg), _cell(visit[0].volume_ml)]
            these = tuple(Group(_visit_heading(schedule, visit), ("mg", "mL")) for visit in visits)
            assert not groups or these == groups, "the visit groups must not depend on weight"
            groups = these
            rows.append(Row(weight, tuple(cells)))
            sources += result.sources
            title = _schedule_title(schedule, result.product_name)
            basis = (f"Actual body weight; doses not rounded to whole vials; volumes at "
                     f"{en_gb(result.mg_per_ml)} mg/mL.")
        tables.append(BandTable(id=f"prophylaxis-{schedule.id}", title=title, basis=basis,
                                groups=groups, rows=tuple(rows), sources=_unique(sources)))
    return tuple(tables)


# -- infusion ---------------------------------------------------------------------------------
def _step_heading(step: InfusionStep) -> str:
    rate = f"{'up to ' if step.rate_is_limit else ''}{en_gb(step.rate_mg_per_kg_h)} mg/kg/h"
    length = (f" for {en_gb(step.duration_min)} min" if step.duration_min is not None
              else " to the end")
    return f"Step {step.number}: {rate}{length}"


def infusion_tables(weights: Iterable[int] = WEIGHTS_KG) -> tuple[BandTable, ...]:
    """The CytoGam rate steps in mL/h (after the cap), first and later infusions, per weight."""
    weights = tuple(weights)
    rows: list[Row] = []
    groups: tuple[Group, ...] = ()
    sources: list[str] = []
    plan: InfusionPlan | None = None
    for weight in weights:
        cells: list[Cell] = []
        these: list[Group] = []
        for first in (True, False):
            plan = infusion_plan(weight_kg=Decimal(weight), product=INFUSION_PRODUCT,
                                 first_infusion=first)
            assert plan.first_infusion is first and plan.duration_min is None
            these.append(Group("First infusion" if first else "Later infusions",
                               tuple(_step_heading(step) for step in plan.steps)))
            cells += [_cell(step.rate_ml_h, step.capped) for step in plan.steps]
            sources += plan.sources
        assert not groups or tuple(these) == groups, "the steps must not depend on weight"
        groups = tuple(these)
        rows.append(Row(weight, tuple(cells)))
    assert plan is not None, "no weights"
    cap = (f"; never above {en_gb(plan.max_rate_ml_h)} mL/h, and a rate marked (cap) is held "
           "at that ceiling" if plan.max_rate_ml_h is not None else "")
    basis = (f"Rates in mL/h at {en_gb(plan.mg_per_ml)} mg/mL, each step reached only while "
             f"there has been no reaction{cap}.")
    return (BandTable(id=f"infusion-{plan.product}", title=f"{plan.product_name} infusion rates",
                      basis=basis, groups=groups, rows=tuple(rows),
                      sources=_unique(sources)),)


FALLBACKS = {"prophylaxis": prophylaxis_tables, "infusion": infusion_tables}
