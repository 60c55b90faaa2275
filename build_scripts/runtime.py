"""Copy the Pyodide runtime from the pinned npm package into the site.

Only the four files a module worker needs are copied: the ES-module loader, the Emscripten glue,
the WebAssembly binary and the standard library archive. The npm package's own
``pyodide-lock.json`` is *not* shipped: it names hundreds of packages the site does not have, and
any of them would make Pyodide reach for its CDN. :mod:`build_scripts.wheel` writes the site's lock.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .paths import NODE_MODULES, RUNTIME_DIR

__all__ = ["RUNTIME_FILES", "npm_pyodide", "pyodide_version", "copy_runtime"]

RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")


def npm_pyodide() -> Path:
    """The installed npm package; a clear error if ``npm ci`` has not been run."""
    package = NODE_MODULES / "pyodide"
    if not (package / "package.json").is_file():
        raise SystemExit(
            f"{package} is missing: run `npm ci` (the README's set-up command does) first."
        )
    return package


def pyodide_version() -> str:
    version: str = json.loads((npm_pyodide() / "package.json").read_text())["version"]
    return version


def copy_runtime(target: Path = RUNTIME_DIR) -> list[Path]:
    """Copy the runtime files into ``target`` and return the paths written."""
    source = npm_pyodide()
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name in RUNTIME_FILES:
        shutil.copyfile(source / name, target / name)
        written.append(target / name)
    return written
