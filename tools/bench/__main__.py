"""``python -m tools.bench``: how long users wait, measured against bare Pyodide.

Builds the site as it ships (:func:`build_scripts.build.build_site`, timed), serves it on
127.0.0.1 with the floor page beside it, and drives Debian's Chromium with a fresh profile for
every cold visit. Prints a Markdown table for the README and writes every figure as JSON. A
benchmark, not a test: nothing here fails on a slow number. ``--levers`` measures the start-up
levers one at a time instead (see ``levers.py``).
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import tempfile
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from build_scripts.build import build_site
from build_scripts.paths import ROOT

from . import lighthouse, measure
from .report import (
    COLD_FIGURES,
    DISTRIBUTIONS,
    RATIOS,
    budgets,
    distribution,
    machine,
    markdown,
    summary,
)
from .server import lock_file, pyodide_dir, serve, site_port, snapshot_file

PAGES = {"home": "", "guidance": "safety/", "calculator": measure.CALCULATOR_PAGE}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def build(site: Path, port: int) -> dict[str, float]:
    """The shipped build (:func:`build_scripts.build.build_site`) for ``http://127.0.0.1:PORT/``
    into ``site``, timed step by step (seconds)."""
    times = build_site(ROOT, site, f"http://127.0.0.1:{port}/", date.today())
    return {name: round(seconds, 2) for name, seconds in asdict(times).items()}


def run(site: Path, runs: int, recomputes: int, with_lighthouse: bool,
        build_s: dict[str, float] | None) -> dict[str, Any]:
    port = site_port(site)
    runtime, lock, snapshot = pyodide_dir(site), lock_file(site), snapshot_file(site)
    samples: dict[str, list[float]] = {key: [] for key in COLD_FIGURES}
    spreads: dict[str, list[float]] = {key: [] for key in DISTRIBUTIONS}
    instant = True
    pages: dict[str, Any] = {}
    scores: dict[str, dict[str, Any]] | None = None
    with serve(site, port) as base_url, sync_playwright() as playwright:
        for number in range(1, runs + 1):
            floor = measure.floor_ms(playwright, base_url, runtime, lock)
            cold = measure.cold_calculator(playwright, base_url, recomputes)
            guidance = measure.page_bytes(playwright, base_url, PAGES["guidance"], runtime)
            snapshot_cold, snapshot_warm = measure.snapshot_floor_ms(playwright, base_url, runtime,
                                                                     lock, snapshot)
            times = {
                "floor_ms": floor, "fcp_ms": cold.fcp_ms, "ready_ms": cold.ready_ms,
                "first_result_ms": cold.first_result_ms,
                "second_page_ready_ms": cold.second_page_ready_ms,
                "second_tab_result_ms": cold.second_tab_result_ms,
                "second_tab_link_result_ms": cold.second_tab_link_result_ms,
                "warm_ready_ms": cold.warm_ready_ms, "guidance_fcp_ms": guidance.fcp_ms,
                "snapshot_floor_ms": snapshot_cold, "snapshot_floor_warm_ms": snapshot_warm,
            }
            times |= {ratio: times[of] / floor for ratio, of in RATIOS.items()}
            for key, value in times.items():
                samples[key].append(value)
            spreads["recompute_ms"] += cold.recompute_ms
            spreads["recompute_dom_ms"] += cold.recompute_dom_ms
            spreads["recompute_throttled_ms"] += cold.recompute_throttled_ms
            spreads["round_trip_ms"] += cold.round_trip_ms
            instant = instant and cold.second_page_instant
            print(f"run {number}/{runs}: floor {floor:.0f} ms, calculator ready "
                  f"{cold.ready_ms:.0f} ms, second tab {cold.second_tab_result_ms:.0f} ms, "
                  f"warm {cold.warm_ready_ms:.0f} ms", file=sys.stderr)
        for key, path in PAGES.items():
            found = measure.page_bytes(playwright, base_url, path, runtime)
            pages[key] = {"url": found.url, "requests": found.requests, "bytes": found.bytes,
                          "pyodide_bytes": found.pyodide_bytes,
                          "pyodide_requests": found.pyodide_requests, "urls": found.urls}
        if with_lighthouse:
            scores = {path or "/": lighthouse.median_scores(base_url + path, runs)
                      for path in PAGES.values()}
    cold_figures: dict[str, Any] = {key: summary(values) for key, values in samples.items()}
    cold_figures.update({key: distribution(values) for key, values in spreads.items()})
    cold_figures["second_page_instant"] = instant
    figures: dict[str, Any] = {
        "machine": machine(measure.CHROMIUM), "runs": runs,
        "served": "by build_scripts.hosting.serve's handler, as built", "cold": cold_figures,
        "pages": pages, "build_s": build_s, "lighthouse": scores,
    }
    figures["budgets"] = budgets(figures)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="cold runs (default 7)")
    parser.add_argument("--recomputes", type=int, default=200,
                        help="input changes timed per run (default 200)")
    parser.add_argument("--smoke", action="store_true",
                        help="1 run, 20 recomputes, no Lighthouse: checks the benchmark works")
    parser.add_argument("--json", type=Path, help="write every figure here as JSON")
    parser.add_argument("--no-build", action="store_true",
                        help="benchmark the site already in --site-dir (built for 127.0.0.1)")
    parser.add_argument("--site-dir", type=Path, help="where the site is (or is built to; "
                        "default: a temporary folder)")
    parser.add_argument("--port", type=int, default=0,
                        help="build for, and serve on, this port of 127.0.0.1 (default: a free "
                        "one; --no-build serves on the port the site was built for)")
    parser.add_argument("--lighthouse", action=argparse.BooleanOptionalAction, default=True,
                        help="Lighthouse scores for three pages (default: on, off with --smoke)")
    parser.add_argument("--levers", action="store_true",
                        help="measure the start-up levers one at a time instead")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.recomputes < 1:
        parser.error("--runs and --recomputes must be at least 1")
    if args.smoke:
        args.runs, args.recomputes, args.lighthouse = 1, 20, False
    if args.no_build and args.site_dir is None:
        parser.error("--no-build needs --site-dir")
    if args.no_build and args.port:
        parser.error("--port is for a build: with --no-build, the site's own port is used")
    with tempfile.TemporaryDirectory(prefix="cmvig-bench-site-") as scratch:
        site = args.site_dir or Path(scratch)
        build_s = None
        if not args.no_build:
            print("Building the site (timed)", file=sys.stderr)
            build_s = build(site, args.port or _free_port())
        if args.levers:
            from .levers import measure_levers
            figures = measure_levers(site, args.runs)
            text = figures["markdown"]
        else:
            figures = run(site, args.runs, args.recomputes, args.lighthouse, build_s)
            text = markdown(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
