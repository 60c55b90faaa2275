"""The build's gzipped copies of the site's large files (build_scripts/precompress.py)."""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from pathlib import Path

from build_scripts.hosting.rules import (
    PRECOMPRESS_MIN_BYTES,
    precompressed,
    precompressed_copy_of,
)
from build_scripts.offline import site_files
from build_scripts.precompress import write_precompressed

LARGE = bytes(range(256)) * (PRECOMPRESS_MIN_BYTES // 256 + 1)


def assert_each_copy_holds_its_file(copies: Iterable[Path]) -> None:
    for copy in copies:
        original = precompressed_copy_of(copy)
        assert original is not None and gzip.decompress(copy.read_bytes()) == original.read_bytes()


def test_copies_large_compressible_files_only(tmp_path: Path) -> None:
    files = {
        "assets/wheels/0123456789ab/snapshot-0123456789ab.bin": LARGE,
        "assets/pyodide/314.0.7/pyodide.asm.wasm": LARGE,
        "assets/pyodide/314.0.7/pyodide.asm.mjs": LARGE[:PRECOMPRESS_MIN_BYTES - 1],  # too small
        "assets/pyodide/314.0.7/python_stdlib.zip": LARGE,  # deflated already
        ".git/objects/pack.bin": LARGE,  # never served
    }
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    written = write_precompressed(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "assets/pyodide/314.0.7/pyodide.asm.wasm.gz",
        "assets/wheels/0123456789ab/snapshot-0123456789ab.bin.gz"]
    assert_each_copy_holds_its_file(written)
    # No time and no name in the header: the same file always gives the same bytes.
    assert [copy.read_bytes()[3:8] for copy in written] == [b"\0\0\0\0\0"] * len(written)


def test_the_shipped_site_has_a_copy_of_each_large_file(built_site: Path) -> None:
    copies = {p for p in built_site.rglob("*.gz") if precompressed_copy_of(p) is not None}
    wanted = {p.with_name(p.name + ".gz") for p in built_site.rglob("*")
              if p.is_file() and p.suffix != ".gz" and precompressed(p.name, p.stat().st_size)}
    assert copies == wanted
    names = {p.name for p in copies}
    assert "pyodide.asm.wasm.gz" in names
    assert [n for n in names if n.startswith("snapshot-") and n.endswith(".bin.gz")]
    assert_each_copy_holds_its_file(copies)
    # The only other .gz is MkDocs' own sitemap; no copy is kept offline (offline.py).
    assert {p.name for p in built_site.rglob("*.gz")} - names == {"sitemap.xml.gz"}
    assert not [f for f in site_files(built_site) if f.endswith(tuple(names))]
