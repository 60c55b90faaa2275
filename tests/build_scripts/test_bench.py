"""The benchmark runs end to end (one smoke run against the session's built site) and reports
every figure the README's Performance table shows. Values are not checked: speed is measured in
benchmarks, never asserted in tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from build_scripts.bench.__main__ import main
from build_scripts.bench.server import lock_file, pyodide_dir

COLD = ("floor_ms", "fcp_ms", "ready_ms", "first_result_ms", "ready_over_floor",
        "second_page_ready_ms", "warm_ready_ms", "guidance_fcp_ms")


def test_finds_the_runtime_and_lock(built_site: Path) -> None:
    assert (built_site / pyodide_dir(built_site).lstrip("/") / "pyodide.asm.wasm").is_file()
    assert (built_site / lock_file(built_site).lstrip("/")).is_file()


def test_smoke_run_reports_every_figure(built_site: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    if not Path("/usr/bin/chromium").exists():
        pytest.fail("/usr/bin/chromium is missing: the README's set-up installs it")
    output = tmp_path / "bench.json"
    argv = ["--smoke", "--no-build", "--site-dir", str(built_site), "--json", str(output)]
    assert main(argv) == 0
    figures = json.loads(output.read_text())
    for key in COLD:
        assert set(figures["cold"][key]) == {"median", "min", "max", "n"}, key
    for key in ("recompute_ms", "round_trip_ms"):
        assert set(figures["cold"][key]) >= {"p50", "p95"}
    assert figures["cold"]["second_page_instant"] is True
    for page in ("home", "guidance", "calculator"):
        assert figures["pages"][page]["bytes"] > 0 and figures["pages"][page]["requests"] > 0
    assert figures["pages"]["calculator"]["pyodide_bytes"] > 0
    machine = {"cpu", "cores", "ram_gib", "os", "chromium", "python", "date"}
    assert set(figures["machine"]) == machine
    assert "build_s" in figures and "lighthouse" in figures
    assert len(figures["budgets"]) == 6
    table = capsys.readouterr().out
    assert "| budget | measured | met |" in table and "floor" in table


def test_refuses_a_site_built_for_elsewhere(tmp_path: Path) -> None:
    (tmp_path / "sitemap.xml").write_text("<urlset><url><loc>https://intranet.example/</loc></url>")
    with pytest.raises(SystemExit, match="built for https://intranet.example/"):
        main(["--smoke", "--no-build", "--site-dir", str(tmp_path)])

