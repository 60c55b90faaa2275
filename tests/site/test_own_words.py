"""Our own words: the shared copy check finds no sentence copied from the source documents.

It reads site_src/ (what authors edit), docs/ (what MkDocs reads) and every built HTML page (what
readers see). The search index is left out: it is the same text with the table structure
flattened away, so rows of figures (which the check exempts as tables) would read as prose.
Reference titles are allowed through site_src/.copycheck-allow.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from build_scripts.build import docs_lock
from tests.conftest import ROOT, SEEDS

COPYCHECK = SEEDS.parent / "tools" / "copycheck.py"


@pytest.mark.skipif(not COPYCHECK.is_file(), reason="shared/tools is not beside this clone")
def test_no_copied_runs(built_site: Path) -> None:
    pages = sorted(str(p) for p in built_site.rglob("*.html"))
    with docs_lock(ROOT, shared=True):  # not while another test's build rewrites docs/
        done = subprocess.run(
            [sys.executable, str(COPYCHECK), "--allow",
             str(ROOT / "site_src" / ".copycheck-allow"), str(ROOT / "site_src"),
             str(ROOT / "docs"), *pages],
            capture_output=True, text=True, check=False,
        )
    assert done.returncode == 0, done.stdout
    assert "0 copied run(s)" in done.stdout
