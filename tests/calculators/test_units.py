"""calculators.units: mg, U and mL of a product, with its vials.

Label numbers (CytoGam label; Cytotect CP SmPC) are also golden cases in
golden/cytogam-label.json and golden/cytotect-cp-smpc.json.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from calculators import settings
from calculators.errors import InputError
from calculators.products import OLDER_CYTOTECT_NOTE
from calculators.registry import CALCULATORS, describe, run
from calculators.units import UNITS_FIELDS, unit_conversion


def _error(**params: object) -> InputError:
    with pytest.raises(InputError) as caught:
        unit_conversion(**params)  # type: ignore[arg-type]
    return caught.value


def test_registered_with_its_fields() -> None:
    calculator = CALCULATORS["units"]
    assert calculator.function is unit_conversion
    assert [f.name for f in calculator.fields] == [
        "amount", "unit", "product", "rounding", "rounding_tolerance_pct"]
    fields = {f["name"]: f for f in describe()["units"]["fields"]}
    assert [c["value"] for c in fields["unit"]["choices"]] == ["mg", "u", "ml"]
    assert fields["amount"]["required"] and fields["unit"]["required"]
    assert not fields["rounding"]["required"] and not fields["rounding_tolerance_pct"]["required"]


@pytest.mark.parametrize(
    ("amount", "unit", "mg", "units", "ml"),
    [
        # Cytotect CP SmPC: 100 U/mL and 50 mg/mL; vials 10 mL (500 mg, 1,000 U) and
        # 50 mL (2,500 mg, 5,000 U).
        ("5000", "U", 2500, 5000, 50),
        ("1000", "U", 500, 1000, 10),
        ("500", "mg", 500, 1000, 10),
        ("10", "mL", 500, 1000, 10),
        ("2500 mg", "MG", 2500, 5000, 50),
        ("1 U", " u ", Decimal("0.5"), 1, Decimal("0.01")),
        ("0.5", "ml", 25, 50, Decimal("0.5")),
    ],
)
def test_cytotect_cp_conversions(amount: str, unit: str, mg: Decimal, units: Decimal,
                                 ml: Decimal) -> None:
    result = unit_conversion(amount, unit, "cytotect-cp")
    assert (result.mg, result.units, result.ml) == (mg, units, ml)
    assert result.product == "cytotect-cp" and result.product_name == "Cytotect CP"
    assert result.units_per_ml == 100 and result.mg_per_ml == 50
    assert result.sources == ("cytotect-cp-smpc",)


def test_the_given_amount_is_kept_exactly() -> None:
    # The unit typed is echoed in its usual spelling and the amount is not re-derived.
    result = unit_conversion(Decimal("1234.5"), "u", "cytotect-cp")
    assert result.unit == "U" and result.amount == result.units == Decimal("1234.5")
    assert result.ml == Decimal("12.345") and result.mg == Decimal("617.25")
    assert unit_conversion(70, "mg", "cytotect-cp").unit == "mg"
    assert unit_conversion(70.5, "ML", "cytotect-cp").unit == "mL"


def test_every_cytotect_cp_result_warns_of_the_older_product() -> None:
    # Clinical facts: the older Cytotect (50 U/mL) is a different product; the same number of
    # units is twice the volume in it.
    for unit in ("mg", "U", "mL"):
        notes = unit_conversion("10", unit, "cytotect-cp").notes
        assert OLDER_CYTOTECT_NOTE in notes
        assert "twice the volume" in OLDER_CYTOTECT_NOTE and "50 U/mL" in OLDER_CYTOTECT_NOTE
    assert OLDER_CYTOTECT_NOTE not in unit_conversion("10", "mg", "cytogam").notes


def test_cytogam_mg_and_ml_without_units() -> None:
    # CytoGam label: one vial, 2,500 mg nominal in 50 mL; no unit strength.
    result = unit_conversion("2500", "mg", "cytogam")
    assert (result.mg, result.ml, result.units, result.units_per_ml) == (2500, 50, None, None)
    assert result.rounded_units is None
    assert result.vial_plan.vials[0].count == 1
    assert result.notes == ("The label gives 50 +/- 10 mg/mL; calculations use the nominal "
                            "50 mg/mL.",)
    assert unit_conversion("50", "mL", "cytogam").mg == 2500


def test_default_product_is_cytogam() -> None:
    # PRODUCT_FIELD's default (CytoGam label: 50 mg/mL).
    assert unit_conversion("100", "mL").product == "cytogam"
    assert run("units", {"amount": "100", "unit": "mL"})["mg"] == 5000


@pytest.mark.parametrize("unit", ["U", "u", " U "])
def test_units_of_cytogam_are_refused(unit: str) -> None:
    error = _error(amount="5000", unit=unit, product="cytogam")
    assert error.field == "unit"
    assert error.value == unit
    assert "CytoGam has no labelled unit strength" in error.message


def test_units_through_the_registry_are_plain_null_for_cytogam() -> None:
    result = run("units", {"amount": "2500", "unit": "mg", "product": "cytogam"})
    assert result["units"] is None and result["rounded_units"] is None
    assert result["ml"] == 50


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"amount": "", "unit": "mg"}, "amount", "Amount (mg) is required"),
        ({"amount": "abc", "unit": "mg"}, "amount", "must be a number"),
        ({"amount": "0", "unit": "U", "product": "cytotect-cp"}, "amount", "more than 0 U"),
        ({"amount": "-5", "unit": "mL"}, "amount", "more than 0 mL"),
        # Bounds: 1,000 mL at 50 mg/mL and 100 U/mL.
        ({"amount": "50001", "unit": "mg"}, "amount", "at most 50000 mg"),
        ({"amount": "100001", "unit": "U", "product": "cytotect-cp"}, "amount", "at most 100000 U"),
        ({"amount": "1000.5", "unit": "mL"}, "amount", "at most 1000 mL"),
        ({"amount": "50 mL", "unit": "U", "product": "cytotect-cp"}, "amount",
         "unknown unit 'mL' (use U)"),
        ({"amount": "5,000", "unit": "U", "product": "cytotect-cp"}, "amount", "thousands"),
        ({"amount": " 2.500 ", "unit": "mg"}, "amount", "'2.500'"),
        ({"amount": "10", "unit": ""}, "unit", "Unit is required"),
        ({"amount": "10", "unit": "g"}, "unit", "must be one of mg, u, ml"),
        ({"amount": "10", "unit": "mg", "product": "cytotect"}, "product", "Product must be"),
        ({"amount": "10", "unit": "mg", "product": "custom"}, "product", "no custom product"),
        ({"amount": "10", "unit": "mg", "rounding": "down"}, "rounding",
         "Rounding to whole vials must be one of"),
        ({"amount": "10", "unit": "mg", "rounding_tolerance_pct": "26"},
         "rounding_tolerance_pct", "at most 10 %"),
    ],
)
def test_bad_input_names_the_field(params: dict[str, object], field: str, words: str) -> None:
    error = _error(**params)
    assert error.field == field
    assert words in error.message


def test_decimal_comma_and_three_decimals_below_one_are_read() -> None:
    # '0.125' and '12,5' cannot be thousands; only a separator and exactly three digits after a
    # non-zero whole part is refused.
    assert unit_conversion("0.125", "mL", "cytotect-cp").mg == Decimal("6.250")
    assert unit_conversion("12,5", "mL", "cytotect-cp").units == 1250
    assert unit_conversion("1.0005", "mL", "cytotect-cp").ml == Decimal("1.0005")


def test_rounding_from_settings_and_from_fields() -> None:
    # Cytotect CP SmPC vials 10 and 50 mL; 5,500 U = 55 mL -> up: 50 + 10 mL = 6,000 U.
    assert unit_conversion("5500", "U", "cytotect-cp").vial_plan.policy == "none"
    up = settings.parse({"rounding": "up"})
    result = unit_conversion("5500", "U", "cytotect-cp", settings=up)
    assert result.vial_plan.policy == "up"
    assert result.rounded_units == 6000 and result.units == 5500
    assert result.sources == ("cytotect-cp-smpc", "hopa-rounding")
    # A field overrides the site's policy.
    assert unit_conversion("5500", "U", "cytotect-cp", rounding="none",
                           settings=up).rounded_units == 5500


def test_tolerance_from_settings_and_from_fields() -> None:
    # CytoGam label: 50 mL vials; 2,750 mg = 55 mL, nearest 50 mL is 9.1 % less.
    nearest = settings.parse({"rounding": "nearest", "rounding_tolerance_pct": "5"})
    result = unit_conversion("2750", "mg", "cytogam", settings=nearest)
    assert result.vial_plan.tolerance_pct == 5 and result.vial_plan.rounded_mg == 2750
    assert result.warnings == result.vial_plan.warnings and len(result.warnings) == 1
    result = unit_conversion("2750", "mg", "cytogam", rounding_tolerance_pct="10", settings=nearest)
    assert result.vial_plan.tolerance_pct == 10 and result.vial_plan.rounded_mg == 2500
    assert result.warnings == ()


def test_custom_product_with_units() -> None:
    # This institution's product (settings): any strength and vial sizes it configures.
    local = settings.parse({"custom_product": {"name": "Local CMV-IG", "mg_per_ml": "100",
                                               "units_per_ml": "200", "vial_ml": [20, 5]}})
    result = unit_conversion("5000", "U", "custom", rounding="up", settings=local)
    assert (result.ml, result.mg, result.units) == (25, 2500, 5000)
    assert result.product == "custom" and result.product_name == "Local CMV-IG"
    assert [(v.vial_ml, v.count) for v in result.vial_plan.vials] == [(20, 1), (5, 1)]
    assert result.sources == ("institution-config", "hopa-rounding")
    assert result.notes == ()
    # 28 mL up to 30 mL is +7.1 %, within 10 % (issue 13: 27 mL, +11.1 %, is no longer rounded).
    result = unit_conversion("28", "mL", "custom", rounding="up", settings=local)
    assert result.units == 5600 and result.rounded_units == 6000
    result = unit_conversion("27", "mL", "custom", rounding="up", settings=local)
    assert result.units == result.rounded_units == 5400


PLAIN_IG = settings.parse({"custom_product": {"name": "Plain IG", "mg_per_ml": "2",
                                              "vial_ml": ["100"]}})


def test_custom_product_without_units_and_low_strength() -> None:
    error = _error(amount="10", unit="U", product="custom", settings=PLAIN_IG)
    assert error.field == "unit" and "Plain IG has no labelled unit strength" in error.message
    # 2,002 mg at 2 mg/mL is 1,001 mL: past the 1,000 mL plausibility bound.
    error = _error(amount="2002", unit="mg", product="custom", settings=PLAIN_IG)
    assert error.field == "amount" and "1001 mL, more than 1000 mL" in error.message
    assert unit_conversion("2000", "mg", "custom", settings=PLAIN_IG).ml == 1000


def test_plain_result_is_json_ready() -> None:
    result = run("units", {"amount": "1000", "unit": "U", "product": "cytotect-cp",
                           "rounding": "nearest", "rounding_tolerance_pct": "10"})
    assert result["vial_plan"]["vials"] == [{"vial_ml": 10, "vial_mg": 500, "count": 1}]
    assert result["sources"] == ["cytotect-cp-smpc", "hopa-rounding"]
    assert {"mg", "units", "ml", "vial_plan", "sources", "warnings", "notes"} <= set(result)


def test_fields_tuple_matches_the_signature() -> None:
    import inspect

    assert list(inspect.signature(unit_conversion).parameters) == [
        *(f.name for f in UNITS_FIELDS), "settings"]


def test_command_line() -> None:
    # Cytotect CP SmPC: 1,000 U = 10 mL = 500 mg.
    from calculators.__main__ import main

    assert main(["units", "--amount", "1000", "--unit", "U", "--product", "cytotect-cp"]) == 0
    assert main(["units", "--amount", "1000", "--unit", "U", "--product", "cytogam"]) == 2


def test_the_given_amount_is_kept_exactly_at_any_strength() -> None:
    # A custom 3 mg/mL, 7 U/mL product: 10 mg is 10/3 mL, which does not end; the amount given
    # comes back exactly, not through mL (mutation testing).
    odd = settings.parse({"custom_product": {"name": "Odd", "mg_per_ml": "3", "units_per_ml": "7",
                                             "vial_ml": [5]}})
    assert unit_conversion("10", "mg", "custom", settings=odd).mg == 10
    assert unit_conversion("10", "U", "custom", settings=odd).units == 10
    assert unit_conversion("10", "mg", "custom", settings=odd).sources == ("institution-config",)


def test_refusals_carry_the_value_given_and_the_whole_message() -> None:
    # Mutation testing: the error's value is what was typed (shown by the page and the command
    # line), and its message says what to do. CytoGam label: no unit strength; 1,000 mL bound.
    error = _error(amount="10", unit="U", product="cytogam")
    assert (error.field, error.value) == ("unit", "U")
    assert error.message == ("Unit: CytoGam has no labelled unit strength (U/mL); give the amount "
                             "in mg or mL, or choose a product labelled in units (Cytotect CP).")
    # The 1,000 mL bound binds before the field's own only for a weak custom product.
    error = _error(amount="2002", unit="mg", product="custom", settings=PLAIN_IG)
    assert (error.field, error.value) == ("amount", "2002")
    assert error.message == ("Amount: 2002 mg of Plain IG is 1001 mL, more than 1000 mL; check "
                             "the amount and its unit.")


def test_above_the_expected_volume_warns_in_full() -> None:
    # 450 mL is the CytoGam label maximum of 150 mg/kg at 150 kg, at 50 mg/mL (22,500 mg).
    assert unit_conversion("450", "mL", "cytogam").warnings == ()
    assert unit_conversion("451", "mL", "cytogam").warnings == (
        "Amount: 451 mL is more than 450 mL, the CytoGam label maximum of 150 mg/kg per infusion "
        "for a 150 kg patient: check the amount and its unit. The label maximum needs a weight, "
        "which this conversion does not have; rounding here is bounded by the tolerance only.",)


def test_units_given_are_kept_exactly_when_the_volume_does_not_end() -> None:
    # A custom 3 U/mL product: 10 U is 10/3 mL, and 10/3 x 3 is 9.999... to 28 digits; the
    # units given come back exactly (mutation testing; 7 U/mL happens to round back to 10).
    odd = settings.parse({"custom_product": {"name": "Odd", "mg_per_ml": "3", "units_per_ml": "3",
                                             "vial_ml": [5]}})
    result = unit_conversion("10", "U", "custom", settings=odd)
    assert result.units == 10 and str(result.units) == "10"
