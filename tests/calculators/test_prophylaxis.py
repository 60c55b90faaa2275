"""calculators.prophylaxis against the CMV Ig monograph and the CytoGam label.

Expected numbers live in golden/prophylaxis.json, each case citing its source; the browser test
reads the same file.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from calculators import InputError, prophylaxis_schedule, run
from calculators.prophylaxis import ORGAN_GROUPS
from tests.conftest import golden

GOLDEN = golden("prophylaxis")


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=lambda c: c["id"])
def test_golden_schedule(case: dict) -> None:
    result = run("prophylaxis", case["input"])
    expect = case["expect"]
    assert result["organ_group"] == expect["organ_group"]
    got = [
        {k: dose[k] for k in ("date", "week", "mg_per_kg", "dose_mg", "volume_ml")}
        for dose in result["doses"]
    ]
    assert got == expect["doses"]
    assert result["total_mg"] == expect["total_mg"]
    assert result["total_ml"] == expect["total_ml"]


@pytest.mark.parametrize(
    "case", GOLDEN["errors"], ids=lambda c: f"{c['field']}={c['input'][c['field']]!r}"
)
def test_bad_input_names_the_field(case: dict) -> None:
    with pytest.raises(InputError) as caught:
        run("prophylaxis", case["input"])
    assert caught.value.field == case["field"]
    label = {"weight_kg": "Weight", "organ": "organ", "transplant_date": "Transplant date"}
    assert label[case["field"]] in caught.value.message


def test_seven_doses_at_label_weeks() -> None:
    # CMV Ig monograph: initial dose, then weeks 2, 4, 6, 8, 12 and 16, for both organ groups.
    for group in ORGAN_GROUPS:
        assert [week for week, _ in group.doses] == [0, 2, 4, 6, 8, 12, 16]


def test_typed_arguments_are_accepted_and_exact() -> None:
    # 70.1 kg x 150 mg/kg = 10,515 mg exactly, 210.3 mL at 50 mg/mL (CytoGam label).
    schedule = prophylaxis_schedule(70.1, "Kidney", date(2026, 1, 1))
    first = schedule.doses[0]
    assert first.dose_mg == Decimal("10515.0")
    assert first.volume_ml == Decimal("210.3")
    assert schedule.organ == "kidney"


def test_every_rule_cites_a_registered_source() -> None:
    from calculators.sources import SOURCES

    schedule = prophylaxis_schedule(70, "kidney", "2026-01-01")
    assert schedule.sources and all(key in SOURCES for key in schedule.sources)


def test_unknown_parameter_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        run("prophylaxis", {"weight": "70", "organ": "kidney", "transplant_date": "2026-01-01"})
    assert caught.value.field == "weight"


def test_boolean_weight_is_not_a_number() -> None:
    with pytest.raises(InputError, match="Weight"):
        prophylaxis_schedule(True, "kidney", "2026-01-01")  # type: ignore[arg-type]
