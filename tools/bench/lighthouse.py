"""Lighthouse scores (mobile preset) from the pinned npm package in this folder, run against
Debian's Chromium. Installed apart from the project's package.json so the test suite's
``npm ci`` stays small: ``npm ci --prefix tools/bench`` (``./dev bench`` does it)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from .measure import CHROMIUM, CHROMIUM_FLAGS

__all__ = ["CATEGORIES", "LIGHTHOUSE", "failing_audits", "median_scores", "scores"]

LIGHTHOUSE = Path(__file__).resolve().parent / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices")


def failing_audits(report: dict[str, Any]) -> list[str]:
    """The audits that cost a category of a Lighthouse ``report`` points: those it weighs that
    scored below 0.9, worst first, each as "id (its value)", e.g. "total-blocking-time (240 ms)"."""
    found: list[tuple[float, str]] = []
    for key in CATEGORIES:
        for ref in report["categories"][key]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None \
                    and audit["score"] < 0.9:
                value = audit.get("displayValue")
                found.append((audit["score"], f"{ref['id']} ({value})" if value else ref["id"]))
    return [name for _, name in sorted(found)]


def scores(url: str) -> dict[str, Any]:
    """Lighthouse's category scores (0-100) for ``url``, and under "failing" the audits that
    cost points (:func:`failing_audits`); the mobile preset is its default."""
    if not LIGHTHOUSE.is_file():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run `npm ci --prefix tools/bench` "
                         "(./dev bench does) or pass --no-lighthouse.")
    with tempfile.TemporaryDirectory(prefix="cmvig-lighthouse-") as folder:
        report = Path(folder) / "report.json"
        subprocess.run(
            [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
             f"--only-categories={','.join(CATEGORIES)}",
             # --headless etc. as everywhere; Lighthouse adds its own fresh profile.
             f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}"],
            check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True,
        )
        found = json.loads(report.read_text())
    result: dict[str, Any] = {key: round(found["categories"][key]["score"] * 100)
                              for key in CATEGORIES}
    result["failing"] = failing_audits(found)
    return result


def median_scores(url: str, runs: int) -> dict[str, Any]:
    """:func:`scores` over ``runs`` runs: each category's median, the performance score of every
    run (``performance_runs``; one run's score moves by several points between runs on the same
    build), and the failing audits of the run whose performance score is the median."""
    found = sorted((scores(url) for _ in range(runs)), key=lambda run: run["performance"])
    result: dict[str, Any] = {key: round(statistics.median(run[key] for run in found))
                              for key in CATEGORIES}
    result["performance_runs"] = [run["performance"] for run in found]
    result["failing"] = found[(len(found) - 1) // 2]["failing"]
    return result
