"""Make the memory snapshot the calculator worker starts from: Pyodide, calculators imported.

Starting Python and importing the package is most of a calculator page's wait. Pyodide can instead
restore a copy of its WebAssembly memory taken once that is done (its *private* options
``_makeSnapshot`` under Node.js and ``_loadSnapshot`` in the browser); ``snapshot.mjs`` beside this
module makes that copy from the site's own runtime and wheel, exactly the files the browser loads.
The worker falls back to the ordinary start if the snapshot cannot be fetched or restored.

The snapshot depends on both the runtime and the wheel, so it is named by its own hash
(``assets/wheels/<wheel hash>/snapshot-<12 hex digits>.bin``) and the worker learns the name from
``assets/runtime.mjs``: a change of either gives a new URL, and the file may be cached for a year.
Two builds give the same bytes: ``snapshot.mjs`` freezes the clock and the entropy, and the time
zone is fixed here.

A snapshot that does not restore would cost every page the slow start without a word (the worker
falls back); ``snapshot-check.mjs`` restores each one as the worker does and runs a calculation,
and the build fails, saying why, if that does not work.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .wheel import HASH_DIGITS

__all__ = ["CHECK_SCRIPT", "SNAPSHOT_SCRIPT", "check_snapshot", "make_snapshot"]

SNAPSHOT_SCRIPT = Path(__file__).with_name("snapshot.mjs")
CHECK_SCRIPT = Path(__file__).with_name("snapshot-check.mjs")


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise SystemExit("node is missing: the README's set-up installs Node.js (>= 20).")
    return node


def make_snapshot(pyodide_dir: Path, wheels_dir: Path) -> Path:
    """Write the snapshot of the runtime in ``pyodide_dir`` with the wheel (and lock) in
    ``wheels_dir`` into ``wheels_dir/snapshot-<hash>.bin``; return its path."""
    for name, folder, needed in (("pyodide_dir", pyodide_dir, "pyodide.mjs"),
                                 ("wheels_dir", wheels_dir, "pyodide-lock.json")):
        if not (folder / needed).is_file():
            raise ValueError(f"{name}: {folder} has no {needed}")
    node = _node()
    for old in wheels_dir.glob("snapshot-*.bin"):
        old.unlink()
    # TZ and the locale reach the snapshot through Emscripten's time-zone names.
    env = {**os.environ, "TZ": "UTC", "LC_ALL": "C"}
    with tempfile.TemporaryDirectory(prefix="cmvig-snapshot-") as scratch:
        made = Path(scratch) / "snapshot.bin"
        done = subprocess.run(
            [node, str(SNAPSHOT_SCRIPT), f"{pyodide_dir.resolve()}/", f"{wheels_dir.resolve()}/",
             str(made)],
            env=env, capture_output=True, text=True, check=False,
        )
        if done.returncode != 0 or not made.is_file():
            # Node prints the whole minified line of an error in Pyodide's glue: keep the end.
            raise SystemExit(f"The memory snapshot could not be made ({SNAPSHOT_SCRIPT.name}):\n"
                             + done.stderr[-3000:])
        check_snapshot(pyodide_dir, wheels_dir, made)
        digest = hashlib.sha256(made.read_bytes()).hexdigest()[:HASH_DIGITS]
        return Path(shutil.move(made, wheels_dir / f"snapshot-{digest}.bin"))


def check_snapshot(pyodide_dir: Path, wheels_dir: Path, snapshot: Path) -> None:
    """Restore ``snapshot`` under Node.js as the page's worker does and run one calculation;
    raise SystemExit naming the snapshot, its size and Node's error if that fails."""
    done = subprocess.run(
        [_node(), str(CHECK_SCRIPT), f"{pyodide_dir.resolve()}/", f"{wheels_dir.resolve()}/",
         str(snapshot)],
        env={**os.environ, "TZ": "UTC", "LC_ALL": "C"}, capture_output=True, text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(
            f"The memory snapshot {snapshot.name} ({snapshot.stat().st_size:,} bytes) does not "
            f"restore ({CHECK_SCRIPT.name}): {done.stderr.strip()[-1000:]}\n"
            "Every calculator page would fall back to the slow start. Pyodide's initial memory "
            "may be smaller than the snapshot, or its private snapshot API may have changed "
            "(README, upgrading Pyodide).")
