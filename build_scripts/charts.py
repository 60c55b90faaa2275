"""CMV DNA charts for case timelines, drawn at build time with matplotlib into SVG files.

Why at build time and not in the browser: the chart is then a plain image that works without
JavaScript, on the printable page and on paper; nothing more is shipped to the browser; and a test
can read the file. The SVG is deterministic -- a fixed ``svg.hashsalt`` (the ids of clip paths),
no date in its metadata, text kept as text (``svg.fonttype: none``) -- so the same case gives the
same bytes on every build and the diff of a rebuild is empty.

The values are drawn on a logarithmic axis in copies/mL exactly as the source reports them. A
result the source reports only as negative (``cmv_negative: true``, no number) cannot sit on a log
axis: it is drawn as an open circle on the axis floor, labelled "negative", joined by a dotted
line. Treatments are dashed vertical lines numbered as the list below the chart numbers its
events, and a case's treatment periods (``periods``: label, from, until, both dates of listed
events) are shaded bands labelled with the same numbers ("4-10 Ganciclovir"). The page shows the
same values as text (the timeline list), which is the chart's text alternative. Each chart is
drawn twice: wide for a desktop and narrow (larger type, fewer date ticks) for a phone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")  # no display; must come before pyplot

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import LogLocator  # noqa: E402

__all__ = ["HASH_SALT", "treatment_marks", "draw_viral_load_chart", "NARROW", "WIDE"]

HASH_SALT = "cmvig-guide"
# mkdocs-material's indigo and a neutral grey; readable on white and in greyscale print.
LINE_COLOUR = "#303f9f"
MARK_COLOUR = "#757575"
BAND_COLOURS = ("#c5cae9", "#ffe0b2", "#c8e6c9", "#f8bbd0")


@dataclass(frozen=True)
class Layout:
    """One rendering's size (inches) and type; the narrow one stays legible at 390 px."""

    size: tuple[float, float]
    font_size: float
    title: bool
    date_format: str
    max_date_ticks: int


WIDE = Layout(size=(7.5, 3.6), font_size=10, title=True, date_format="%Y-%m-%d",
              max_date_ticks=10)
NARROW = Layout(size=(3.9, 4.6), font_size=9, title=False, date_format="%d %b",
                max_date_ticks=5)


def treatment_marks(timeline: list[dict[str, Any]]) -> list[tuple[int, str, str]]:
    """(number, date, treatment) for every event that names a treatment; the number is the
    event's place in the timeline list (from 1), so the chart and the list agree."""
    return [(number, event["date"], event["treatment"])
            for number, event in enumerate(timeline, start=1) if event.get("treatment")]


def _event_number(timeline: list[dict[str, Any]], day: str, what: str) -> int:
    for number, event in enumerate(timeline, start=1):
        if event["date"] == day:
            return number
    raise ValueError(f"periods: {what} {day} is not the date of an event in the timeline")


def draw_viral_load_chart(timeline: list[dict[str, Any]], title: str, target: Path,
                          periods: list[dict[str, str]] | None = None,
                          layout: Layout = WIDE) -> Path:
    """Write an SVG of CMV DNA (copies/mL, log scale) against date to ``target``."""
    points = [(date.fromisoformat(e["date"]), float(e["cmv_copies_per_ml"]))
              for e in timeline if e.get("cmv_copies_per_ml") is not None]
    negatives = [date.fromisoformat(e["date"]) for e in timeline
                 if e.get("cmv_negative") and e.get("cmv_copies_per_ml") is None]
    marks = treatment_marks(timeline)
    bands = [(_event_number(timeline, p["from"], "from"),
              _event_number(timeline, p["until"], "until"), p) for p in periods or []]
    style = {
        "svg.hashsalt": HASH_SALT,
        "svg.fonttype": "none",
        "font.family": "sans-serif",
        "font.size": layout.font_size,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with plt.rc_context(cast(Any, style)):
        figure, axes = plt.subplots(figsize=layout.size, layout="constrained")
        positive = [p[1] for p in points if p[1] > 0]
        floor = min(positive) / 10 if positive else 1.0
        top = max(positive) * 4 if positive else 10.0
        if points:
            # Dates on the x axis (matplotlib converts them; its stubs want floats).
            days: Any = [p[0] for p in points]
            # Zero copies cannot sit on a log axis: undetectable values are drawn on the floor.
            values = [p[1] if p[1] > 0 else floor for p in points]
            axes.plot(days, values, marker="o", color=LINE_COLOUR, linewidth=1.5,
                      label="CMV DNA (copies/mL)")
            top = max(values) * 4
        if negatives:
            last: Any = [points[-1][0], *negatives] if points else negatives
            last_values = ([points[-1][1]] if points else []) + [floor] * len(negatives)
            axes.plot(last, last_values, linestyle=":", color=LINE_COLOUR, linewidth=1.2)
            axes.plot(cast(Any, negatives), [floor] * len(negatives), marker="o", linestyle="",
                      markerfacecolor="white", markeredgecolor=LINE_COLOUR, markersize=7)
            for negative_day in negatives:
                axes.annotate("negative\n(no value given)", xy=(cast(Any, negative_day), floor),
                              xytext=(-4, 8), textcoords="offset points", ha="right",
                              color=LINE_COLOUR, fontsize=layout.font_size - 1)
        axes.set_yscale("log")
        axes.yaxis.set_major_locator(LogLocator(base=10))
        # Room above the data for one lane per treatment period.
        lanes = len(bands)
        axes.set_ylim(floor / 2, top * (6 ** lanes))
        for lane, (first, until, period) in enumerate(bands):
            start: Any = date.fromisoformat(period["from"])
            end: Any = date.fromisoformat(period["until"])
            colour = BAND_COLOURS[lane % len(BAND_COLOURS)]
            axes.axvspan(start, end, color=colour, alpha=0.35, linewidth=0, zorder=0)
            high = 1 - lane * (0.11 if layout is WIDE else 0.09)
            axes.axvspan(start, end, ymin=high - 0.08, ymax=high - 0.01, color=colour, zorder=1)
            # The label sits at the lane's left edge, so a band near the right end keeps it whole.
            axes.annotate(f"{first}\u2013{until} {period['label']}", xy=(0.01, high - 0.045),
                          xycoords="axes fraction", xytext=(3, 0),
                          textcoords="offset points", va="center",
                          fontsize=layout.font_size - 1.5, zorder=2)
        # Numbers of treatments close together are stepped up so they do not run into each other.
        span_days = max(1, (date.fromisoformat(timeline[-1]["date"])
                            - date.fromisoformat(timeline[0]["date"])).days)
        close = span_days * (0.06 if layout is WIDE else 0.1)
        previous: date | None = None
        step = 0
        for number, day, _treatment in marks:
            when: Any = date.fromisoformat(day)
            step = step + 1 if previous is not None and (when - previous).days < close else 0
            previous = when
            axes.axvline(when, color=MARK_COLOUR, linestyle="--", linewidth=1)
            axes.annotate(str(number), xy=(when, 0), xycoords=("data", "axes fraction"),
                          xytext=(3, 4 + 12 * step), textcoords="offset points",
                          color=MARK_COLOUR, fontweight="bold")
        axes.set_ylabel("CMV DNA (copies/mL, log scale)")
        axes.set_xlabel("Date (numbered lines and bands: events as numbered in the list)"
                        if layout is WIDE else "Date (numbers: events in the list)")
        if layout.title:
            axes.set_title(title, fontsize=layout.font_size + 1)
        axes.xaxis.set_major_locator(
            mdates.AutoDateLocator(maxticks=layout.max_date_ticks))  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_formatter(
            mdates.DateFormatter(layout.date_format))  # type: ignore[no-untyped-call]
        axes.grid(True, which="major", axis="y", color="#e0e0e0", linewidth=0.8)
        figure.autofmt_xdate(rotation=30)
        target.parent.mkdir(parents=True, exist_ok=True)
        # No date, no software version: the same data give the same bytes.
        figure.savefig(target, format="svg", metadata={"Date": None, "Creator": None})
        plt.close(figure)
    return target
