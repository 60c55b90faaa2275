"""Build the ``calculators`` wheel and the site-local ``pyodide-lock.json`` that lists it.

The wheel is pure Python, so it is built with the standard PEP 517 front end (``python -m build``,
backend flit_core) rather than ``pyodide build``, which wants to download a cross-build environment.
``SOURCE_DATE_EPOCH`` is fixed so the same sources give a byte-identical wheel.

The lock is written by pyodide-build's ``pyodide lockfile add-wheels``, starting from the npm
package's ``info`` block (Python and ABI versions) and an *empty* package list: the site's lock
names only what the site ships, and its sha256 lets the browser refuse a tampered wheel.

In the site, the wheel and its lock sit in ``assets/wheels/<first 12 hex digits of the wheel's
sha256>/`` (:func:`publish_wheel`): new calculators mean a new URL, so that folder may be cached
for good.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .paths import ROOT, WHEELS_DIR
from .runtime import npm_pyodide

__all__ = ["SOURCE_DATE_EPOCH", "HASH_DIGITS", "build_wheel", "write_lock", "publish_wheel"]

# 2026-01-01T00:00:00Z: any fixed instant will do; it only has to stay the same between builds.
SOURCE_DATE_EPOCH = "1767225600"
# 48 bits of the sha256 name the wheel's folder: plenty to tell builds apart.
HASH_DIGITS = 12


def build_wheel(outdir: Path = WHEELS_DIR) -> Path:
    """Build the wheel of ``calculators/`` into ``outdir`` and return its path."""
    outdir.mkdir(parents=True, exist_ok=True)
    for old in outdir.glob("calculators-*.whl"):
        old.unlink()
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(outdir), "."],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    (wheel,) = outdir.glob("calculators-*.whl")
    return wheel


def write_lock(wheel: Path, outdir: Path = WHEELS_DIR) -> Path:
    """Write ``outdir/pyodide-lock.json`` listing only ``wheel``; return its path."""
    npm_lock = json.loads((npm_pyodide() / "pyodide-lock.json").read_text())
    lock = outdir / "pyodide-lock.json"
    with tempfile.TemporaryDirectory() as scratch:
        empty = Path(scratch) / "empty-lock.json"
        empty.write_text(json.dumps({"info": npm_lock["info"], "packages": {}}))
        pyodide_cli = Path(sys.executable).with_name("pyodide")
        subprocess.run(
            [str(pyodide_cli), "lockfile", "add-wheels", "--input", str(empty),
             "--output", str(lock), "--base-path", str(outdir), str(wheel)],
            cwd=outdir,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    written = json.loads(lock.read_text())
    if set(written["packages"]) != {"calculators"}:
        raise SystemExit(f"{lock} lists {sorted(written['packages'])}, expected only calculators")
    return lock


def publish_wheel(wheels: Path = WHEELS_DIR) -> list[Path]:
    """Build the wheel into ``wheels/<hash>/`` with its lock beside it; return [wheel, lock]."""
    with tempfile.TemporaryDirectory() as scratch:
        built = build_wheel(Path(scratch))
        digest = hashlib.sha256(built.read_bytes()).hexdigest()[:HASH_DIGITS]
        folder = wheels / digest
        folder.mkdir(parents=True, exist_ok=True)
        wheel = Path(shutil.copyfile(built, folder / built.name))
    return [wheel, write_lock(wheel, folder)]
