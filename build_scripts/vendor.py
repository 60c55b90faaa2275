"""Copy browser libraries from their pinned npm packages into the site (no CDN).

Only tablesort for now: it makes the evidence tables sortable (``site_src/javascripts/tables.js``
loads it, only on pages that have a table, and adds the filter box). The files are generated into
``docs/assets/vendor/`` and git-ignored, like the Pyodide runtime.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .paths import DOCS, NODE_MODULES

__all__ = ["VENDORED", "VENDOR_DIR", "copy_vendored"]

VENDOR_DIR = DOCS / "assets" / "vendor"
# npm package -> files to copy (relative to the package), in load order for scripts.
VENDORED: dict[str, tuple[str, ...]] = {
    "tablesort": ("dist/tablesort.min.js", "dist/sorts/tablesort.number.min.js", "LICENCE"),
}


def copy_vendored(target: Path = VENDOR_DIR, node_modules: Path = NODE_MODULES) -> list[Path]:
    """Copy each package's files into ``target/<package>/`` (flat); return the paths written."""
    written = []
    for package, files in VENDORED.items():
        source = node_modules / package
        if not (source / "package.json").is_file():
            raise SystemExit(f"{source} is missing: run `npm ci` (the README's set-up command "
                             "does) first.")
        version = json.loads((source / "package.json").read_text())["version"]
        folder = target / package
        folder.mkdir(parents=True, exist_ok=True)
        for name in files:
            copied = folder / Path(name).name
            shutil.copyfile(source / name, copied)
            written.append(copied)
        stamp = folder / "VERSION"
        stamp.write_text(f"{package} {version} (npm), copied by build_scripts/vendor.py\n")
        written.append(stamp)
    return written
