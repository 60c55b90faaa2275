"""Valid HTML from the theme: corrections to markup the theme writes, after the builder has run.

Every built page must pass the Nu Html Checker (``tests/site/test_html_valid.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["valid_theme_markup", "valid_theme_toggles"]

# mkdocs-material (9.8) writes its two hidden toggles (the navigation drawer, the search) as
# checkboxes with autocomplete="off", which HTML allows on text-like inputs only.
_THEME_TOGGLE = re.compile(r'(<input class="md-toggle" data-md-toggle="\w+" type="checkbox"'
                           r' id="\w+") autocomplete="off">')


def valid_theme_toggles(text: str) -> str:
    """Drop the toggles' autocomplete; and on a page outside the navigation (``navigation:
    footer``), where the theme writes the table of contents' title label but not the toggle it
    names, drop that label's ``for``."""
    text = _THEME_TOGGLE.sub(r"\1>", text)
    if 'id="__toc"' not in text:
        text = text.replace('<label class="md-nav__title" for="__toc">',
                            '<label class="md-nav__title">')
    return text


def valid_theme_markup(site_dir: Path) -> None:
    """Correct every HTML page of ``site_dir`` in place."""
    for html_file in site_dir.rglob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        fixed = valid_theme_toggles(text)
        if fixed != text:
            html_file.write_text(fixed, encoding="utf-8")
