"""The service worker written into the site root: its file list and its build hash."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from build_scripts.hosting.rules import PRECOMPRESS_MIN_BYTES, precompressed_copy_of
from build_scripts.offline import MANIFEST, SERVICE_WORKER, build_id, site_files, write_offline


def small_site(root: Path) -> Path:
    files = {
        "index.html": "<h1>Home</h1>",
        "prophylaxis/index.html": "<h1>Prophylaxis</h1>",
        "assets/pyodide/pyodide.asm.wasm": "\0asm",
        "assets/javascripts/bundle.min.js": "console.log(1)",
        "assets/javascripts/bundle.min.js.map": "{}",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def constants(worker: Path) -> tuple[str, list[str]]:
    """BUILD and FILES as the generated worker declares them."""
    text = worker.read_text()
    build = re.search(r'^const BUILD = "([0-9a-f]+)";$', text, re.M)
    files = re.search(r"^const FILES = (\[.*?\]);$", text, re.M | re.S)
    assert build and files, text[:500]
    return build.group(1), json.loads(files.group(1))


def test_lists_every_file_but_the_worker_and_source_maps(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    (site / SERVICE_WORKER).write_text("// an older one")
    assert site_files(site) == [
        "assets/javascripts/bundle.min.js", "assets/pyodide/pyodide.asm.wasm",
        "index.html", "prophylaxis/index.html"]


def test_never_lists_what_a_browser_may_not_fetch(tmp_path: Path) -> None:
    # IIS refuses web.config; listed, it made the whole install fail (issue 14).
    site = small_site(tmp_path)
    for name in ("web.config", ".env", ".git/config", "assets/.hidden.js"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("never served")
    assert site_files(site) == [
        "assets/javascripts/bundle.min.js", "assets/pyodide/pyodide.asm.wasm",
        "index.html", "prophylaxis/index.html"]
    assert "web.config" not in constants(write_offline(site))[1]


def test_never_lists_the_builds_gzipped_copies(tmp_path: Path) -> None:
    # The browser asks for the file; a server sends its copy (precompress.py) in its place.
    site = small_site(tmp_path)
    wasm = site / "assets" / "pyodide" / "pyodide.asm.wasm"
    wasm.write_bytes(b"\0asm" * PRECOMPRESS_MIN_BYTES)
    wasm.with_name("pyodide.asm.wasm.gz").write_bytes(b"a copy")
    (site / "sitemap.xml.gz").write_bytes(b"nobody's copy")
    assert site_files(site) == [
        "assets/javascripts/bundle.min.js", "assets/pyodide/pyodide.asm.wasm",
        "index.html", "prophylaxis/index.html", "sitemap.xml.gz"]


def test_refuses_a_folder_that_is_not_a_built_site(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="site_dir .* has no index.html"):
        site_files(tmp_path)


def test_build_id_follows_every_path_and_byte(tmp_path: Path) -> None:
    site = small_site(tmp_path / "a")
    files = site_files(site)
    first = build_id(site, files)
    copy = shutil.copytree(site, tmp_path / "b")
    assert build_id(copy, site_files(copy)) == first  # a hash of content, not of time or place
    (copy / "prophylaxis" / "index.html").write_text("<h1>Prophylaxis, corrected</h1>")
    assert build_id(copy, site_files(copy)) != first
    moved = shutil.copytree(site, tmp_path / "c")
    (moved / "prophylaxis").rename(moved / "renamed")
    assert build_id(moved, site_files(moved)) != first


def test_writes_the_worker_and_the_manifest(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    worker = write_offline(site)
    assert worker == site / SERVICE_WORKER
    build, files = constants(worker)
    manifest = json.loads((site / MANIFEST).read_text())
    assert manifest == {"build": build, "files": files,
                        "runtime_folders": ["assets/pyodide/", "assets/wheels/"]}
    # The worker and the self-test page read the runtime folders from one list (offline.py).
    assert 'const RUNTIME_FOLDERS = ["assets/pyodide/", "assets/wheels/"];' in worker.read_text()
    assert files == sorted([*site_files(site)])  # the manifest itself included, the worker not
    assert MANIFEST in files and SERVICE_WORKER not in files
    # Writing again over the same build gives the same worker: the manifest is not hashed.
    assert write_offline(site).read_text() == worker.read_text()
    (site / "index.html").write_text("<h1>Home, new build</h1>")
    assert constants(write_offline(site))[0] != build


def test_worker_is_valid_javascript(tmp_path: Path) -> None:
    worker = write_offline(small_site(tmp_path))
    checked = subprocess.run(["node", "--check", str(worker)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_built_site_keeps_every_file_offline(built_site: Path) -> None:
    build, files = constants(built_site / SERVICE_WORKER)
    on_disk = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*")
                     if p.is_file() and p.name != SERVICE_WORKER and p.suffix != ".map"
                     and precompressed_copy_of(p) is None)
    # Every file but IIS's web.config, which IIS never serves (issue 14).
    assert (built_site / "web.config").is_file()
    assert files == [f for f in on_disk if f != "web.config"]
    # URLs relative to the site root, so the site works from any path.
    assert not [f for f in files if f.startswith("/") or "://" in f]
    assert {"index.html", "prophylaxis/index.html", "javascripts/calculator-worker.js",
            "self-test/index.html"} <= set(files)
    assert [f for f in files if f.endswith(".wasm")], "the Pyodide runtime is kept offline"
    assert build == build_id(built_site, [f for f in files if f != MANIFEST])
