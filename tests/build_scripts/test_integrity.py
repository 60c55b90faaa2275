"""The npm packages the site copies from must be exactly the tarballs package-lock.json pins.

Tampering happens only in temporary copies of node_modules/ (never the real one).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from build_scripts.integrity import (
    MANIFEST,
    PACKAGE_LOCK,
    PACKAGES,
    IntegrityError,
    Pinned,
    check_packages,
    manifest_from_tarball,
    pinned,
    read_manifest,
)
from build_scripts.paths import NODE_MODULES
from tests.conftest import ROOT

PYODIDE = pinned("pyodide").version  # the version package-lock.json pins


@pytest.fixture
def node_modules(tmp_path: Path) -> Path:
    """A private copy of the pinned packages, safe to tamper with."""
    copy = tmp_path / "node_modules"
    for name in PACKAGES:
        shutil.copytree(NODE_MODULES / name, copy / name)
    return copy


def test_the_installed_packages_pass() -> None:
    check_packages()


def test_the_manifest_covers_every_file_the_build_copies() -> None:
    recorded = read_manifest()
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"):
        assert name in recorded.files["pyodide"]
    for name in ("dist/tablesort.min.js", "dist/sorts/tablesort.number.min.js", "LICENCE"):
        assert name in recorded.files["tablesort"]
    for name in PACKAGES:
        assert recorded.packages[name] == pinned(name)


@pytest.mark.parametrize("name", ["pyodide.asm.wasm", "python_stdlib.zip", "pyodide.mjs"])
def test_a_changed_file_is_refused_by_name(node_modules: Path, name: str) -> None:
    with (node_modules / "pyodide" / name).open("ab") as file:
        file.write(b"\0")
    with pytest.raises(IntegrityError, match=rf"pyodide/{name} differs from the file in the "
                       rf"pyodide {re.escape(PYODIDE)} tarball"):
        check_packages(node_modules=node_modules)


def test_a_changed_tablesort_file_is_refused(node_modules: Path) -> None:
    (node_modules / "tablesort" / "dist" / "tablesort.min.js").write_text("alert(1)")
    with pytest.raises(IntegrityError, match=r"tablesort/dist/tablesort\.min\.js differs"):
        check_packages(node_modules=node_modules)


def test_a_missing_file_is_refused(node_modules: Path) -> None:
    (node_modules / "pyodide" / "pyodide.asm.mjs").unlink()
    with pytest.raises(IntegrityError, match=r"pyodide\.asm\.mjs is missing"):
        check_packages(node_modules=node_modules)


def test_a_missing_package_is_refused(node_modules: Path) -> None:
    shutil.rmtree(node_modules / "pyodide")
    with pytest.raises(IntegrityError, match=r"pyodide is missing: run `npm ci`"):
        check_packages(node_modules=node_modules)


def test_another_installed_version_is_refused(node_modules: Path) -> None:
    package_json = node_modules / "pyodide" / "package.json"
    package_json.write_text(package_json.read_text().replace(f'"{PYODIDE}"', '"1.0.0"'))
    with pytest.raises(IntegrityError, match=r"is version 1\.0\.0, but package-lock\.json "
                       rf"pins {re.escape(PYODIDE)}"):
        check_packages(node_modules=node_modules)


def test_a_lock_the_manifest_was_not_recorded_for_is_refused(tmp_path: Path) -> None:
    lock = json.loads(PACKAGE_LOCK.read_text())
    lock["packages"]["node_modules/pyodide"].update(version="999.0.0", integrity="sha512-AAAA")
    changed = tmp_path / "package-lock.json"
    changed.write_text(json.dumps(lock))
    with pytest.raises(IntegrityError, match=rf"recorded for pyodide {re.escape(PYODIDE)} .*"
                       r"pins 999\.0\.0 .*python -m build_scripts\.integrity --record"):
        check_packages(lock=changed)


def test_a_lock_without_the_package_is_refused(tmp_path: Path) -> None:
    lock = tmp_path / "package-lock.json"
    lock.write_text(json.dumps({"lockfileVersion": 3, "packages": {}}))
    with pytest.raises(IntegrityError, match=r"no version and integrity for node_modules/pyodide"):
        check_packages(lock=lock)


def test_a_malformed_manifest_line_is_refused(tmp_path: Path) -> None:
    manifest = tmp_path / "npm-files.sha256"
    manifest.write_text(MANIFEST.read_text() + "0123  nowhere/file\n")
    with pytest.raises(IntegrityError, match=r"line \d+: not 'SHA256  PACKAGE/PATH'"):
        read_manifest(manifest)


def _tarball(where: Path, files: dict[str, bytes]) -> Path:
    tarball = where / "package-1.0.0.tgz"
    with tarfile.open(tarball, "w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return tarball


def test_recording_takes_every_file_of_a_tarball_that_matches_the_lock(tmp_path: Path) -> None:
    files = {"package.json": b'{"version": "1.0.0"}', "dist/lib.js": b"export {};"}
    tarball = _tarball(tmp_path, files)
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    digests = manifest_from_tarball(tarball, Pinned("package", "1.0.0", integrity))
    assert digests == {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}


def test_recording_refuses_a_tarball_that_does_not_match_the_lock(tmp_path: Path) -> None:
    tarball = _tarball(tmp_path, {"package.json": b"{}"})
    with pytest.raises(IntegrityError, match=r"sha512 is sha512-.*but the lock's integrity for "
                       r"package 1\.0\.0 is sha512-AAAA; not recording"):
        manifest_from_tarball(tarball, Pinned("package", "1.0.0", "sha512-AAAA"))


def test_the_build_refuses_a_tampered_runtime(tmp_path: Path) -> None:
    """``python -m build_scripts`` in a copy of the project whose Pyodide runtime was changed:
    exit status 1, the file named, and docs/ not touched."""
    for folder in ("build_scripts", "calculators", "site_src"):
        shutil.copytree(ROOT / folder, tmp_path / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "package-lock.json"):
        shutil.copyfile(ROOT / name, tmp_path / name)
    for name in PACKAGES:
        shutil.copytree(NODE_MODULES / name, tmp_path / "node_modules" / name)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "kept.md").write_text("the last good build\n")
    wasm = tmp_path / "node_modules" / "pyodide" / "pyodide.asm.wasm"
    wasm.write_bytes(wasm.read_bytes()[:-1] + b"\0")
    done = subprocess.run([sys.executable, "-m", "build_scripts", "--site-dir",
                           str(tmp_path / "site")], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 1
    assert f"{wasm} differs from the file in the pyodide {PYODIDE} tarball" in done.stderr
    assert [p.name for p in (tmp_path / "docs").iterdir()] == ["kept.md"]
    assert not (tmp_path / "site").exists()
