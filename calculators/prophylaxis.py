"""CMV prophylaxis after solid-organ transplant: the CytoGam label schedule as dated doses.

The label gives two schedules, one for kidney recipients and one for liver, lung, pancreas and heart
recipients: a first dose within 72 hours of transplant, then doses at weeks 2, 4, 6, 8, 12 and 16.
:func:`prophylaxis_schedule` turns a weight and a transplant date into those seven doses, each with
its date, mg/kg, dose in mg and volume in mL. The first dose is dated on the transplant day; the
label allows up to 72 hours after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .calculator import Calculator
from .fields import ChoiceField, DateField, NumberField
from .products import product

__all__ = [
    "ORGAN_GROUPS",
    "PROPHYLAXIS_FIELDS",
    "Dose",
    "ProphylaxisSchedule",
    "prophylaxis_schedule",
]


@dataclass(frozen=True, slots=True)
class OrganGroup:
    """One of the label's two schedules: (week after transplant, mg/kg) for each dose."""

    id: str
    organs: tuple[str, ...]
    doses: tuple[tuple[int, Decimal], ...]
    sources: tuple[str, ...]


# CytoGam label and the CMV Ig monograph agree on both schedules (week 0 = first dose).
ORGAN_GROUPS: tuple[OrganGroup, ...] = (
    OrganGroup(
        id="kidney",
        organs=("kidney",),
        doses=(
            (0, Decimal(150)),
            (2, Decimal(100)),
            (4, Decimal(100)),
            (6, Decimal(100)),
            (8, Decimal(100)),
            (12, Decimal(50)),
            (16, Decimal(50)),
        ),
        sources=("cmvig-monograph", "cytogam-label"),
    ),
    OrganGroup(
        id="liver-lung-pancreas-heart",
        organs=("liver", "lung", "pancreas", "heart"),
        doses=(
            (0, Decimal(150)),
            (2, Decimal(150)),
            (4, Decimal(150)),
            (6, Decimal(150)),
            (8, Decimal(150)),
            (12, Decimal(100)),
            (16, Decimal(100)),
        ),
        sources=("cmvig-monograph", "cytogam-label"),
    ),
)

PROPHYLAXIS_FIELDS = (
    NumberField(
        name="weight_kg",
        label="Weight (kg)",
        hint="Body weight in kilograms.",
        unit="kg",
        minimum_exclusive=Decimal(0),
        maximum=Decimal(300),
        example="72.5",
    ),
    ChoiceField(
        name="organ",
        label="Transplanted organ",
        choices=(
            ("kidney", "Kidney"),
            ("liver", "Liver"),
            ("lung", "Lung"),
            ("pancreas", "Pancreas"),
            ("heart", "Heart"),
        ),
    ),
    DateField(
        name="transplant_date",
        label="Transplant date",
        hint="The day of transplant; the first dose is due within 72 hours of it.",
    ),
)
_WEIGHT, _ORGAN, _DATE = PROPHYLAXIS_FIELDS


@dataclass(frozen=True, slots=True)
class Dose:
    number: int
    week: int
    date: date
    mg_per_kg: Decimal
    dose_mg: Decimal
    volume_ml: Decimal


@dataclass(frozen=True, slots=True)
class ProphylaxisSchedule:
    weight_kg: Decimal
    organ: str
    organ_group: str
    transplant_date: date
    product: str
    mg_per_ml: Decimal
    doses: tuple[Dose, ...]
    total_mg: Decimal
    total_ml: Decimal
    sources: tuple[str, ...]
    notes: tuple[str, ...]


def _group_for(organ: str) -> OrganGroup:
    return next(group for group in ORGAN_GROUPS if organ in group.organs)


def prophylaxis_schedule(
    weight_kg: Decimal | int | float | str,
    organ: str,
    transplant_date: date | str,
) -> ProphylaxisSchedule:
    """The seven CytoGam prophylaxis doses for a recipient of ``organ``.

    ``weight_kg`` is the dosing weight in kilograms; ``transplant_date`` the day of transplant.
    Text is accepted for every argument (as typed into a form). Raises
    :class:`~calculators.errors.InputError` naming the argument when one is missing or invalid.
    Doses and volumes are exact; rounding is left to whoever displays them.
    """
    weight = _WEIGHT.parse(weight_kg)
    organ_id = _ORGAN.parse(organ)
    day0 = _DATE.parse_required(transplant_date)
    group = _group_for(organ_id)
    cytogam = product("cytogam")

    doses = tuple(
        Dose(
            number=number,
            week=week,
            date=day0 + timedelta(weeks=week),
            mg_per_kg=mg_per_kg,
            dose_mg=mg_per_kg * weight,
            volume_ml=mg_per_kg * weight / cytogam.mg_per_ml,
        )
        for number, (week, mg_per_kg) in enumerate(group.doses, start=1)
    )
    return ProphylaxisSchedule(
        weight_kg=weight,
        organ=organ_id,
        organ_group=group.id,
        transplant_date=day0,
        product=cytogam.id,
        mg_per_ml=cytogam.mg_per_ml,
        doses=doses,
        total_mg=sum((d.dose_mg for d in doses), Decimal(0)),
        total_ml=sum((d.volume_ml for d in doses), Decimal(0)),
        # dict.fromkeys drops repeats and keeps the order.
        sources=tuple(dict.fromkeys((*group.sources, cytogam.source))),
        notes=(
            "The first dose is dated on the transplant day; the label allows it within 72 hours.",
            "Volumes assume the nominal 50 mg/mL; the label allows 50 +/- 10 mg/mL per vial.",
        ),
    )


CALCULATORS = (
    Calculator("prophylaxis", "CytoGam prophylaxis schedule", prophylaxis_schedule,
               PROPHYLAXIS_FIELDS),
)
