"""MkDocs hooks (``mkdocs.yml`` ``hooks:``): hand MkDocs what the generator decided.

Loaded by MkDocs as a stand-alone module (not as part of the ``build_scripts`` package), so it
imports nothing from it. ``on_config``:

- puts the institution's name, department and contact from ``site_src/config.yml`` into
  ``config.extra``, where the theme override (``site_src/theme/main.html``) shows them in the
  disclaimer on every page;
- sets the navigation from ``docs/.nav.json`` (written by ``build_scripts.render.write_nav``), so
  a new page in ``site_src/pages/`` appears without editing ``mkdocs.yml``; and the pages linked
  in the footer instead (``navigation: footer``) from ``docs/.footer-links.json`` into
  ``config.extra.footer_links``.

``on_page_content`` explains, on hover, the glossary terms that Markdown's ``abbr`` extension
cannot match because they begin or end with a sign (D+/R−): it wraps them in ``<abbr>`` in the
page's text, never inside tags, attributes, code or an existing ``<abbr>``.
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from typing import Any

import yaml

INSTITUTION_KEYS = ("institution", "department", "contact")


_TAG = re.compile(r"(<[^>]+>)")
_WORD_EDGED = re.compile(r"^\w(.*\w)?$")
_NO_ABBR_INSIDE = {"abbr", "code", "pre", "script", "style", "title", "textarea", "kbd"}
_signed_terms: dict[str, str] = {}


def on_config(config: Any) -> Any:
    project = Path(config.config_file_path).resolve().parent
    glossary = project / "site_src" / "glossary.yml"
    if glossary.is_file():
        terms = yaml.safe_load(glossary.read_text(encoding="utf-8"))["terms"]
        _signed_terms.clear()
        _signed_terms.update({t["abbr"]: t["meaning"] for t in terms
                              if not _WORD_EDGED.match(t["abbr"])})
    settings_file = project / "site_src" / "config.yml"
    settings = yaml.safe_load(settings_file.read_text(encoding="utf-8")) or {}
    for key in INSTITUTION_KEYS:
        config.extra.setdefault(key, settings.get(key, ""))
    nav_file = Path(config.docs_dir) / ".nav.json"
    if nav_file.is_file() and not config.nav:
        config.nav = json.loads(nav_file.read_text(encoding="utf-8"))
    footer_file = Path(config.docs_dir) / ".footer-links.json"
    if footer_file.is_file():
        config.extra["footer_links"] = json.loads(footer_file.read_text(encoding="utf-8"))
    return config


def abbreviate_signed_terms(html: str, terms: dict[str, str]) -> str:
    """Wrap each of ``terms`` (abbreviation -> meaning) in ``<abbr title>`` in the text of
    ``html``, outside tags, attributes, code and existing abbreviations."""
    if not terms:
        return html
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)))
    inside: list[str] = []
    parts = _TAG.split(html)
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            name = part.strip("</>").split()[0].lower() if part.strip("</>") else ""
            if name in _NO_ABBR_INSIDE and not part.endswith("/>"):
                if part.startswith("</"):
                    if name in inside:
                        inside.remove(name)
                else:
                    inside.append(name)
        elif not inside:
            parts[index] = pattern.sub(lambda m: _abbr(m.group(0), terms[m.group(0)]), part)
    return "".join(parts)


def _abbr(term: str, meaning: str) -> str:
    return f'<abbr title="{escape(meaning, quote=True)}">{term}</abbr>'


def on_page_content(html: str, **_: Any) -> str:
    return abbreviate_signed_terms(html, _signed_terms)


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


# mkdocs-print-site-plugin (2.9) renders its page with an absolute base ("/"); every other page's
# base is relative, which is what lets the site work under any sub-path.
_ABSOLUTE_BASE = ('new URL("/",location)', '"base": "/"')
_RELATIVE_BASE = ('new URL("..",location)', '"base": ".."')


def relative_print_page_base(text: str) -> str:
    for absolute, relative in zip(_ABSOLUTE_BASE, _RELATIVE_BASE, strict=True):
        text = text.replace(absolute, relative)
    return text


# mkdocs-print-site-plugin (2.9) numbers each page's section in an attribute HTML does not have;
# nothing reads it (the plugin's CSS numbers headings by id), so it becomes a data- attribute.
_HEADING_NUMBER = re.compile(r"""(<section class=["']print-page[^>]*?\s)heading-number=""")
_LABEL_FOR = re.compile(r'(<label\b[^>]*?\sfor=")([^"]+)(")')


def valid_print_page_markup(text: str) -> str:
    """Make the print page's markup valid HTML (the Nu Html Checker, tests/site/test_html_valid.py).

    The plugin prefixes every ``<label for>`` with the page's key but renames only ``<input>``
    ids, so a select's label points at nothing: point it back at the control's own id.
    """
    text = _HEADING_NUMBER.sub(r"\1data-heading-number=", text)
    ids = {match[2] for match in _ID.finditer(text)}

    def restore(match: re.Match[str]) -> str:
        target = match[2]
        if target in ids:
            return match[0]
        # The page key may hold hyphens itself: try each tail, longest first.
        tails = (target[cut + 1:] for cut, char in enumerate(target) if char == "-")
        own = next((tail for tail in tails if tail in ids), None)
        return f"{match[1]}{own}{match[3]}" if own else match[0]

    return _LABEL_FOR.sub(restore, text)


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


def on_post_build(config: Any) -> None:
    print_page = Path(config.site_dir) / "print_page" / "index.html"
    for html_file in Path(config.site_dir).rglob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        fixed = valid_theme_toggles(text)
        if html_file == print_page:
            fixed = relative_print_page_base(valid_print_page_markup(fix_print_page_anchors(fixed)))
        if fixed != text:
            html_file.write_text(fixed, encoding="utf-8")
