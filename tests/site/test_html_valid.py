"""Every built page is valid HTML: the Nu Html Checker (npm ``vnu-jar``, pinned in
package-lock.json) reports no error on any of them.

It runs on Java (17 or later): Debian's ``default-jre-headless``, which ``./dev test`` installs.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def html_errors(pages: list[Path]) -> list[str]:
    """The checker's errors for ``pages``, each as ``page:line: message``."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: the README's set-up installs Debian's default-jre-headless")
    if not VNU_JAR.is_file():
        pytest.fail(f"{VNU_JAR} is missing: run npm ci (package-lock.json pins vnu-jar)")
    checked = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always",
         *map(str, pages)],
        capture_output=True, text=True, check=True,
    )
    report = json.loads(checked.stderr)
    return [f"{m['url'].rsplit('/', 2)[-2]}:{m.get('lastLine')}: {m['message']}"
            for m in report["messages"] if m["type"] == "error"]


def test_every_built_page_is_valid_html(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 10, pages
    errors = html_errors(pages)
    assert errors == [], f"{len(errors)} errors:\n" + "\n".join(errors[:40])


def test_the_checker_finds_an_error(tmp_path: Path) -> None:
    """A control: the same call reports the kind of error the site used to have."""
    page = tmp_path / "broken.html"
    page.write_text('<!doctype html><html lang="en"><title>x</title>'
                    '<input type="checkbox" autocomplete="off"></html>', encoding="utf-8")
    assert any("autocomplete" in error for error in html_errors([page]))
