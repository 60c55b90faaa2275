"""The command line: JSON out, field-naming JSON error and exit status 2 on bad input."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT, golden


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "calculators", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_prints_the_schedule() -> None:
    # Issue 2 acceptance / CMV Ig monograph kidney schedule: 70 kg -> 10,500 mg on day 0.
    done = _cli("prophylaxis", "--weight-kg", "70", "--organ", "kidney", "--transplant_date", "2026-01-01")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    expected = golden("prophylaxis")["cases"][0]["expect"]["doses"]
    assert [d["dose_mg"] for d in result["doses"]] == [d["dose_mg"] for d in expected]


def test_cli_bad_weight() -> None:
    done = _cli("prophylaxis", "--weight-kg", "abc", "--organ", "kidney", "--transplant-date", "2026-01-01")
    assert done.returncode == 2
    assert done.stdout == ""
    error = json.loads(done.stderr)["error"]
    assert error["field"] == "weight_kg"
    assert "Weight" in error["message"]
