"""CMV DNA charts for case timelines, drawn at build time with matplotlib into SVG files.

Why at build time and not in the browser: the chart is then a plain image that works without
JavaScript, on the printable page and on paper; nothing more is shipped to the browser; and a test
can read the file. The SVG is deterministic -- a fixed ``svg.hashsalt`` (the ids of clip paths),
no date in its metadata, text kept as text (``svg.fonttype: none``) -- so the same case gives the
same bytes on every build and the diff of a rebuild is empty.

The values are drawn on a logarithmic axis in copies/mL exactly as the source reports them; the
dates of treatments are marked with numbered vertical lines that match the numbered list beside
the chart. The page shows the same values as text (the timeline list), which is the chart's
text alternative.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")  # no display; must come before pyplot

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import LogLocator  # noqa: E402

__all__ = ["HASH_SALT", "treatment_marks", "draw_viral_load_chart"]

HASH_SALT = "cmvig-guide"
# mkdocs-material's indigo and a neutral grey; readable on white and in greyscale print.
LINE_COLOUR = "#303f9f"
MARK_COLOUR = "#757575"


def treatment_marks(timeline: list[dict[str, Any]]) -> list[tuple[int, str, str]]:
    """(number, date, treatment) for every event that names a treatment, numbered from 1."""
    marks: list[tuple[int, str, str]] = []
    for event in timeline:
        if event.get("treatment"):
            marks.append((len(marks) + 1, event["date"], event["treatment"]))
    return marks


def draw_viral_load_chart(timeline: list[dict[str, Any]], title: str, target: Path) -> Path:
    """Write an SVG of CMV DNA (copies/mL, log scale) against date to ``target``."""
    points = [(date.fromisoformat(e["date"]), float(e["cmv_copies_per_ml"]))
              for e in timeline if e.get("cmv_copies_per_ml") is not None]
    marks = treatment_marks(timeline)
    style = {
        "svg.hashsalt": HASH_SALT,
        "svg.fonttype": "none",
        "font.family": "sans-serif",
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with plt.rc_context(cast(Any, style)):
        figure, axes = plt.subplots(figsize=(7.5, 3.6), layout="constrained")
        if points:
            # Dates on the x axis (matplotlib converts them; its stubs want floats).
            days: Any = [p[0] for p in points]
            # Zero copies cannot sit on a log axis: undetectable values are drawn on the floor.
            positive = [p[1] for p in points if p[1] > 0]
            floor = min(positive) / 10 if positive else 1.0
            values = [p[1] if p[1] > 0 else floor for p in points]
            axes.plot(days, values, marker="o", color=LINE_COLOUR, linewidth=1.5,
                      label="CMV DNA (copies/mL)")
            axes.set_yscale("log")
            axes.yaxis.set_major_locator(LogLocator(base=10))
            axes.set_ylim(floor / 2, max(values) * 4)
        for number, day, _treatment in marks:
            when: Any = date.fromisoformat(day)
            axes.axvline(when, color=MARK_COLOUR, linestyle="--", linewidth=1)
            axes.annotate(str(number), xy=(when, 1), xycoords=("data", "axes fraction"),
                          xytext=(3, -12), textcoords="offset points", color=MARK_COLOUR,
                          fontweight="bold")
        axes.set_ylabel("CMV DNA (copies/mL, log scale)")
        axes.set_xlabel("Date (numbered lines: treatments, listed below the chart)")
        axes.set_title(title, fontsize=11)
        axes.xaxis.set_major_formatter(
            mdates.DateFormatter("%Y-%m-%d"))  # type: ignore[no-untyped-call]
        axes.grid(True, which="major", axis="y", color="#e0e0e0", linewidth=0.8)
        figure.autofmt_xdate(rotation=30)
        target.parent.mkdir(parents=True, exist_ok=True)
        # No date, no software version: the same data give the same bytes.
        figure.savefig(target, format="svg", metadata={"Date": None, "Creator": None})
        plt.close(figure)
    return target
