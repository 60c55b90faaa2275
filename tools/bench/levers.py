"""The start-up levers of issue 7, each measured on its own against the site as built.

Each lever changes one thing, without editing the site: how it is served (gzip, preload tags in
the calculator page's head, ``Cache-Control: immutable`` on the runtime), or which file is served
for the standard library (a trimmed archive, put in place by the server), or, on the floor page
only, a memory snapshot (Pyodide's private ``_loadSnapshot`` option). For each: the floor and the
calculator page ready, cold, and the warm return visit, each the median of ``runs`` fresh profiles.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from build_scripts.paths import ROOT

from . import measure
from .server import Levers, lock_file, pyodide_dir, serve, site_port

__all__ = ["measure_levers", "probe_startup", "trimmed_stdlib"]

PROBE = Path(__file__).resolve().parent / "startup_probe.mjs"


def probe_startup(site: Path, snapshot: Path) -> list[str]:
    """Start the site's runtime under Node as the worker does; write a memory snapshot to
    ``snapshot`` and return the standard-library files imported (paths inside the archive)."""
    runtime = site / pyodide_dir(site).lstrip("/")
    lock = site / lock_file(site).lstrip("/")
    settings = site / "assets" / "calculator-settings.json"
    found = subprocess.run(
        ["node", str(PROBE), f"{runtime}/", str(lock), str(settings), str(snapshot)],
        check=True, capture_output=True, text=True, cwd=ROOT,
    ).stdout
    prefix = "/lib/python314.zip/"
    return [path.removeprefix(prefix) for path in json.loads(found)]


def trimmed_stdlib(original: Path, keep: list[str], target: Path) -> Path:
    """A copy of the standard-library archive holding only ``keep`` (and their folders)."""
    wanted = set(keep)
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(target, "w") as trimmed:
        for info in source.infolist():
            if info.filename in wanted or (info.is_dir() and any(
                    name.startswith(info.filename) for name in wanted)):
                trimmed.writestr(info, source.read(info))
    return target


def _median(values: list[float]) -> float:
    return round(statistics.median(values))


def measure_levers(site: Path, runs: int) -> dict[str, Any]:
    port, runtime, lock = site_port(site), pyodide_dir(site), lock_file(site)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="cmvig-levers-") as scratch:
        snapshot = Path(scratch) / "snapshot.bin"
        imported = probe_startup(site, snapshot)
        original = site / runtime.lstrip("/") / "python_stdlib.zip"
        trimmed = trimmed_stdlib(original, imported, Path(scratch) / "python_stdlib.zip")
        preload = "".join(
            f'<link rel="{rel}" href="{runtime}{name}"{extra}>' for rel, name, extra in (
                ("modulepreload", "pyodide.mjs", ""), ("modulepreload", "pyodide.asm.mjs", ""),
                ("preload", "pyodide.asm.wasm", ' as="fetch" crossorigin'),
                ("preload", "python_stdlib.zip", ' as="fetch" crossorigin')))
        variants: dict[str, tuple[Levers, dict[str, str]]] = {
            "as built": (Levers(), {}),
            "gzip": (Levers(gzip=True), {}),
            "preload tags": (Levers(head_tags=preload), {}),
            "immutable runtime": (Levers(immutable_runtime=True), {}),
            "gzip + immutable runtime": (Levers(gzip=True, immutable_runtime=True), {}),
            # Floor only: the list comes from Node, and the page's worker needs more than that
            # (with this archive in place of the full one it never became ready).
            "trimmed stdlib (floor only)": (Levers(overlays={"/__stdlib__.zip": trimmed}),
                                            {"stdlib": "/__stdlib__.zip"}),
            "memory snapshot (floor only)": (Levers(overlays={"/__snapshot__.bin": snapshot}),
                                             {"snapshot": "/__snapshot__.bin"}),
        }
        with sync_playwright() as playwright:
            for name, (levers, floor_options) in variants.items():
                floors, readies, warms = [], [], []
                with serve(site, port, levers) as base_url:
                    for _ in range(runs):
                        floors.append(measure.floor_ms(playwright, base_url, runtime, lock,
                                                       **floor_options))
                        if not floor_options:
                            cold = measure.cold_calculator(playwright, base_url, 1)
                            readies.append(cold.ready_ms)
                            warms.append(cold.warm_ready_ms)
                    calculator = measure.page_bytes(playwright, base_url,
                                                    measure.CALCULATOR_PAGE, runtime)
                results[name] = {
                    "served": levers.describe(), "floor_ms": _median(floors),
                    "ready_ms": _median(readies) if readies else None,
                    "warm_ready_ms": _median(warms) if warms else None,
                    "calculator_page_bytes": calculator.bytes,
                }
                print(f"{name}: {results[name]}", file=sys.stderr)
        sizes = {"stdlib_bytes": original.stat().st_size, "trimmed_stdlib_bytes":
                 trimmed.stat().st_size, "trimmed_stdlib_files": len(imported),
                 "snapshot_bytes": snapshot.stat().st_size}
    lines = [f"Levers, each alone; median of {runs} cold runs (fresh profile each).", "",
             "| lever | floor ready | calculator ready | warm return ready | calculator page KB |",
             "|---|---|---|---|---|"]
    for name, row in results.items():
        cells = [f"{row[key]} ms" if row[key] is not None else "–"
                 for key in ("floor_ms", "ready_ms", "warm_ready_ms")]
        kilobytes = row["calculator_page_bytes"] / 1000
        lines.append(f"| {name} | {' | '.join(cells)} | {kilobytes:,.0f} |")
    lines += ["", f"Standard library {sizes['stdlib_bytes']:,} B; trimmed to the "
              f"{sizes['trimmed_stdlib_files']} files imported: "
              f"{sizes['trimmed_stdlib_bytes']:,} B."
              f" Memory snapshot: {sizes['snapshot_bytes']:,} B."]
    return {"runs": runs, "levers": results, "sizes": sizes, "markdown": "\n".join(lines) + "\n"}
