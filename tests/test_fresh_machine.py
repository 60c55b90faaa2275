"""A newcomer's first install: the README's install step on a throw-away clone, from a virtual
environment that holds only the pip its interpreter bundles.

The machine of issue 11: pyenv's Python 3.12.1, whose bundled pip (23.2.1) refuses
requirements.txt in ``--require-hashes`` mode. ``./dev`` must install its own pinned,
hash-checked installers first (pip and uv, requirements-pip.txt) and then everything else with
uv. The clone is of this repository's committed HEAD; ``.venv`` is made by that interpreter's
``venv`` module (pip from its ``ensurepip``), exactly as ``./dev`` makes it, and ``./dev setup``
(what ``./dev test`` and ``./dev serve`` run first) installs into it. Only the package registries
are reached (PyPI and npm, through uv's, pip's and npm's own caches); it takes half a minute to a
few minutes (README, "Set up and run").
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

PYENV_PYTHON = (Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
                / "versions" / "3.12.1" / "bin" / "python3")


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None,
         timeout: int = 1200) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def _pinned(name: str) -> str:
    """The version requirements-pip.txt pins for installer ``name``."""
    found = re.search(rf"^{name}==(\S+)", (ROOT / "requirements-pip.txt").read_text(),
                      re.MULTILINE)
    assert found, f"requirements-pip.txt pins no {name}"
    return found.group(1)


@pytest.mark.install
@pytest.mark.skipif(not PYENV_PYTHON.is_file(),
                    reason=f"pyenv's Python 3.12.1 (the interpreter of issue 11) is not here: "
                    f"{PYENV_PYTHON} is missing")
def test_readme_install_works_with_the_bundled_pip_of_pyenv_3_12_1(tmp_path: Path) -> None:
    head = _run(["git", "rev-parse", "HEAD"], ROOT).stdout.strip()
    clone = tmp_path / "cmvig-guide"
    for command in (["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(clone)],
                    ["git", "-C", str(clone), "checkout", "--quiet", "--detach", head]):
        done = _run(command, tmp_path)
        assert done.returncode == 0, done.stderr
    bundled = _run([str(PYENV_PYTHON), "-c", "import ensurepip; print(ensurepip.version())"],
                   tmp_path).stdout.strip()
    done = _run([str(PYENV_PYTHON), "-m", "venv", str(clone / ".venv")], clone)
    assert done.returncode == 0, done.stderr
    venv_python = clone / ".venv" / "bin" / "python"
    assert f"pip {bundled} " in _run([str(venv_python), "-m", "pip", "--version"], clone).stdout

    # The newcomer's shell: no virtual environment active, no interpreter chosen; and, as on
    # these machines, Python told not to write compiled modules.
    env = {name: value for name, value in os.environ.items()
           if name not in {"VIRTUAL_ENV", "PYTHON", "PYTHONPATH", "PYTHONHOME",
                           "PYTHONPYCACHEPREFIX"}}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    setup = _run([str(clone / "dev"), "setup"], clone, env)
    assert setup.returncode == 0, setup.stdout[-3000:] + setup.stderr[-5000:]
    assert f"with the bundled pip {bundled}" in setup.stderr
    pinned_pip, pinned_uv = _pinned("pip"), _pinned("uv")
    assert f"installer uv {pinned_uv}, pip {pinned_pip}" in setup.stderr
    version = _run([str(venv_python), "-m", "pip", "--version"], clone).stdout
    assert version.startswith(f"pip {pinned_pip} ") and "python 3.12" in version
    assert _run([str(clone / ".venv" / "bin" / "uv"), "--version"], clone).stdout.startswith(
        f"uv {pinned_uv}")

    # Modules are compiled as they are first imported, not all at install (uv compiles nothing:
    # compiling every module of every package was 15 of pip's 37 s of processor time),
    # and ./dev keeps what Python compiled in .venv/pycache whatever PYTHONDONTWRITEBYTECODE says
    # (pip, which set-up ran, is there), so the next process reads it back.
    site_packages = clone / ".venv" / "lib" / "python3.12" / "site-packages"
    compiled = clone / ".venv" / "pycache"
    assert (site_packages / "hypothesis").is_dir()
    assert not list((site_packages / "hypothesis").rglob("*.pyc"))
    assert not list(compiled.rglob("hypothesis/**/*.pyc"))
    assert list(compiled.rglob("site-packages/pip/**/*.pyc")), "./dev kept no compiled module"

    # What was installed runs: every pin is there and consistent, and a test module passes.
    check = _run([str(venv_python), "-m", "pip", "check"], clone)
    assert check.returncode == 0, check.stdout
    tests = _run([str(venv_python), "-m", "pytest", "-q", "-p", "no:cacheprovider",
                  "tests/calculators/test_units.py"], clone, env)
    assert tests.returncode == 0, tests.stdout[-3000:]
