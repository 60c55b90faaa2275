"""Shared test helpers: paths, and the golden cases both CPython and Pyodide runs read."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "calculators" / "golden"
# The source documents: shared/ sits beside the clone, on developers' machines and in CI.
SEEDS = ROOT.parent / "shared" / "seeds"


def golden_cases() -> list[tuple[str, dict[str, Any]]]:
    """(source key, case) for every golden case: one file per source, golden/<source-key>.json.

    Read by the CPython tests, the Pyodide run and the browser test alike (format in
    golden/README.md).
    """
    found = []
    for path in sorted(GOLDEN.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found.extend((str(data["source"]), case) for case in data["cases"])
    return found


def golden_key(source: str, case: dict[str, Any]) -> str:
    """A stable name for a case: ``<source>/<calculator>/<id>``."""
    return f"{source}/{case['calculator']}/{case['id']}"


@pytest.fixture(scope="session")
def site_port() -> int:
    """A free port on 127.0.0.1 for the test server, known before the site is built."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, site_port: int) -> Path:
    """The whole site, built once per test session by the README's build step.

    Its site_url is the test server's address: instant navigation needs the port to match.
    """
    site = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "build_scripts", "--site-dir", str(site),
         "--site-url", f"http://127.0.0.1:{site_port}/"],
        cwd=ROOT, check=True, capture_output=True,
    )
    return site
