"""The command line: text or JSON out; on bad input exit 2 and a message naming the field."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from calculators.__main__ import main
from calculators.registry import CALCULATORS
from tests.conftest import ROOT

KIDNEY_70 = ["prophylaxis", "--weight-kg", "70", "--organ", "kidney",
             "--transplant-date", "2026-01-01"]


def _main(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_json_result() -> None:
    # CMV Ig monograph kidney schedule: 70 kg -> 10,500 mg on day 0 (issue 2 acceptance).
    code, out, err = _main(*KIDNEY_70, "--json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert [d["dose_mg"] for d in result["doses"]] == [10500, 7000, 7000, 7000, 7000, 3500, 3500]
    assert result["total_mg"] == 45500


def test_text_result_for_people() -> None:
    code, out, _ = _main(*KIDNEY_70)
    assert code == 0
    assert out.startswith("Prophylaxis schedule")
    assert "dose_mg: 10500" in out and "transplant_date: 2026-01-01" in out


def test_text_shows_yes_and_no() -> None:
    code, out, _ = _main("criteria", "--severe-manifestation")
    assert code == 0
    assert "consider_cmvig: yes" in out


def test_underscore_options_work_too() -> None:
    code, out, _ = _main("prophylaxis", "--weight_kg", "70", "--organ", "kidney",
                         "--transplant_date", "2026-01-01", "--json")
    assert code == 0 and json.loads(out)["weight_kg"] == 70


def test_bad_input_text() -> None:
    code, out, err = _main("prophylaxis", "--weight-kg", "abc", "--organ", "kidney",
                           "--transplant-date", "2026-01-01")
    assert (code, out) == (2, "")
    assert err.startswith("error: weight_kg: Weight (kg) must be a number")


def test_bad_input_json() -> None:
    code, out, err = _main("prophylaxis", "--weight-kg", "0", "--organ", "kidney",
                           "--transplant-date", "2026-01-01", "--json")
    assert code == 2
    assert json.loads(out)["error"]["field"] == "weight_kg"
    assert "Weight (kg)" in err


def test_settings_file(tmp_path: Path) -> None:
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"rounding": "up"}))
    code, out, _ = _main(*KIDNEY_70, "--settings", str(settings), "--json")
    assert code == 0
    # CytoGam label vial 2,500 mg / 50 mL: 10,500 mg up to five vials (12,500 mg) is +19 %,
    # outside the 10 % tolerance (issue 13: before, 12,500 mg): the dose to give stays 10,500 mg.
    plan = json.loads(out)["doses"][0]["vials"]
    assert (plan["rounded_mg"], plan["policy"], plan["opened_mg"]) == (10500, "up", 12500)
    # The file's settings were this run's only: the next run in the same process has none.
    code, out, _ = _main(*KIDNEY_70, "--json")
    assert code == 0 and json.loads(out)["doses"][0]["vials"]["policy"] == "none"


@pytest.mark.parametrize("content", ["not json", "[1, 2]", None])
def test_bad_settings_file(tmp_path: Path, content: str | None) -> None:
    path = tmp_path / "settings.json"
    if content is not None:
        path.write_text(content)
    code, out, err = _main(*KIDNEY_70, "--settings", str(path), "--json")
    assert code == 2
    assert json.loads(out)["error"]["field"] == "settings"


def test_every_calculator_is_a_subcommand() -> None:
    out = io.StringIO()
    with pytest.raises(SystemExit) as done:
        main(["--help"], stdout=out)
    assert done.value.code == 0


def test_flags_are_boolean_options() -> None:
    from calculators.__main__ import build_parser

    for calculator in CALCULATORS.values():
        parser = build_parser()
        args = vars(parser.parse_args([calculator.name]))
        assert set(args) >= {f.name for f in calculator.fields}


def test_real_command_line() -> None:
    done = subprocess.run([sys.executable, "-m", "calculators", *KIDNEY_70, "--json"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["doses"][0]["dose_mg"] == 10500
