"""calculators.renal: Cockcroft–Gault and the ganciclovir / valganciclovir renal rows.

Worked cases live in golden/<source>.json (calculator "crcl") for cockcroft-gault-1976,
ganciclovir-label and valganciclovir-label. Formula (clinical-facts.md, Cockcroft & Gault 1976):
CrCl = (140 − age) × weight / (72 × SCr mg/dL), × 0.85 for women; µmol/L ÷ 88.4 = mg/dL.
Rows: ganciclovir IV label table (≥ 70, 50–69, 25–49, 10–24, < 10 on haemodialysis);
valganciclovir label Table 2 (≥ 60, 40–59, 25–39, 10–24, < 10 on haemodialysis).
With age 68 and 1 mg/dL, CrCl equals the weight: (140 − 68) × W / 72 = W.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from calculators.errors import InputError
from calculators.registry import CALCULATORS as REGISTRY
from calculators.registry import run
from calculators.renal import (
    AGE_FIELD,
    CALCULATORS,
    CREATININE_MG_DL_FIELD,
    CREATININE_UMOL_L_FIELD,
    GANCICLOVIR_ROWS,
    TABLES,
    VALGANCICLOVIR_ROWS,
    RenalDosing,
    _find_row,
    creatinine_clearance,
)
from calculators.sources import SOURCES
from tests.conftest import ROOT


def _at(crcl: str, haemodialysis: object = None) -> RenalDosing:
    """The result for a CrCl of ``crcl`` mL/min exactly (age 68, 1 mg/dL, weight = CrCl)."""
    return creatinine_clearance("68", crcl, "male", creatinine_mg_dl="1",
                                haemodialysis=haemodialysis)


def test_registered_with_its_fields() -> None:
    assert REGISTRY["crcl"] is CALCULATORS[0]
    assert [f.name for f in CALCULATORS[0].fields] == [
        "age", "weight_kg", "sex", "creatinine_mg_dl", "creatinine_umol_l", "haemodialysis"]
    assert (AGE_FIELD.minimum, AGE_FIELD.maximum, AGE_FIELD.integer) == (18, 120, True)
    # Same plausibility bounds in both units: 0.1 mg/dL x 88.4 = 8.84; 25 x 88.4 = 2,210 µmol/L.
    assert CREATININE_MG_DL_FIELD.minimum * Decimal("88.4") == CREATININE_UMOL_L_FIELD.minimum
    assert CREATININE_MG_DL_FIELD.maximum * Decimal("88.4") == CREATININE_UMOL_L_FIELD.maximum


def test_tables_are_contiguous_and_cite_their_labels() -> None:
    for table, source in ((GANCICLOVIR_ROWS, "ganciclovir-label"),
                          (VALGANCICLOVIR_ROWS, "valganciclovir-label")):
        assert {row.source for row in table} == {source} and source in SOURCES
        assert table[0].below_crcl is None
        for upper, lower in itertools.pairwise(table):
            assert lower.below_crcl == upper.min_crcl  # no gap, no overlap
        assert [row.haemodialysis for row in table] == [False] * 4 + [True]
        assert table[-1].min_crcl is None and table[-1].below_crcl == 10


@pytest.mark.parametrize(("crcl", "ganciclovir", "valganciclovir"), [
    ("70", "≥ 70", "≥ 60"),
    ("69.9", "50–69", "≥ 60"),
    ("69.99", "50–69", "≥ 60"),
    ("60", "50–69", "≥ 60"),
    ("59.99", "50–69", "40–59"),
    ("50", "50–69", "40–59"),
    ("49.99", "25–49", "40–59"),
    ("40", "25–49", "40–59"),
    ("39.99", "25–49", "25–39"),
    ("25", "25–49", "25–39"),
    ("24.99", "10–24", "10–24"),
    ("10", "10–24", "10–24"),
])
def test_band_edges(crcl: str, ganciclovir: str, valganciclovir: str) -> None:
    # Each row runs from its lower bound up to, not including, the next row's lower bound.
    result = _at(crcl)
    assert result.crcl_ml_min == Decimal(crcl) and result.crcl_is_exact
    assert result.ganciclovir.row == ganciclovir
    assert result.valganciclovir.row == valganciclovir


def test_row_texts_come_from_the_tables() -> None:
    # Ganciclovir label, 50–69: 2.5 mg/kg every 12 h / every 24 h; valganciclovir Table 2, ≥ 60:
    # 900 mg twice daily / once daily.
    result = _at("69.9")
    assert (result.ganciclovir.induction, result.ganciclovir.maintenance) == (
        "2.5 mg/kg every 12 h", "2.5 mg/kg every 24 h")
    assert (result.valganciclovir.induction, result.valganciclovir.maintenance) == (
        "900 mg twice daily", "900 mg once daily")
    assert result.ganciclovir.source == "ganciclovir-label"
    assert result.valganciclovir.source == "valganciclovir-label"
    assert result.sources == ("cockcroft-gault-1976", "ganciclovir-label", "valganciclovir-label")
    assert result.warnings == ()


def test_rows_use_the_unrounded_value() -> None:
    # 69.96 shows as 70.0 but is below 70: ganciclovir 50–69, never the higher ≥ 70 dose.
    result = _at("69.96")
    assert result.crcl_ml_min_rounded == Decimal("70.0")
    assert result.ganciclovir.row == "50–69"
    assert result.warnings == (
        ("CrCl 69.96 mL/min is shown as 70.0 mL/min, across a table boundary; the rows are "
         "chosen on the unrounded value (ganciclovir: 50–69; valganciclovir: ≥ 60)."),)


def test_no_boundary_warning_when_the_rounded_value_stays_in_the_row() -> None:
    assert _at("69.94").warnings == ()
    assert _at("70.04").warnings == ()


def test_exact_arithmetic_at_an_edge_beyond_28_digits() -> None:
    # 70 − 10^-30 mL/min: a 28-digit Decimal reads 70, yet the exact value is in the 50–69 row.
    weight = "69.999999999999999999999999999999"
    result = _at(weight)
    assert result.crcl_ml_min == 70 and not result.crcl_is_exact  # 28 significant digits
    assert result.ganciclovir.row == "50–69"
    assert any("across a table boundary" in w for w in result.warnings)


def test_below_10_without_haemodialysis_gives_no_dose() -> None:
    # Both tables' only rows below 10 mL/min are "< 10 on haemodialysis".
    result = _at("9.99", haemodialysis="no")
    for drug in (result.ganciclovir, result.valganciclovir):
        assert (drug.row, drug.induction, drug.maintenance) == (None, None, None)
    assert ("CrCl below 10 mL/min without haemodialysis: the ganciclovir and valganciclovir "
            "tables give no dose.") in result.warnings
    # 9.99 shows as 10.0, the 10–24 row's edge: the boundary warning says no row applies.
    assert any("ganciclovir: no row; valganciclovir: no row" in w for w in result.warnings)


def test_below_10_on_haemodialysis() -> None:
    # Ganciclovir: 1.25 / 0.625 mg/kg 3 times a week, after dialysis. Valganciclovir: tablets not
    # recommended (label gives no tablet dose).
    result = creatinine_clearance("90", "50", "male", creatinine_mg_dl="8", haemodialysis="yes")
    assert result.haemodialysis is True
    assert result.ganciclovir.row == "< 10 on haemodialysis"
    assert result.ganciclovir.induction == "1.25 mg/kg 3 times a week, after dialysis"
    assert result.ganciclovir.maintenance == "0.625 mg/kg 3 times a week, after dialysis"
    assert result.valganciclovir.induction == "tablets not recommended (label gives no tablet dose)"
    assert result.valganciclovir.maintenance == "not recommended"
    assert any(w.startswith("Valganciclovir tablets are not recommended") for w in result.warnings)


def test_haemodialysis_with_a_clearance_of_10_or_more() -> None:
    # Issue 13: on haemodialysis Cockcroft–Gault does not apply; the haemodialysis rows are the
    # answer whatever the estimate (before: the 10–24 rows, "confirm with the prescriber").
    for crcl in ("10", "24.9", "90"):
        result = _at(crcl, haemodialysis=True)
        assert result.ganciclovir.row == result.valganciclovir.row == "< 10 on haemodialysis"
        assert result.ganciclovir.induction == "1.25 mg/kg 3 times a week, after dialysis"
        assert result.crcl_applies is False
        assert any("shown for information only" in w for w in result.warnings)
        assert not any("across a table boundary" in w for w in result.warnings)
    assert _at("10").crcl_applies is True


def test_female_factor() -> None:
    # (140 − 60) × 70 / (72 × 1.2) × 0.85 = 4760 / 86.4 = 55.0925925... -> 55.1.
    result = creatinine_clearance("60", "70", "female", creatinine_mg_dl="1.2")
    assert Fraction(result.crcl_ml_min) - Fraction(4760) / Fraction("86.4") < Fraction(1, 10**25)
    assert not result.crcl_is_exact
    assert result.crcl_ml_min_rounded == Decimal("55.1")
    assert result.formula == "(140 − 60) × 70 kg / (72 × 1.2 mg/dL) × 0.85"
    male = creatinine_clearance("60", "70", "male", creatinine_mg_dl="1.2")
    assert male.crcl_ml_min_rounded == Decimal("64.8")  # 5600 / 86.4 = 64.81...


def test_micromoles_convert_by_88_4() -> None:
    # 88.4 µmol/L = 1 mg/dL: the same clearance either way.
    in_umol = creatinine_clearance("68", "63", "male", creatinine_umol_l="88.4")
    in_mg = creatinine_clearance("68", "63", "male", creatinine_mg_dl="1")
    assert in_umol.crcl_ml_min == in_mg.crcl_ml_min == 63
    assert (in_umol.creatinine_mg_dl, in_umol.creatinine_umol_l) == (1, Decimal("88.4"))
    assert in_mg.creatinine_umol_l is None
    assert in_umol.formula == "(140 − 68) × 63 kg / (72 × (88.4 µmol/L ÷ 88.4))"
    # Typed with its unit.
    typed = creatinine_clearance("68", "63", "male", creatinine_umol_l="88.4 umol/L")
    assert typed.crcl_ml_min == 63


@pytest.mark.parametrize(("params", "field"), [
    ({"age": "60", "weight_kg": "70", "sex": "male"}, "creatinine_mg_dl"),
    ({"age": "60", "weight_kg": "70", "sex": "male", "creatinine_mg_dl": " ",
      "creatinine_umol_l": ""}, "creatinine_mg_dl"),
    ({"age": "60", "weight_kg": "70", "sex": "male", "creatinine_mg_dl": "1",
      "creatinine_umol_l": "88"}, "creatinine_umol_l"),
    ({"age": "17", "weight_kg": "70", "sex": "male", "creatinine_mg_dl": "1"}, "age"),
    ({"age": "121", "weight_kg": "70", "sex": "male", "creatinine_mg_dl": "1"}, "age"),
    ({"age": "sixty", "weight_kg": "70", "sex": "male", "creatinine_mg_dl": "1"}, "age"),
    ({"age": "60", "weight_kg": "70", "sex": "other", "creatinine_mg_dl": "1"}, "sex"),
    ({"age": "60", "weight_kg": "-70", "sex": "male", "creatinine_mg_dl": "1"}, "weight_kg"),
    ({"age": "60", "weight_kg": "70", "sex": "male", "creatinine_mg_dl": "0.09"},
     "creatinine_mg_dl"),
    ({"age": "60", "weight_kg": "70", "sex": "male", "creatinine_mg_dl": "90 umol/L"},
     "creatinine_mg_dl"),
    ({"age": "60", "weight_kg": "70", "sex": "male", "creatinine_umol_l": "8"},
     "creatinine_umol_l"),
    ({"age": "60", "weight_kg": "70", "sex": "male", "creatinine_mg_dl": "1",
      "haemodialysis": "2"}, "haemodialysis"),
])
def test_bad_input_names_the_field(params: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as caught:
        run("crcl", params)
    assert caught.value.field == field


def test_plain_result_keys() -> None:
    result = run("crcl", {"age": "60", "weight_kg": "72", "sex": "male", "creatinine_mg_dl": "1"})
    # (140 − 60) × 72 / (72 × 1) = 80 mL/min.
    assert result["crcl_ml_min"] == 80 and result["crcl_ml_min_rounded"] == 80
    assert set(result["ganciclovir"]) >= {"induction", "maintenance", "row"}
    assert set(result["valganciclovir"]) >= {"induction", "maintenance", "row"}
    assert {"sources", "warnings"} <= set(result)


def test_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "calculators", "crcl", "--json", "--age", "68", "--weight-kg",
         "49.95", "--sex", "male", "--creatinine-mg-dl", "5", "--haemodialysis"],
        cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["crcl_ml_min"] == 9.99
    assert result["ganciclovir"]["row"] == "< 10 on haemodialysis"
    both = subprocess.run(
        [sys.executable, "-m", "calculators", "crcl", "--json", "--age", "68", "--weight-kg", "50",
         "--sex", "male", "--creatinine-mg-dl", "1", "--creatinine-umol-l", "88.4"],
        cwd=ROOT, capture_output=True, text=True, check=False)
    assert both.returncode == 2
    assert json.loads(both.stdout)["error"]["field"] == "creatinine_umol_l"


def _expected_row(table_name: str, crcl: Fraction, haemodialysis: bool) -> str | None:
    """The row read straight off clinical-facts.md, written out independently of the module."""
    edges = {"ganciclovir": [(70, "≥ 70"), (50, "50–69"), (25, "25–49"), (10, "10–24")],
             "valganciclovir": [(60, "≥ 60"), (40, "40–59"), (25, "25–39"), (10, "10–24")]}
    for low, row in edges[table_name]:
        if crcl >= low:
            return row
    return None


@hypothesis_settings(max_examples=300, deadline=None)
@given(age=st.integers(min_value=18, max_value=120),
       weight=st.decimals(min_value="1", max_value="300", places=2),
       creatinine=st.decimals(min_value="0.1", max_value="25", places=2),
       female=st.booleans(), haemodialysis=st.booleans())
def test_rows_match_the_tables(age: int, weight: Decimal, creatinine: Decimal, female: bool,
                               haemodialysis: bool) -> None:
    sex = "female" if female else "male"
    result = creatinine_clearance(age, weight, sex, creatinine, None, haemodialysis)
    exact = Fraction(140 - age) * Fraction(weight) / (72 * Fraction(creatinine))
    if female:
        exact *= Fraction("0.85")
    assert abs(Fraction(result.crcl_ml_min) - exact) <= exact / 10**27
    for name in TABLES:
        # On haemodialysis its rows, whatever the estimate (issue 13).
        expected = "< 10 on haemodialysis" if haemodialysis else _expected_row(name, exact, False)
        assert getattr(result, name).row == expected


def test_every_reported_field_and_the_flag_edges() -> None:
    # Mutation testing: the inputs come back as given; the flags start exactly at their edges.
    result = creatinine_clearance("68", "72", "male", creatinine_mg_dl="1")
    assert (result.age, result.weight_kg, result.sex, result.creatinine_mg_dl) == (68, 72, "male",
                                                                                  1)
    assert (result.ganciclovir.drug, result.valganciclovir.drug) == ("ganciclovir",
                                                                     "valganciclovir")
    assert not any("above 150 mL/min" in w for w in _at("150").warnings)
    assert any("above 150 mL/min" in w for w in _at("150.1").warnings)
    assert not any("give no dose" in w for w in _at("10").warnings)
    assert any("give no dose" in w for w in _at("9.9").warnings)


# --- doses in mg, which weight, tablets (issue 15) ---------------------------------------------

def test_every_cell_is_an_amount_and_a_frequency_that_print_as_the_table() -> None:
    for row in GANCICLOVIR_ROWS:
        for dose in (row.induction_dose, row.maintenance_dose):
            assert dose.unit == "mg/kg" and dose.amount is not None
            assert dose.mg(Decimal("70.3")) == dose.amount * Decimal("70.3")
        assert (row.induction_dose.text, row.maintenance_dose.text) == (row.induction,
                                                                        row.maintenance)
    for row in VALGANCICLOVIR_ROWS:
        for dose in (row.induction_dose, row.maintenance_dose):
            assert dose.unit == "mg"
            # A dose in mg is the same for every weight; a cell without a dose has no mg.
            assert dose.mg(Decimal(40)) == dose.mg(Decimal(120)) == dose.amount
        assert row.induction_dose.text == row.induction
    hd = VALGANCICLOVIR_ROWS[-1]
    assert (hd.induction_dose.amount, hd.maintenance_dose.text) == (None, "not recommended")


def test_result_says_which_weight_and_that_the_sources_give_no_tablet_strength() -> None:
    result = creatinine_clearance("60", "154 lb", "female", creatinine_umol_l="97")
    weight = Decimal("154") * Decimal("0.45359237")
    assert (result.dose_weight_kg, result.dose_weight_basis) == (weight, "actual")
    # ganciclovir-label 50–69 row: 2.5 mg/kg every 12 h, for the weight entered.
    assert result.ganciclovir.induction_mg == Decimal("2.5") * weight
    assert result.valganciclovir.induction_mg == Decimal(900)
    assert result.notes == (
        f"Ganciclovir in mg: the table's mg/kg × {weight} kg, the actual body weight entered (the "
        "weight Cockcroft–Gault used). The sources do not say whether to dose ganciclovir by "
        "actual or ideal body weight: check the local protocol.",
        "Valganciclovir: the label table gives each dose in mg. The sources here state no tablet "
        "strength, so no tablet count is given: count tablets from the product dispensed.")


def test_no_row_no_dose_in_mg() -> None:
    below = _at("9.9")
    assert (below.ganciclovir.induction_mg, below.valganciclovir.maintenance_mg) == (None, None)


def test_each_row_stops_below_its_upper_bound() -> None:
    # Each row covers its lower bound up to, not including, the next row's (label tables:
    # "50–69" ends where "≥ 70" starts). Asked on its own, a row does not take its upper bound,
    # whatever order the table lists its rows in.
    for table in TABLES.values():
        for row in table:
            if row.below_crcl is not None and not row.haemodialysis:
                assert _find_row((row,), Fraction(row.below_crcl), False) is None
                assert _find_row((row,), Fraction(row.min_crcl or 0), False) is row


@pytest.mark.parametrize(("params", "field", "value", "message"), [
    ({"creatinine_mg_dl": "1", "creatinine_umol_l": "88"}, "creatinine_umol_l", "88",
     "Serum creatinine: give it in mg/dL or in µmol/L, not both."),
    ({"creatinine_mg_dl": " "}, "creatinine_mg_dl", " ",
     "Serum creatinine is required, in mg/dL or in µmol/L."),
])
def test_creatinine_refusals_carry_the_value_and_the_whole_message(
        params: dict[str, object], field: str, value: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        creatinine_clearance("60", "70", "male", **params)
    assert (caught.value.field, caught.value.value, caught.value.message) == (
        field, value, message)


def test_haemodialysis_and_ceiling_warnings_in_full() -> None:
    # Ganciclovir label: doses after dialysis; valganciclovir label: no tablet dose on
    # haemodialysis. CRCL_CEILING (150 mL/min) is a plausibility check; the sources give no limit.
    dialysis = _at("40", haemodialysis=True)
    assert dialysis.warnings == (
        "On haemodialysis: the haemodialysis rows apply, whatever the estimate. Cockcroft–Gault "
        "does not apply on dialysis: its CrCl (40.0 mL/min) is shown for information only, and "
        "the tables give haemodialysis its own rows.",
        "Valganciclovir tablets are not recommended on haemodialysis: the label gives no tablet "
        "dose; oral-solution doses are unverified here. Ganciclovir doses are given after "
        "dialysis.")
    high = _at("150.5")
    assert high.warnings == (
        "CrCl 150.5 mL/min is above 150 mL/min: check the weight, the age, and the creatinine "
        "and its unit against the lab report before using the ≥ 70 (ganciclovir) and ≥ 60 "
        "(valganciclovir) rows. The sources give no upper limit: this is a plausibility check.",)
