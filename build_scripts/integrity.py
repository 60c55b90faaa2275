"""Refuse to build from npm packages that are not exactly the ones ``package-lock.json`` pins.

The site ships files copied out of ``node_modules/`` (the Pyodide runtime, tablesort). ``npm ci``
checks each tarball against the lock's ``integrity`` (its sha512) when it installs, but nothing
checks the unpacked files afterwards: a stale install, a hand-edited file or a different version
would go into the site silently. So every file of those tarballs has its sha256 recorded in
``build_scripts/npm-files.sha256``, together with the version and integrity it was recorded for,
and every build checks, for each package:

1. that ``package-lock.json`` pins the version and integrity the manifest was recorded for;
2. that the installed ``package.json`` has that version;
3. that every file of the tarball is installed with its recorded sha256.

``python -m build_scripts.integrity`` runs the check; ``--record`` rewrites the manifest during a
deliberate upgrade: it fetches each pinned tarball with ``npm pack``, refuses it unless its
sha512 equals the lock's ``integrity``, and records the sha256 of every file in it.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .paths import NODE_MODULES, ROOT

__all__ = ["PACKAGES", "MANIFEST", "PACKAGE_LOCK", "IntegrityError", "Pinned", "pinned",
           "read_manifest", "check_packages", "manifest_from_tarball", "record", "main"]

# The npm packages whose files the build copies into the site (runtime.py, vendor.py).
PACKAGES = ("pyodide", "tablesort")
MANIFEST = Path(__file__).with_name("npm-files.sha256")
PACKAGE_LOCK = ROOT / "package-lock.json"
RECORD_COMMAND = "python -m build_scripts.integrity --record"


class IntegrityError(Exception):
    """node_modules, package-lock.json and the manifest do not agree; the message says how."""


@dataclass(frozen=True)
class Pinned:
    """A package as package-lock.json pins it, or as the manifest was recorded for it."""

    name: str
    version: str
    integrity: str  # "sha512-<base64>", npm's Subresource Integrity string of the tarball


@dataclass(frozen=True)
class Manifest:
    packages: dict[str, Pinned]
    files: dict[str, dict[str, str]]  # package -> path inside the package -> sha256 (hex)


def pinned(name: str, lock: Path = PACKAGE_LOCK) -> Pinned:
    """The version and integrity ``lock`` (npm lockfile v2 or v3) pins for package ``name``."""
    entries = json.loads(lock.read_text()).get("packages", {})
    entry = entries.get(f"node_modules/{name}")
    if not entry or "version" not in entry or "integrity" not in entry:
        raise IntegrityError(f"{lock}: no version and integrity for node_modules/{name} "
                             "(lockfile v2 or v3 expected: run `npm install` to rewrite it)")
    return Pinned(name, entry["version"], entry["integrity"])


def _sha256(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _sri_sha512(path: Path) -> str:
    with path.open("rb") as file:
        digest = hashlib.file_digest(file, "sha512").digest()
    return "sha512-" + base64.b64encode(digest).decode("ascii")


def read_manifest(manifest: Path = MANIFEST) -> Manifest:
    """Parse the manifest: ``# package NAME VERSION INTEGRITY`` lines, then ``SHA256  NAME/PATH``
    lines (the format of ``sha256sum``, relative to ``node_modules/``)."""
    packages: dict[str, Pinned] = {}
    files: dict[str, dict[str, str]] = {}
    for number, line in enumerate(manifest.read_text().splitlines(), start=1):
        if line.startswith("# package "):
            name, version, integrity = line.removeprefix("# package ").split()
            packages[name] = Pinned(name, version, integrity)
        elif line and not line.startswith("#"):
            digest, _, where = line.partition("  ")
            name, _, inside = where.partition("/")
            if len(digest) != 64 or name not in packages or not inside:
                raise IntegrityError(f"{manifest}, line {number}: not 'SHA256  PACKAGE/PATH' "
                                     f"for a package named above it: {line!r}")
            files.setdefault(name, {})[inside] = digest
    return Manifest(packages, files)


def check_packages(packages: Iterable[str] = PACKAGES, node_modules: Path = NODE_MODULES,
                   lock: Path = PACKAGE_LOCK, manifest: Path = MANIFEST) -> None:
    """Raise :class:`IntegrityError` unless each package in ``node_modules`` is exactly the
    tarball ``lock`` pins, file by file, as recorded in ``manifest``."""
    recorded = read_manifest(manifest)
    for name in packages:
        want = pinned(name, lock)
        if recorded.packages.get(name) != want:
            was = recorded.packages.get(name)
            raise IntegrityError(
                f"{manifest.name} was recorded for {name} "
                f"{f'{was.version} ({was.integrity})' if was else '(not at all)'}, but "
                f"{lock.name} pins {want.version} ({want.integrity}). After a deliberate "
                f"upgrade, run `{RECORD_COMMAND}`.")
        package = node_modules / name
        if not (package / "package.json").is_file():
            raise IntegrityError(f"{package} is missing: run `npm ci` (./dev does) first.")
        installed = json.loads((package / "package.json").read_text()).get("version")
        if installed != want.version:
            raise IntegrityError(f"{package} is version {installed}, but {lock.name} pins "
                                 f"{want.version}: run `npm ci` (./dev does).")
        for inside, digest in sorted(recorded.files.get(name, {}).items()):
            path = package / inside
            if not path.is_file():
                raise IntegrityError(f"{path} is missing from {name} {want.version}: "
                                     "run `npm ci`.")
            if _sha256(path) != digest:
                raise IntegrityError(
                    f"{path} differs from the file in the {name} {want.version} tarball that "
                    f"{lock.name} pins (sha256 {digest} expected): run `npm ci`, and find out "
                    "who changed it.")


def manifest_from_tarball(tarball: Path, want: Pinned) -> dict[str, str]:
    """sha256 of every file in the npm ``tarball`` (path inside the package -> hex digest),
    after checking that the tarball's sha512 is ``want.integrity``."""
    got = _sri_sha512(tarball)
    if got != want.integrity:
        raise IntegrityError(f"{tarball.name}: sha512 is {got}, but the lock's integrity for "
                             f"{want.name} {want.version} is {want.integrity}; not recording.")
    digests = {}
    with tarfile.open(tarball, "r:gz") as archive:
        for member in archive:
            if not member.isfile():
                continue
            # npm strips the first path component ("package/" in nearly every tarball).
            _, _, inside = member.name.partition("/")
            extracted = archive.extractfile(member)
            assert extracted is not None  # a regular file always has contents
            digests[inside] = hashlib.sha256(extracted.read()).hexdigest()
    return digests


def _npm_pack(want: Pinned, into: Path) -> Path:
    done = subprocess.run(
        ["npm", "pack", f"{want.name}@{want.version}", "--json", "--pack-destination", str(into)],
        capture_output=True, text=True, check=True,
    )
    filename: str = json.loads(done.stdout)[0]["filename"]
    return into / filename


def record(packages: Iterable[str] = PACKAGES, lock: Path = PACKAGE_LOCK,
           manifest: Path = MANIFEST) -> None:
    """Rewrite ``manifest`` from the tarballs ``lock`` pins (fetched with ``npm pack``)."""
    lines = [
        "# sha256 of every file of the npm tarballs package-lock.json pins, for the packages whose",
        "# files the build copies into the site. Written by `python -m build_scripts.integrity",
        "# --record` from tarballs whose sha512 matched the lock; every build checks node_modules/",
        "# against it (build_scripts/integrity.py).",
    ]
    body = []
    with tempfile.TemporaryDirectory() as scratch:
        for name in packages:
            want = pinned(name, lock)
            digests = manifest_from_tarball(_npm_pack(want, Path(scratch)), want)
            lines.append(f"# package {want.name} {want.version} {want.integrity}")
            body += [f"{digest}  {name}/{inside}" for inside, digest in sorted(digests.items())]
    manifest.write_text("\n".join(lines + body) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_scripts.integrity",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--record", action="store_true",
                        help=f"rewrite {MANIFEST.name} from the tarballs package-lock.json pins "
                        "(npm pack; each tarball's sha512 must match the lock)")
    args = parser.parse_args(argv)
    try:
        if args.record:
            record()
            print(f"Recorded {MANIFEST.relative_to(ROOT)} for {', '.join(PACKAGES)}.")
        else:
            check_packages()
            print(f"node_modules/ matches package-lock.json for {', '.join(PACKAGES)}.")
    except IntegrityError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
