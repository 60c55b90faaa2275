"""Gzipped copies of the built site's large files, written beside them (``NAME.gz``).

A server that compresses as it answers spends about a second of processor time per visitor on
the 31 MB memory snapshot alone, and the visitor waits while it does. nginx (``gzip_static on``
in ``hosting/deploy/nginx.conf``) and the preview server send these copies instead. Which files
get one is :func:`build_scripts.hosting.rules.precompressed`; the service worker's list leaves
the copies out (the browser asks for the file, never for its copy). The copies carry no time
and no name, so the same site always gives the same bytes.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from .hosting.rules import GZIP_LEVEL, is_hidden, precompressed

__all__ = ["write_precompressed"]


def write_precompressed(site_dir: Path) -> list[Path]:
    """Write ``NAME.gz`` beside every file of ``site_dir`` that :func:`precompressed` names;
    return the copies written, sorted."""
    written = []
    for path in sorted(site_dir.rglob("*")):
        relative = path.relative_to(site_dir).as_posix()
        if (path.is_file() and not is_hidden(relative)
                and precompressed(path.name, path.stat().st_size)):
            copy = path.with_name(path.name + ".gz")
            copy.write_bytes(gzip.compress(path.read_bytes(), GZIP_LEVEL, mtime=0))
            written.append(copy)
    return written
