"""(d) Within every schedule, dose dates strictly increase.

Every calculator in the registry is run on inputs each of its fields accepts; any ``doses`` list
in a result (at any depth) whose doses carry a ``date`` is checked, so schedules added later are
covered too.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators.errors import InputError
from calculators.prophylaxis import ORGAN_FIELD
from calculators.registry import CALCULATORS, run

from .strategies import WITH_CUSTOM_PRODUCT, dose_lists, valid_params

FAST = settings(max_examples=150, deadline=None)


def _check_dates(result: dict[str, Any]) -> int:
    checked = 0
    for doses in dose_lists(result):
        dates = [date.fromisoformat(d["date"]) for d in doses
                 if isinstance(d, dict) and d.get("date") is not None]
        assert all(a < b for a, b in zip(dates, dates[1:], strict=False)), dates
        checked += len(dates)
    return checked


@pytest.mark.parametrize("name", sorted(CALCULATORS))
@FAST
@given(data=st.data())
def test_dose_dates_strictly_increase(name: str, data: st.DataObject) -> None:
    params = data.draw(valid_params(name))
    try:
        result = run(name, params, WITH_CUSTOM_PRODUCT)
    except InputError:
        return  # fields that disagree with each other; (a) checks the error itself
    _check_dates(result)


@FAST
@given(
    weight=st.decimals(min_value=Decimal("0.5"), max_value=Decimal(300), places=1),
    organ=st.sampled_from([value for value, _ in ORGAN_FIELD.choices]),
    day0=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    product=st.sampled_from(["cytogam", "cytotect-cp"]),
    interval=st.integers(14, 21),
    rounding=st.sampled_from(["", "none", "up", "nearest"]),
)
def test_prophylaxis_dates(weight: Decimal, organ: str, day0: date, product: str,
                           interval: int, rounding: str) -> None:
    # CytoGam label: 7 doses at weeks 0-16; Cytotect CP SmPC: 6 doses, 14 to 21 days apart.
    result = run("prophylaxis", {"weight_kg": str(weight), "organ": organ,
                                 "transplant_date": day0.isoformat(), "product": product,
                                 "interval_days": str(interval), "rounding": rounding})
    assert _check_dates(result) == len(result["doses"]) >= 6
    assert result["doses"][0]["date"] == day0.isoformat()
    last = date.fromisoformat(result["doses"][-1]["date"])
    assert last - day0 <= timedelta(weeks=16)
