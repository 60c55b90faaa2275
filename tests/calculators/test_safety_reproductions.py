"""Issue 13's reproductions, through the command line: each now gives the safe answer.

Sources: CytoGam label (cytogam-label: 150 mg/kg at most per infusion, one 2,500 mg / 50 mL vial,
start within 6 h of entering the vial and finish within 12 h); HOPA (hopa-rounding: within 10 %);
ganciclovir and valganciclovir labels (the haemodialysis rows); Schulz 2016 (schulz-2016: the
criteria and the reports that used "Cytotect"); NBA guidance (nba-ig-dosing).
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from calculators.__main__ import main
from calculators.registry import CALCULATORS

TRANSPLANT = ["--transplant-date", "2026-01-01"]


def _json(*argv: str) -> dict[str, Any]:
    out, err = io.StringIO(), io.StringIO()
    code = main([*argv, "--json"], stdout=out, stderr=err)
    assert (code, err.getvalue()) == (0, ""), err.getvalue()
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def _error(*argv: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    assert main([*argv, "--json"], stdout=out, stderr=err) == 2
    error = json.loads(out.getvalue())["error"]
    return error["field"], error["message"]


# --- 1. Rounding: the dose to give apart from the vials to open --------------------------------

def test_rounding_up_never_turns_500_mg_into_a_vial() -> None:
    # 10 kg kidney recipient, week 12: 50 mg/kg = 500 mg (label). One 2,500 mg vial is opened;
    # the dose to give stays 500 mg and 2,000 mg (40 mL) is discarded; 2,500 mg would be
    # 250 mg/kg, above the label maximum (1,500 mg at 10 kg).
    result = _json("prophylaxis", "--weight-kg", "10", "--organ", "kidney", *TRANSPLANT,
                   "--rounding", "up")
    week_12 = result["doses"][5]
    assert week_12["dose_mg"] == 500
    plan = week_12["vials"]
    assert (plan["rounded_mg"], plan["rounded_to_vials"]) == (500, False)
    assert (plan["vial_count"], plan["opened_mg"], plan["discard_mg"], plan["left_over_ml"]) == (
        1, 2500, 2000, 40)
    assert all(d["vials"]["rounded_mg"] <= 1500 for d in result["doses"])
    assert result["total_rounded_mg"] == result["total_mg"] == 6500
    assert any("label maximum of 150 mg/kg" in w and "stays 500 mg" in w
               for w in result["warnings"])


def test_rounding_nearest_never_prepares_above_the_label_maximum() -> None:
    # 61 kg heart recipient: 150 mg/kg = 9,150 mg; the nearest whole vials (10,000 mg) would be
    # 163.9 mg/kg, so the dose to give stays 9,150 mg, with 4 vials opened and 850 mg discarded.
    result = _json("prophylaxis", "--weight-kg", "61", "--organ", "heart", *TRANSPLANT,
                   "--rounding", "nearest")
    first = result["doses"][0]["vials"]
    assert (first["calculated_mg"], first["rounded_mg"], first["label_max_mg"]) == (
        9150, 9150, 9150)
    assert (first["vial_count"], first["discard_mg"]) == (4, 850)
    assert max(d["vials"]["rounded_mg"] for d in result["doses"]) == 9150


def test_a_tolerance_above_ten_percent_is_refused() -> None:
    field, message = _error("prophylaxis", "--weight-kg", "61", "--organ", "heart", *TRANSPLANT,
                            "--rounding", "nearest", "--rounding-tolerance-pct", "25")
    assert field == "rounding_tolerance_pct"
    assert "at most 10 %" in message and "HOPA" in message


def test_settings_file_with_a_wide_tolerance_is_refused(tmp_path: Any) -> None:
    settings_file = tmp_path / "settings.json"
    settings_file.write_text('{"rounding": "nearest", "rounding_tolerance_pct": 25}')
    field, message = _error("units", "--amount", "6100", "--unit", "mg",
                            "--settings", str(settings_file))
    assert field == "rounding_tolerance_pct" and "Rounding tolerance (%)" in message


# --- 2. Haemodialysis ---------------------------------------------------------------------------

def test_haemodialysis_gives_the_dialysis_rows_whatever_the_estimate() -> None:
    result = _json("crcl", "--age", "30", "--weight-kg", "90", "--sex", "male",
                   "--creatinine-mg-dl", "6", "--haemodialysis")
    assert result["crcl_ml_min_rounded"] == 22.9 and result["crcl_applies"] is False
    assert result["ganciclovir"]["row"] == "< 10 on haemodialysis"
    assert result["ganciclovir"]["induction"] == "1.25 mg/kg 3 times a week, after dialysis"
    assert result["valganciclovir"]["induction"].startswith("tablets not recommended")
    assert any("for information only" in w for w in result["warnings"])
    assert not any("confirm with the prescriber" in w for w in result["warnings"])


# --- 3. Absurd inputs ---------------------------------------------------------------------------

@pytest.mark.parametrize(("argv", "field"), [
    (["prophylaxis", "--weight-kg", "0.01", "--organ", "kidney", *TRANSPLANT], "weight_kg"),
    (["prophylaxis", "--weight-kg", "70", "--organ", "kidney", "--transplant-date",
      "1900-01-01"], "transplant_date"),
    (["prophylaxis", "--weight-kg", "70", "--organ", "kidney", "--transplant-date",
      "2199-12-31"], "transplant_date"),
    (["body-weight", "--weight-kg", "2", "--height-cm", "250", "--sex", "male"], "weight_kg"),
])
def test_absurd_inputs_are_refused_naming_the_field_and_range(argv: list[str],
                                                              field: str) -> None:
    refused, message = _error(*argv)
    assert refused == field and "Range:" in message


def test_a_300_kg_weight_is_accepted_with_a_warning() -> None:
    result = _json("prophylaxis", "--weight-kg", "300", "--organ", "kidney", *TRANSPLANT)
    assert any(w.startswith("Weight (kg): 300 kg is outside the expected 40 to 150 kg")
               for w in result["input_warnings"])


def test_an_implausible_clearance_is_flagged() -> None:
    result = _json("crcl", "--age", "18", "--weight-kg", "300", "--sex", "male",
                   "--creatinine-mg-dl", "0.1")
    assert result["crcl_ml_min_rounded"] == 5083.3
    assert any("above 150 mL/min" in w for w in result["warnings"])
    assert any(w.startswith("Serum creatinine (mg/dL): 0.1 mg/dL is outside")
               for w in result["input_warnings"])


def test_a_rabbit_atg_dose_beyond_the_study_is_flagged() -> None:
    result = _json("atg", "--agent", "rabbit", "--dose-mg-per-kg", "199")
    assert any("beyond the study's groups" in w for w in result["warnings"])


def test_adjusted_weight_is_not_used_for_a_child_or_in_pregnancy() -> None:
    common = ["prophylaxis", "--weight-kg", "120", "--organ", "kidney", *TRANSPLANT,
              "--weight-basis", "adjusted", "--height-cm", "170", "--sex", "female"]
    adult = _json(*common, "--age", "40")
    assert adult["weight"]["basis"] == "adjusted" and adult["weight_kg"] < 120
    for extra in (["--age", "16"], ["--age", "30", "--pregnant"]):
        result = _json(*common, *extra)
        assert result["weight"]["basis"] == "actual" and result["weight_kg"] == 120
        assert any("not used in" in w for w in result["warnings"])
    child = _json(*common, "--age", "16")
    assert any(w.startswith("Under 18 years: the CMV Ig monograph") for w in child["warnings"])


# --- 4. The preparation window and the volume ---------------------------------------------------

def test_infusion_checks_the_six_and_twelve_hour_window() -> None:
    result = _json("infusion", "--weight-kg", "110", "--dose-mg", "44000", "--no-first-infusion")
    assert any("11.9 hours (880.0 mL)" in w and "start it within 5 minutes" in w
               for w in result["warnings"])


def test_regimen_checks_duration_and_volume_of_every_dose() -> None:
    result = _json("regimen", "--regimen", "pneumonitis-label", "--weight-kg", "110",
                   "--start-date", "2026-01-01")
    assert result["doses"][0]["infusion_min"] > 720
    assert any(w.startswith("Dose 1: The infusion takes 12.1 hours (880.0 mL)")
               and "cannot be met" in w for w in result["warnings"])
    # Doses 2 and 3 share one wording, said once for both (issue 15).
    assert any(w.startswith("Doses 2, 3:") and "within 5 minutes" in w for w in result["warnings"])


# --- 5. Criteria --------------------------------------------------------------------------------

def test_a_risk_factor_alone_does_not_lead_to_cmvig() -> None:
    result = _json("criteria", "--recurrent-or-risk-factors")
    assert result["met"] == ["v-recurrent-or-risk-factors"]
    assert result["consider_cmvig"] is False
    assert "Missing: CMV infection or disease" in result["reason"]
    with_infection = _json("criteria", "--recurrent-or-risk-factors", "--cmv-infection")
    assert with_infection["consider_cmvig"] is True
    assert with_infection["reason"].startswith("Consider CMVIG: met (v)")


# --- 6. The antibody-content warning ------------------------------------------------------------

@pytest.mark.parametrize("regimen", ["chou-1996", "lopez-garcia-gallo-2005",
                                     "schulz-single-50ml", "case-intensive-50u"])
def test_reports_without_a_strength_warn_of_antibody_content(regimen: str) -> None:
    result = _json("regimen", "--regimen", regimen, "--weight-kg", "70", "--start-date",
                   "2026-01-01", "--product", "cytotect-cp")
    assert any("without naming its strength" in w and "antibody content per mg may differ" in w
               for w in result["warnings"])


# --- 7. Every --help ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", [None, *sorted(CALCULATORS)])
def test_every_help_works(name: str | None) -> None:
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited, pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdout", out)
        main(["--help"] if name is None else [name, "--help"])
    assert exited.value.code == 0
    assert "usage:" in out.getvalue()
    if name in {"prophylaxis", "regimen", "units"}:
        assert "Rounding tolerance (%)" in out.getvalue()
