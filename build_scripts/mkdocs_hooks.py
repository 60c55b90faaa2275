"""MkDocs hooks (``mkdocs.yml`` ``hooks:``): hand MkDocs what the generator decided.

Loaded by MkDocs as a stand-alone module (not as part of the ``build_scripts`` package), so it
imports nothing from it. ``on_config``:

- puts the institution's name, department and contact from ``site_src/config.yml`` into
  ``config.extra``, where the theme override (``site_src/theme/main.html``) shows them in the
  disclaimer on every page;
- sets the navigation from ``docs/.nav.json`` (written by ``build_scripts.render.write_nav``), so
  a new page in ``site_src/pages/`` appears without editing ``mkdocs.yml``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

INSTITUTION_KEYS = ("institution", "department", "contact")


def on_config(config: Any) -> Any:
    project = Path(config.config_file_path).resolve().parent
    settings_file = project / "site_src" / "config.yml"
    settings = yaml.safe_load(settings_file.read_text(encoding="utf-8")) or {}
    for key in INSTITUTION_KEYS:
        config.extra.setdefault(key, settings.get(key, ""))
    nav_file = Path(config.docs_dir) / ".nav.json"
    if nav_file.is_file() and not config.nav:
        config.nav = json.loads(nav_file.read_text(encoding="utf-8"))
    return config


_SECTION = re.compile(r"""<section class=["']print-page[^>]*?\sid=["']([^"']+)["']""")
_ID = re.compile(r"""(\sid=")([^"]+)(")""")
_HASH_LINK = re.compile(r'''href="#([^"]+)"''')


def fix_print_page_anchors(text: str) -> str:
    """Make the print page's in-page links land.

    mkdocs-print-site-plugin (2.9) rewrites a link to ``page/#x`` as ``#page-x`` but renames only
    the ids of headings and list items to ``page-x``; the generated HTML blocks (evidence-table
    rows, case cards, references) carry their ids on other elements. Rename those ids inside each
    page's section when a link needs it.
    """
    wanted = set(_HASH_LINK.findall(text))
    present = {match[1] for match in _ID.finditer(text)}
    missing = wanted - present
    if not missing:
        return text
    # Each page's section, from just after its opening tag (whose own id stays as it is).
    starts = [(m.end(), m[1]) for m in _SECTION.finditer(text)]
    pieces = [text[: starts[0][0]]] if starts else [text]
    for index, (start, key) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        section = text[start:end]

        def rename(match: re.Match[str], key: str = key) -> str:
            renamed = f"{key}-{match[2]}"
            return f"{match[1]}{renamed}{match[3]}" if renamed in missing else match[0]

        pieces.append(_ID.sub(rename, section))
    return "".join(pieces)


def on_post_build(config: Any) -> None:
    page = Path(config.site_dir) / "print_page" / "index.html"
    if page.is_file():
        page.write_text(fix_print_page_anchors(page.read_text(encoding="utf-8")),
                        encoding="utf-8")
