"""The one date the built site carries: the time of the commit it was built from.

MkDocs writes a date into ``sitemap.xml`` (every page's ``lastmod``) and into the gzip header
of ``sitemap.xml.gz``; by default that is the day of the build, so the same commit built on two
days gives two different sites. MkDocs honours ``SOURCE_DATE_EPOCH``
(https://reproducible-builds.org/specs/source-date-epoch/), so the build sets it to the commit
time of ``HEAD``: every build of one commit is then byte-identical. Outside a git checkout (or
without git) the date stays the build day -- the README documents this build stamp.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

__all__ = ["source_date_epoch"]


def source_date_epoch(project: Path) -> str | None:
    """``SOURCE_DATE_EPOCH`` for a build of ``project``: the environment's own value if set,
    else the commit time of ``HEAD`` in ``project`` (seconds since 1970), else ``None``."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        done = subprocess.run(["git", "-C", str(project), "log", "-1", "--format=%ct"],
                              capture_output=True, text=True, check=False)
    except FileNotFoundError:  # no git on this machine
        return None
    stamp = done.stdout.strip()
    return stamp if done.returncode == 0 and stamp.isdigit() else None
