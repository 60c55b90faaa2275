"""Two builds of the same tree give byte-identical sites.

The test run's own build (``built_site``: Python's random hash seed, the machine's time zone) and
one more, made here, differ in everything that should not matter -- Python's hash seed (the order
of sets), the time zone, the output folder, the time of day -- and every file must come out the
same byte for byte. The one date in the site (``sitemap.xml``'s ``lastmod``, the gzip header of
``sitemap.xml.gz``) is the commit's (:mod:`build_scripts.build_date`); only outside a git
checkout is it the build day, and only then may those two files differ (the README's build stamp).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from build_scripts.build_date import source_date_epoch
from tests.conftest import ROOT

BUILD_STAMP = {"sitemap.xml", "sitemap.xml.gz"}  # differ only outside a git checkout


def _files(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file())


def test_two_builds_of_the_same_tree_are_byte_identical(built_site: Path, built_site_url: str,
                                                        tmp_path: Path) -> None:
    first, second = built_site, tmp_path / "second"
    done = subprocess.run(
        [sys.executable, "-m", "build_scripts", "--site-dir", str(second),
         "--site-url", built_site_url],
        cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "PYTHONHASHSEED": "2", "TZ": "Pacific/Kiritimati"},
    )
    assert done.returncode == 0, done.stderr
    assert _files(first) == _files(second)
    stamp = source_date_epoch(ROOT)
    allowed = set() if stamp else BUILD_STAMP
    differ = [name for name in _files(first)
              if name not in allowed
              and (first / name).read_bytes() != (second / name).read_bytes()]
    assert differ == []
    if stamp:
        commit_day = datetime.fromtimestamp(int(stamp), UTC).date().isoformat()
        days = set(re.findall(r"<lastmod>(.*?)</lastmod>", (first / "sitemap.xml").read_text()))
        assert days == {commit_day}
