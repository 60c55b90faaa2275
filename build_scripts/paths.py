"""Where the generator reads and writes. Everything is relative to the repository root."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE_SRC = ROOT / "site_src"
DOCS = ROOT / "docs"
SITE = ROOT / "site"
MKDOCS_YML = ROOT / "mkdocs.yml"
NODE_MODULES = ROOT / "node_modules"

# Generated into docs/ (git-ignored): pages, the Pyodide runtime, the wheel and its lock.
RUNTIME_DIR = DOCS / "assets" / "pyodide"
WHEELS_DIR = DOCS / "assets" / "wheels"
GENERATED_LIST = DOCS / ".generated"
