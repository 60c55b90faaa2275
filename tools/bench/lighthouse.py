"""Lighthouse scores (mobile preset) from the pinned npm package in this folder, run against
Debian's Chromium. Installed apart from the project's package.json so the test suite's
``npm ci`` stays small: ``npm ci --prefix tools/bench`` (``./dev bench`` does it)."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

from .measure import CHROMIUM, CHROMIUM_FLAGS

__all__ = ["CATEGORIES", "LIGHTHOUSE", "scores"]

LIGHTHOUSE = Path(__file__).resolve().parent / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices")


def scores(url: str) -> dict[str, int]:
    """Lighthouse's category scores (0-100) for ``url``; the mobile preset is its default."""
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
        categories = json.loads(report.read_text())["categories"]
    return {key: round(categories[key]["score"] * 100) for key in CATEGORIES}
