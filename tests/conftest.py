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


def golden(name: str) -> dict[str, Any]:
    """The golden file ``name`` (``<source-key>/<calculator>``)."""
    data: dict[str, Any] = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    return data


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
