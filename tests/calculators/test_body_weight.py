"""calculators.body_weight: Devine ideal, adjusted body weight, BMI, and the dosing weight.

Formulas (nba-ig-dosing): Devine IBW men 50 kg, women 45.5 kg, + 2.3 kg per inch over 60 inches
(1 in = 2.54 cm); adjusted = IBW + 0.4 x (actual - IBW). Pounds: 1 lb = 0.45359237 kg exactly
(pound-definition). More cases: golden/nba-ig-dosing.json,
golden/pound-definition.json.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from calculators import settings
from calculators.body_weight import (
    CALCULATORS,
    LB_IN_KG,
    OPTIONAL_HEIGHT_FIELD,
    OPTIONAL_SEX_FIELD,
    WEIGHT_BASIS_FIELD,
    body_weight,
    dosing_weight,
)
from calculators.errors import InputError
from calculators.registry import run
from calculators.settings import DEFAULTS


@pytest.mark.parametrize(
    ("height", "sex", "ibw"),
    [
        # nba-ig-dosing: at 60 in (152.4 cm) the IBW is the base: 50 kg men, 45.5 kg women.
        ("152.4", "male", Decimal("50.0")),
        ("152.4", "female", Decimal("45.5")),
        ("60 in", "Male", Decimal("50.0")),
        # + 2.3 kg per inch: 72 in -> 50 + 12 x 2.3 = 77.6 kg; 45.5 + 27.6 = 73.1 kg.
        ("72 in", "male", Decimal("77.6")),
        ("72 in", "female", Decimal("73.1")),
        # 180 cm = 70.866 in -> 50 + 10.866 x 2.3 = 74.99 -> 75.0 kg.
        ("180", "male", Decimal("75.0")),
        ("1.8 m", "male", Decimal("75.0")),
    ],
)
def test_devine_ideal_body_weight(height: str, sex: str, ibw: Decimal) -> None:
    result = body_weight("80", height, sex)
    assert result.ibw_kg == ibw
    assert result.formula_applies and result.warnings == ()
    assert result.sources == ("nba-ig-dosing",)


def test_adjusted_weight_and_bmi() -> None:
    # nba-ig-dosing: 180 cm man, 100 kg: IBW 74.99 kg; AdjBW 74.99 + 0.4 x 25.01 = 85.0 kg.
    result = body_weight("100", "180", "male")
    assert (result.weight_kg, result.height_cm, result.sex) == (100, 180, "male")
    assert result.adjbw_kg == Decimal("85.0")
    # BMI = kg / m^2 (its definition): 100 / 1.8^2 = 30.86 -> 30.9.
    assert result.bmi == Decimal("30.9")


def test_pounds_are_converted_exactly() -> None:
    # pound-definition: 154 lb x 0.45359237 = 69.85322498 kg.
    assert LB_IN_KG == Decimal("0.45359237")
    assert body_weight("154 lb", "175", "male").weight_kg == Decimal("69.85322498")


def test_under_60_inches_is_flagged() -> None:
    # nba-ig-dosing: the Devine formula counts inches over 60; 152.3 cm is under.
    result = body_weight("50", "152.3", "female")
    assert not result.formula_applies
    assert "152.4 cm (60 in)" in result.warnings[0]
    assert result.ibw_kg < Decimal("45.5")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"weight_kg": "0", "height_cm": "170", "sex": "male"}, "weight_kg"),
        ({"weight_kg": "70", "height_cm": "29", "sex": "male"}, "height_cm"),
        ({"weight_kg": "70", "height_cm": "251", "sex": "male"}, "height_cm"),
        ({"weight_kg": "70", "height_cm": "170 ft", "sex": "male"}, "height_cm"),
        ({"weight_kg": "70", "height_cm": "170", "sex": "other"}, "sex"),
        ({"weight_kg": "70", "height_cm": "170"}, "sex"),
    ],
)
def test_body_weight_bad_input(params: dict[str, str], field: str) -> None:
    with pytest.raises(InputError) as caught:
        run("body-weight", params)
    assert caught.value.field == field


def test_registered() -> None:
    (calculator,) = CALCULATORS
    assert calculator.name == "body-weight" and calculator.function is body_weight
    assert OPTIONAL_HEIGHT_FIELD.parse_optional("") is None
    assert OPTIONAL_SEX_FIELD.parse(None) == ""
    assert WEIGHT_BASIS_FIELD.parse(None) == ""


# --- dosing_weight -----------------------------------------------------------------------------

def test_actual_needs_nothing_else() -> None:
    for basis in (None, "", "actual", " Actual "):
        result = dosing_weight("154 lb", basis, settings=DEFAULTS)
        assert (result.basis_requested, result.basis) == ("actual", "actual")
        assert result.actual_kg == result.dosing_kg == Decimal("69.85322498")
        assert (result.ibw_kg, result.adjbw_kg, result.sources, result.warnings) == (
            None, None, (), ())


def test_ideal_and_adjusted() -> None:
    # nba-ig-dosing: 180 cm man, 100 kg: IBW 75.0 kg, AdjBW 85.0 kg.
    ideal = dosing_weight("100", "ideal", "180", "male", settings=DEFAULTS)
    assert (ideal.basis_requested, ideal.basis, ideal.dosing_kg) == ("ideal", "ideal", 75)
    assert (ideal.ibw_kg, ideal.adjbw_kg, ideal.actual_kg) == (75, 85, 100)
    assert ideal.sources == ("nba-ig-dosing",) and ideal.warnings == ()
    adjusted = dosing_weight("100", "adjusted", "180", "male", settings=DEFAULTS)
    assert (adjusted.basis, adjusted.dosing_kg) == ("adjusted", 85)


def test_equal_to_actual_is_not_a_fallback() -> None:
    # nba-ig-dosing: a 152.4 cm man's IBW is 50 kg; at 50 kg both bases equal the actual weight.
    result = dosing_weight("50", "ideal", "152.4", "male", settings=DEFAULTS)
    assert (result.basis, result.dosing_kg, result.warnings) == ("ideal", 50, ())


@pytest.mark.parametrize("basis", ["ideal", "adjusted"])
def test_above_actual_falls_back_to_actual(basis: str) -> None:
    # 180 cm man, 60 kg: IBW 75.0 kg and AdjBW 75 + 0.4 x (60 - 75) = 69.0 kg, both above 60 kg.
    result = dosing_weight("60", basis, "180", "male", settings=DEFAULTS)
    assert (result.basis_requested, result.basis, result.dosing_kg) == (basis, "actual", 60)
    assert (result.ibw_kg, result.adjbw_kg) == (75, 69)
    shown = "75.0" if basis == "ideal" else "69.0"
    assert result.warnings[0] == (f"The {basis} body weight ({shown} kg) is more than the actual "
                                  "weight; the actual weight is used.")
    # Issue 13: adjusted without an age asks to confirm the NBA exclusions.
    assert len(result.warnings) == (2 if basis == "adjusted" else 1)
    assert result.sources == ("nba-ig-dosing",)


def test_default_basis_comes_from_settings() -> None:
    adjusted = settings.parse({"weight_basis": "adjusted"})
    result = dosing_weight("100", None, "180", "male", settings=adjusted)
    assert (result.basis_requested, result.basis, result.dosing_kg) == ("adjusted", "adjusted", 85)
    # A field overrides the setting.
    assert dosing_weight("100", "actual", settings=adjusted).basis == "actual"


@pytest.mark.parametrize(
    ("args", "field", "words"),
    [
        (("100", "ideal", None, "male"), "height_cm", "Height (cm) is required for ideal"),
        (("100", "adjusted", " ", "male"), "height_cm", "required for adjusted body weight"),
        (("100", "ideal", "180", None), "sex", "Sex is required for ideal body weight."),
        (("100", "ideal", "180", ""), "sex", "Sex is required"),
        (("100", "ideal", "180", "x"), "sex", "Sex must be one of"),
        # nba-ig-dosing: the formula counts inches over 60 (152.4 cm); below it, refused.
        (("50", "ideal", "152.3", "female"), "height_cm", "not defined below 152.4 cm"),
        (("50", "adjusted", "59 in", "female"), "height_cm", "dose by actual body weight"),
        (("100", "lean", "180", "male"), "weight_basis", "Dosing weight must be one of"),
        (("abc", "actual"), "weight_kg", "Weight (kg) must be a number"),
    ],
)
def test_dosing_weight_bad_input(args: tuple[object, ...], field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        dosing_weight(*args, settings=DEFAULTS)
    assert caught.value.field == field
    assert words in caught.value.message
