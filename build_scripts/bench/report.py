"""The benchmark's figures: the machine they came from, summaries, budgets and the README table."""

from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["machine", "percentile", "summary", "budgets", "markdown"]


def machine(chromium: str) -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").is_file() else ""
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").is_file() else ""
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    memory = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.MULTILINE)
    os_name = platform.platform()
    if Path("/etc/os-release").is_file():
        pretty = re.search(r'^PRETTY_NAME="?([^"\n]+)', Path("/etc/os-release").read_text(),
                           re.MULTILINE)
        os_name = f"{pretty.group(1)} ({platform.release()})" if pretty else os_name
    version = subprocess.run([chromium, "--version"], capture_output=True, text=True).stdout
    return {
        "cpu": model.group(1).strip() if model else platform.processor(),
        "cores": os.cpu_count(),
        "ram_gib": round(int(memory.group(1)) / 1024**2, 1) if memory else None,
        "os": os_name,
        "chromium": version.strip(),
        "python": sys.version.split()[0],
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of ``values`` (``fraction`` in 0..1)."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def summary(values: list[float]) -> dict[str, float]:
    """Median and range, rounded to 0.1 (milliseconds, seconds or a ratio)."""
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3),
            "max": round(max(values), 3), "n": len(values)}


def budgets(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Each budget of issue 7: what it asks, the measured value, and whether it is met."""
    cold, pages = figures["cold"], figures["pages"]
    floor = cold["floor_ms"]["median"]
    ratio, p95 = cold["ready_over_floor"]["median"], cold["recompute_ms"]["p95"]
    guidance_kb = pages["guidance"]["bytes"] / 1000
    guidance_pyodide = pages["guidance"]["pyodide_bytes"]
    fcp, guidance_fcp = cold["fcp_ms"]["median"], cold["guidance_fcp_ms"]["median"]
    rows: list[dict[str, Any]] = [
        {"budget": "calculator ready ÷ floor ≤ 0.75 (cold)",
         "value": ratio, "met": ratio <= 0.75},
        {"budget": "warm repeat visit ready ≤ 0.3 × cold floor",
         "value": f"{cold['warm_ready_ms']['median']:.0f} ms vs {0.3 * floor:.0f} ms",
         "met": cold["warm_ready_ms"]["median"] <= 0.3 * floor},
        {"budget": "recompute p95 ≤ 16 ms",
         "value": f"{p95:.1f} ms", "met": p95 <= 16},
        {"budget": "second calculator page ready ≤ 100 ms",
         "value": f"{cold['second_page_ready_ms']['median']:.0f} ms",
         "met": cold["second_page_ready_ms"]["median"] <= 100 and cold["second_page_instant"]},
        {"budget": "guidance page ≤ 300 KB, no Pyodide bytes",
         "value": f"{guidance_kb:.0f} KB, Pyodide {guidance_pyodide} B",
         "met": guidance_kb <= 300 and guidance_pyodide == 0},
        {"budget": "calculator page FCP not delayed by Pyodide",
         # Not delayed: within 20 % (+ 50 ms) of a guidance page's, which loads no Pyodide.
         "value": f"FCP {fcp:.0f} ms vs guidance page {guidance_fcp:.0f} ms",
         "met": fcp <= 1.2 * guidance_fcp + 50},
    ]
    lighthouse = figures.get("lighthouse")
    if lighthouse:
        worst = {key: min(page[key] for page in lighthouse.values())
                 for key in ("performance", "accessibility", "best-practices")}
        rows.append({"budget": "Lighthouse (mobile) performance ≥ 95, accessibility 100, "
                     "best practices 100 on all three pages",
                     "value": f"lowest: {worst['performance']} / {worst['accessibility']} / "
                     f"{worst['best-practices']}",
                     "met": worst["performance"] >= 95 and worst["accessibility"] == 100
                     and worst["best-practices"] == 100})
    return rows


def _ms(entry: dict[str, float]) -> str:
    return f"{entry['median']:.0f} ms ({entry['min']:.0f}–{entry['max']:.0f})"


def markdown(figures: dict[str, Any]) -> str:
    """The README table: every figure from one run, then the budgets."""
    cold, pages, m = figures["cold"], figures["pages"], figures["machine"]
    ratio = cold["ready_over_floor"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM; {m['os']}; "
        f"{m['chromium']}; Python {m['python']}; {m['date']}. Runs: {figures['runs']} "
        f"(median, min–max), served {figures['served']}.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| floor: bare Pyodide in a worker, `1+1` answered (cold) | {_ms(cold['floor_ms'])} |",
        f"| calculator page, first contentful paint (cold) | {_ms(cold['fcp_ms'])} |",
        f"| calculator page, worker ready (cold) | {_ms(cold['ready_ms'])} |",
        f"| calculator page, first result with the form filled at once (cold) | "
        f"{_ms(cold['first_result_ms'])} |",
        f"| calculator ready ÷ floor (same run) | {ratio['median']:.2f} "
        f"({ratio['min']:.2f}–{ratio['max']:.2f}) |",
        f"| recompute, input changed → result redrawn, p50 / p95 "
        f"({cold['recompute_ms']['n']} changes) | "
        f"{cold['recompute_ms']['p50']:.1f} / {cold['recompute_ms']['p95']:.1f} ms |",
        f"| worker round trip alone, p50 / p95 | {cold['round_trip_ms']['p50']:.1f} / "
        f"{cold['round_trip_ms']['p95']:.1f} ms |",
        f"| instant navigation to a second calculator page, ready | "
        f"{_ms(cold['second_page_ready_ms'])} |",
        "| warm repeat visit (same profile, browser restarted), ready | "
        f"{_ms(cold['warm_ready_ms'])} |",
    ]
    for key, label in (("home", "home page"), ("guidance", "guidance page"),
                       ("calculator", "calculator page")):
        page = pages[key]
        lines.append(f"| {label} `{page['url'] or '/'}`: transferred, requests (Pyodide) | "
                     f"{page['bytes'] / 1000:,.0f} KB, {page['requests']} "
                     f"({page['pyodide_bytes'] / 1000:,.0f} KB) |")
    build = figures["build_s"]
    lines.append("| build: generator + mkdocs build + CSP and offline files (+ check) | " + (
        f"{build['total']:.1f} s ({build['generate']:.1f} + {build['builder']:.1f} + "
        f"{build['finish']:.1f} + {build['check']:.1f})" if build else "not measured (--no-build)")
        + " |")
    for url, scores in (figures.get("lighthouse") or {}).items():
        lines.append(f"| Lighthouse mobile `{url}`: performance / accessibility / best practices | "
                     f"{scores['performance']} / {scores['accessibility']} / "
                     f"{scores['best-practices']} |")
    lines += ["", "| budget | measured | met |", "|---|---|---|"]
    for row in figures["budgets"]:
        value = row["value"] if isinstance(row["value"], str) else f"{row['value']:.2f}"
        lines.append(f"| {row['budget']} | {value} | {'met' if row['met'] else 'not met'} |")
    return "\n".join(lines) + "\n"
