"""The memory snapshot: built beside the wheel under its own hash, named by runtime.mjs, the same
bytes on every build, and served compressed and cached like the rest of its folder.

(That the page really starts from it, and starts without it, is tests/e2e/test_snapshot.py.)
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from build_scripts.hosting.rules import (
    CACHE_FOREVER,
    COMPRESSIBLE_TYPES,
    MEDIA_TYPES,
    cache_control,
)
from build_scripts.runtime import write_runtime_module
from build_scripts.snapshot import check_snapshot, make_snapshot
from build_scripts.wheel import HASH_DIGITS


def _runtime_constants(site: Path) -> dict[str, str]:
    text = (site / "assets" / "runtime.mjs").read_text()
    return dict(re.findall(r'^export const (\w+) = "([^"]*)";$', text, re.MULTILINE))


def test_the_built_site_names_its_snapshot_in_the_wheel_folder(built_site: Path) -> None:
    constants = _runtime_constants(built_site)
    assert set(constants) == {"PYODIDE_DIR", "WHEELS_DIR", "SNAPSHOT", "ENGINE"}
    snapshot = built_site / "assets" / constants["SNAPSHOT"]
    assert snapshot.parent == built_site / "assets" / constants["WHEELS_DIR"].rstrip("/")
    # Named by its own hash: a new runtime with the same wheel still gets a new URL.
    data = snapshot.read_bytes()
    assert snapshot.name == f"snapshot-{hashlib.sha256(data).hexdigest()[:HASH_DIGITS]}.bin"
    assert len(data) > 10_000_000  # the whole WebAssembly memory
    # No other snapshot beside it; only the build's gzipped copy of it (precompress.py).
    assert sorted(path.name for path in snapshot.parent.glob("snapshot-*")) == [
        snapshot.name, snapshot.name + ".gz"]


def test_two_snapshots_of_the_same_files_are_byte_identical(built_site: Path,
                                                             tmp_path: Path) -> None:
    # The test run's build made the first; one more, made here from the same wheels, must match it.
    constants = _runtime_constants(built_site)
    runtime = built_site / "assets" / constants["PYODIDE_DIR"]
    wheels = tmp_path / "wheels"
    shutil.copytree(built_site / "assets" / constants["WHEELS_DIR"], wheels)
    for old in wheels.glob("snapshot-*.bin"):
        old.unlink()
    made = make_snapshot(runtime, wheels)
    built = built_site / "assets" / constants["SNAPSHOT"]
    assert made.name == built.name
    assert made.read_bytes() == built.read_bytes()


def test_a_snapshot_that_does_not_restore_fails_the_build_saying_why(built_site: Path,
                                                                      tmp_path: Path) -> None:
    # Pyodide's report: a snapshot larger than the initial WebAssembly memory does not restore.
    # The worker would silently take the slow start; the build refuses instead.
    constants = _runtime_constants(built_site)
    runtime = built_site / "assets" / constants["PYODIDE_DIR"]
    wheels = built_site / "assets" / constants["WHEELS_DIR"]
    built = built_site / "assets" / constants["SNAPSHOT"]
    check_snapshot(runtime, wheels, built)  # the shipped one restores and calculates
    too_big = tmp_path / "snapshot-too-big.bin"
    too_big.write_bytes(built.read_bytes() + bytes(4 << 20))
    with pytest.raises(SystemExit, match=r"snapshot-too-big.bin \([\d,]+ bytes\) does not restore "
                       r"\(snapshot-check.mjs\): RangeError: offset is out of bounds"):
        check_snapshot(runtime, wheels, too_big)


def test_make_snapshot_says_which_folder_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="pyodide_dir: .* has no pyodide.mjs"):
        make_snapshot(tmp_path, tmp_path)


def test_runtime_module_names_the_snapshot(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels" / "0123456789ab"
    module = write_runtime_module(tmp_path, tmp_path / "pyodide" / "314.0.7", wheels,
                                  wheels / "snapshot-ba9876543210.bin")
    assert ('export const SNAPSHOT = "wheels/0123456789ab/snapshot-ba9876543210.bin";\n'
            in module.read_text())
    with pytest.raises(ValueError, match="snapshot: .* is not inside"):
        write_runtime_module(tmp_path, tmp_path / "pyodide" / "1", wheels,
                             tmp_path.parent / "snapshot.bin")


def test_the_snapshot_is_served_compressed_and_cached_for_good() -> None:
    assert MEDIA_TYPES[".bin"] == "application/octet-stream"
    assert "application/octet-stream" in COMPRESSIBLE_TYPES
    assert cache_control("assets/wheels/0123456789ab/snapshot-ba9876543210.bin") == CACHE_FOREVER
