"""Shared test helpers: paths, and the golden cases both CPython and Pyodide runs read."""

from __future__ import annotations

import fcntl
import importlib.util
import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

# No Hypothesis deadline anywhere: a deadline is a timing assertion, and speed is measured in the
# benchmark, never asserted in tests (on a loaded machine, or under mutmut, a fast example can
# take 400 ms once). The examples and their number are unchanged. The golden cases' run inside
# Pyodide (tests/pyodide) has pytest but not Hypothesis, and needs no profile.
if importlib.util.find_spec("hypothesis") is not None:
    from hypothesis import settings

    settings.register_profile("cmvig", deadline=None)
    settings.load_profile("cmvig")

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "calculators" / "golden"
# The source documents: shared/ sits beside the clone, on developers' machines and in CI.
SEEDS = ROOT.parent / "shared" / "seeds"


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (for a server a test starts)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


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


SLOWER_FOLDERS = ("e2e", "site")  # each file drives Chromium or reads the built site

# Coverage's tracer runs only where the 100 % branch coverage of calculators/ is measured: the
# unit tests in tests/calculators/, which reach every branch on their own. Every other test runs
# as before, without the tracer (pytest-cov's ``no_cover`` marker, which pauses it while the test
# runs): the Hypothesis properties took 94 s of processor time traced and 41 s untraced, and the
# generator's and the built site's tests 53 s and 30 s (pytest's own, 2026-11-29, 2-core machine).
TRACED = ROOT / "tests" / "calculators"
UNTRACED_IN_TRACED = TRACED / "property"


def traced(item: pytest.Item) -> bool:
    """Whether coverage's tracer runs during ``item`` (see TRACED)."""
    path = Path(item.path)
    return path.is_relative_to(TRACED) and not path.is_relative_to(UNTRACED_IN_TRACED)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Longest first: the install test (uv and npm into a clone), then the files marked ``long``,
    then the browser and built-site files, then the rest (unit tests of seconds) in their usual
    order. pytest-xdist (``./dev test``: ``--dist loadfile --no-loadscope-reorder``) hands out
    files in this order, so a long file starts while others run beside it, and the short files
    fill the end, instead of one browser file finishing last, alone on one core (the sort is
    stable). And coverage's tracer is paused in every test outside TRACED."""
    def slower(item: pytest.Item) -> bool:
        return Path(item.path).relative_to(ROOT / "tests").parts[0] in SLOWER_FOLDERS

    items.sort(key=lambda item: (item.get_closest_marker("install") is None,
                                 item.get_closest_marker("long") is None,
                                 not slower(item)))
    for item in items:
        if not traced(item):
            item.add_marker(pytest.mark.no_cover)


def _run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder every process of this pytest run shares: pytest-xdist's workers each get a
    basetemp of their own inside the controller's (``.../popen-gw0``), so theirs is the parent."""
    basetemp = tmp_path_factory.getbasetemp()
    return basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole site, built by the README's build step (``python -m build_scripts``, that is
    ``build_site``) once per test run, however many pytest-xdist workers share it.

    The first worker that asks builds it, holding a lock; the others wait for it and reuse it.
    It is built for a port chosen here, but the tests serve it on ports of their own (each
    worker starts its own server): one build serves every worker because any-address.js moves
    the sitemap's links to wherever the site is served (README, "Serving it elsewhere"). The
    benchmark's test builds its own copy for that port and serves it there.
    """
    shared = _run_folder(tmp_path_factory)
    site, built = shared / "site", shared / "site.built"
    with open(shared / "site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.is_file():
            port = free_port()
            done = subprocess.run(
                [sys.executable, "-m", "build_scripts", "--site-dir", str(site),
                 "--site-url", f"http://127.0.0.1:{port}/"],
                cwd=ROOT, capture_output=True, text=True, check=False,
            )
            assert done.returncode == 0, done.stdout + done.stderr
            built.write_text(f"http://127.0.0.1:{port}/")
    return site


@pytest.fixture(scope="session")
def built_site_url(built_site: Path) -> str:
    """The address ``built_site`` was built for (``--site-url``)."""
    return (built_site.parent / "site.built").read_text()


# --- The Zensical build (issue 17) ------------------------------------------------------------
# A second builder for the same docs/ (build_scripts/builders.py). Kept apart from the fixtures
# above on purpose; ``built_site`` could share ``build_once`` too.

def build_once(tmp_path_factory: pytest.TempPathFactory, name: str, *options: str) -> Path:
    """``python -m build_scripts OPTIONS`` into ``<run folder>/NAME`` once per test run, however
    many pytest-xdist workers ask (the first builds, holding a lock; the others reuse it), for
    a port chosen here (``NAME.built`` holds its address; see ``built_site`` for why any port
    serves)."""
    shared = _run_folder(tmp_path_factory)
    site, built = shared / name, shared / f"{name}.built"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.is_file():
            port = free_port()
            done = subprocess.run(
                [sys.executable, "-m", "build_scripts", "--site-dir", str(site),
                 "--site-url", f"http://127.0.0.1:{port}/", *options],
                cwd=ROOT, capture_output=True, text=True, check=False,
            )
            assert done.returncode == 0, done.stdout + done.stderr
            built.write_text(f"http://127.0.0.1:{port}/")
    return site


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole site built with Zensical instead of MkDocs + Material (``--builder zensical``),
    the same build otherwise, once per test run."""
    return build_once(tmp_path_factory, "zensical-site", "--builder", "zensical")
