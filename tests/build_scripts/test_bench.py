"""The benchmark measures the site as it ships, end to end: ``python -m tools.bench
--smoke`` (one run) builds the site with the shipped build and measures it, and its site is the
test run's own build byte for byte (both are built for the same address). It reports every figure
the README's Performance table shows. Values are not checked: speed is measured in benchmarks,
never asserted in tests.

The benchmark's build is also the second build that shows builds are reproducible: it runs with
another hash seed (the order of sets), another time zone, another output folder and at another
time of day than the test run's own build (``built_site``), and every file must come out the same
byte for byte. The one date in the site (``sitemap.xml``'s ``lastmod``, the gzip header of
``sitemap.xml.gz``) is the commit's (:mod:`build_scripts.build_date`); only outside a git checkout
is it the build day, and only then may those two files differ (the README's build stamp). One
build serves both checks because a site build is the slowest step of the test run.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from build_scripts.build_date import source_date_epoch
from build_scripts.chromium import CHROMIUM
from build_scripts.csp import inline_code_left
from tests.conftest import ROOT
from tools.bench import lighthouse
from tools.bench.__main__ import main
from tools.bench.lighthouse import failing_audits
from tools.bench.server import lock_file, pyodide_dir, snapshot_file

# Minutes long: scheduled first, so it does not finish last (tests/conftest.py).
pytestmark = pytest.mark.long

BUILD_STAMP = {"sitemap.xml", "sitemap.xml.gz"}  # differ only outside a git checkout
# One value per run (median and range over the runs), and many (percentiles, IQR and range).
COLD = ("floor_ms", "fcp_ms", "ready_ms", "first_result_ms", "ready_over_floor",
        "second_page_ready_ms", "second_page_over_floor", "second_tab_result_ms",
        "second_tab_over_floor", "second_tab_link_result_ms", "second_tab_link_over_floor",
        "warm_ready_ms", "warm_over_floor", "guidance_fcp_ms", "snapshot_floor_ms",
        "snapshot_floor_over_floor", "snapshot_floor_warm_ms", "snapshot_floor_warm_over_floor")
SPREAD = ("recompute_ms", "recompute_dom_ms", "recompute_throttled_ms", "round_trip_ms")


@dataclass
class BenchRun:
    site: Path
    figures: dict[str, Any]
    table: str
    log: str  # what it wrote to stderr


@pytest.fixture(scope="module")
def bench_run(built_site_url: str, tmp_path_factory: pytest.TempPathFactory) -> BenchRun:
    """``./dev bench --smoke``, building its own site for the address the run's site was built
    for (the port the benchmark then serves it on), with another hash seed and time zone."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: the README's set-up installs it")
    where = tmp_path_factory.mktemp("bench")
    site, output = where / "site", where / "bench.json"
    port = urlsplit(built_site_url).port
    done = subprocess.run(
        [sys.executable, "-m", "tools.bench", "--smoke", "--site-dir", str(site),
         "--port", str(port), "--json", str(output)],
        cwd=ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONHASHSEED": "2", "TZ": "Pacific/Kiritimati"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return BenchRun(site, json.loads(output.read_text()), done.stdout, done.stderr)


def _files(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file())


def test_benchmarks_the_shipped_site(bench_run: BenchRun, built_site: Path) -> None:
    # Also: two builds of the same tree are byte-identical (the module docstring says why).
    assert _files(bench_run.site) == _files(built_site)
    stamp = source_date_epoch(ROOT)
    allowed = set() if stamp else BUILD_STAMP
    differ = [name for name in _files(built_site) if name not in allowed
              and (bench_run.site / name).read_bytes() != (built_site / name).read_bytes()]
    assert differ == []
    if stamp:
        commit_day = datetime.fromtimestamp(int(stamp), UTC).date().isoformat()
        sitemap = (built_site / "sitemap.xml").read_text()
        assert set(re.findall(r"<lastmod>(.*?)</lastmod>", sitemap)) == {commit_day}
    # What the benchmark once left out: the service worker and the CSP's moved inline code.
    assert (bench_run.site / "service-worker.js").is_file()
    assert inline_code_left((bench_run.site / "index.html").read_text()) == []


def test_finds_the_runtime_lock_and_snapshot(built_site: Path) -> None:
    assert (built_site / pyodide_dir(built_site).lstrip("/") / "pyodide.asm.wasm").is_file()
    assert (built_site / lock_file(built_site).lstrip("/")).is_file()
    assert (built_site / snapshot_file(built_site).lstrip("/")).is_file()


def test_a_site_without_a_snapshot_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="runtime.mjs does not export SNAPSHOT"):
        snapshot_file(tmp_path)


def test_smoke_run_reports_every_figure(bench_run: BenchRun) -> None:
    figures = bench_run.figures
    for key in COLD:
        assert set(figures["cold"][key]) == {"median", "min", "max", "n"}, key
    for key in SPREAD:
        assert set(figures["cold"][key]) == {"p25", "p50", "p75", "p95", "min", "max", "mean",
                                             "n"}, key
    assert figures["cold"]["second_page_instant"] is True
    for page in ("home", "guidance", "calculator"):
        assert figures["pages"][page]["bytes"] > 0 and figures["pages"][page]["requests"] > 0
    assert figures["pages"]["calculator"]["pyodide_bytes"] > 0
    # The page's own requests, not the service worker's offline copy of every page (which asks
    # for pages by their index.html; a page asks for itself by its folder).
    assert not [url for url in figures["pages"]["guidance"]["urls"] if url.endswith("index.html")]
    machine = {"cpu", "cores", "ram_gib", "os", "chromium", "python", "date"}
    assert set(figures["machine"]) == machine
    assert set(figures["build_s"]) == {"generate", "builder", "finish", "check", "total"}
    assert "lighthouse" in figures
    # Issue 16's budgets (Lighthouse's only with Lighthouse), each with its measured value.
    assert len(figures["budgets"]) == 8
    assert any("second tab" in row["budget"] for row in figures["budgets"])
    assert "| budget | measured | met |" in bench_run.table and "floor" in bench_run.table
    assert "second tab" in bench_run.table and "IQR" in bench_run.table
    assert "lower bound" in bench_run.table and "the snapshot alone" in bench_run.table
    machine_line = f"{figures['machine']['cpu']}, {figures['machine']['cores']} cores"
    assert machine_line in bench_run.table and figures["machine"]["date"] in bench_run.table


def test_smoke_run_logs_no_error(bench_run: BenchRun) -> None:
    # A request that finished as a measured browser closed once raised in Playwright's callback
    # (Request.sizes on a closed context): logged, not counted, so the page's bytes varied.
    assert "Traceback" not in bench_run.log and "Error" not in bench_run.log, bench_run.log[-3000:]


def test_refuses_a_site_built_for_elsewhere(tmp_path: Path) -> None:
    (tmp_path / "sitemap.xml").write_text("<urlset><url><loc>https://intranet.example/</loc></url>")
    with pytest.raises(SystemExit, match="built for https://intranet.example/"):
        main(["--smoke", "--no-build", "--site-dir", str(tmp_path)])


def test_port_is_for_a_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--smoke", "--no-build", "--site-dir", str(tmp_path), "--port", "8000"])
    assert "--port is for a build" in capsys.readouterr().err


def test_lighthouse_names_the_audits_that_cost_points() -> None:
    # The shape of Lighthouse's JSON report, cut down to what is read.
    def category(*ids: str) -> dict[str, Any]:
        return {"score": 0.9, "auditRefs": [{"id": i, "weight": 0 if i == "unweighed" else 1}
                                            for i in ids]}
    report = {
        "categories": {"performance": category("total-blocking-time", "speed-index",
                                               "unweighed"),
                       "accessibility": category("color-contrast"),
                       "best-practices": category("errors-in-console")},
        "audits": {
            "total-blocking-time": {"score": 0.42, "displayValue": "240 ms"},
            "speed-index": {"score": 0.95, "displayValue": "1.2 s"},
            "unweighed": {"score": 0.0},
            "color-contrast": {"score": None},
            "errors-in-console": {"score": 0},
        },
    }
    assert failing_audits(report) == ["errors-in-console", "total-blocking-time (240 ms)"]


def test_lighthouse_gives_each_pages_median_over_the_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    # One Lighthouse run's performance score moves by several points on the same build (issue 16,
    # item 1: the median and spread of every figure); the audits named are the median run's.
    runs = iter([
        {"performance": 97, "accessibility": 100, "best-practices": 100, "failing": []},
        {"performance": 83, "accessibility": 100, "best-practices": 100,
         "failing": ["total-blocking-time (410 ms)"]},
        {"performance": 90, "accessibility": 100, "best-practices": 100,
         "failing": ["first-contentful-paint (2.1 s)"]},
    ])
    monkeypatch.setattr(lighthouse, "scores", lambda url: next(runs))
    assert lighthouse.median_scores("http://127.0.0.1:1/", 3) == {
        "performance": 90, "accessibility": 100, "best-practices": 100,
        "performance_runs": [83, 90, 97], "failing": ["first-contentful-paint (2.1 s)"]}
