"""The glossary's abbreviations, explained on hover, written into each generated page's Markdown.

Builder-independent: what MkDocs or Zensical is given is plain Markdown that already says it all.

- Word-edged terms (CMV, IgG) become Markdown abbreviation definitions (``*[CMV]: ...``)
  appended to the page, which Python-Markdown's ``abbr`` extension (in both builders) turns into
  ``<abbr title>`` wherever the word appears.
- Terms that begin or end with a sign (D+/R−) the ``abbr`` extension cannot match (it needs a
  word boundary at each end): they are wrapped in ``<abbr title>`` here, in the page's text, never
  inside tags, attributes, code, link targets, attribute lists or an existing ``<abbr>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape
from typing import Any

__all__ = ["abbreviate_signed_terms", "signed_terms", "with_abbreviations"]

# What is never text to wrap: HTML tags, and in Markdown code spans, link targets and attribute
# lists. Only tags open and close elements (the rest are opaque and skipped whole).
_OPAQUE = re.compile(r"(<[A-Za-z/!][^<>]*>|`[^`\n]*`|\]\([^)\n]*\)|\{[^{}\n]*\})")
_WORD_EDGED = re.compile(r"^\w(.*\w)?$")
_NO_ABBR_INSIDE = {"abbr", "code", "pre", "script", "style", "title", "textarea", "kbd"}
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


def signed_terms(glossary: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Abbreviation -> meaning for the terms that begin or end with a sign (D+/R−)."""
    return {t["abbr"]: t["meaning"] for t in glossary if not _WORD_EDGED.match(t["abbr"])}


def abbreviate_signed_terms(text: str, terms: dict[str, str]) -> str:
    """Wrap each of ``terms`` (abbreviation -> meaning) in ``<abbr title>`` in the text of
    ``text`` (HTML or Markdown), outside tags, attributes, code and existing abbreviations."""
    if not terms:
        return text
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)))
    inside: list[str] = []
    parts = _OPAQUE.split(text)
    for index, part in enumerate(parts):
        if index % 2:  # a tag or an opaque piece of Markdown
            if not part.startswith("<"):
                continue
            name = part.strip("</>!").split()[0].lower() if part.strip("</>!") else ""
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
    # A pipe would end a Markdown table cell: in the title it is a character reference.
    title = escape(meaning, quote=True).replace("|", "&#124;")
    return f'<abbr title="{title}">{term}</abbr>'


def with_abbreviations(markdown: str, terms: dict[str, str], definitions: str) -> str:
    """``markdown`` (a generated page, front matter first) with ``terms`` wrapped in its body and
    ``definitions`` (the glossary as ``*[ABBR]: meaning`` lines) appended."""
    front = _FRONT_MATTER.match(markdown)
    head = front.group(0) if front else ""
    body = abbreviate_signed_terms(markdown[len(head):], terms)
    return f"{head}{body.rstrip()}\n\n{definitions.strip()}\n"
