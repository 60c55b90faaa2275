"""Copy the hand-written browser code and styles from ``site_src/`` into ``docs/``.

``site_src/javascripts/`` (the page glue, the Web Worker and its client, the self-test) and
``site_src/stylesheets/`` are written by hand, like the rest of ``site_src/``; MkDocs reads them
from ``docs/`` (``extra_css`` and ``extra_javascript`` in ``mkdocs.yml``), so the build copies
them there and lists them in ``docs/.generated`` like every other file of ``docs/``, which is
wholly generated. ``site_src/service-worker.js`` is not copied: :mod:`build_scripts.offline`
fills it in after the builder has run, at the site's root.
"""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["WEB_FOLDERS", "copy_web_files"]

# Folders of site_src/ copied as they are to the same place in docs/ (so in the site).
WEB_FOLDERS = ("javascripts", "stylesheets")


def copy_web_files(site_src: Path, docs: Path) -> list[Path]:
    """Copy every file of ``site_src``'s :data:`WEB_FOLDERS` to the same path under ``docs``;
    return the copies."""
    written = []
    for folder in WEB_FOLDERS:
        for source in sorted((site_src / folder).rglob("*")):
            if source.is_file():
                target = docs / source.relative_to(site_src)
                target.parent.mkdir(parents=True, exist_ok=True)
                written.append(Path(shutil.copyfile(source, target)))
    return written
