"""The MkDocs hook that explains sign-edged abbreviations (D+/R−) on hover."""

from __future__ import annotations

import re
from pathlib import Path

from build_scripts.mkdocs_hooks import abbreviate_signed_terms, relative_print_page_base

TERMS = {"D+/R−": "donor CMV-positive, recipient CMV-negative", "D+/R-": "the same, plain hyphen"}


def test_text_is_wrapped_but_tags_code_and_abbr_are_not() -> None:
    html = ('<p>A D+/R− case <img alt="D+/R−"> <abbr title="x">D+/R−</abbr> '
            "<code>D+/R-</code> and D+/R-</p>")
    assert abbreviate_signed_terms(html, TERMS) == (
        '<p>A <abbr title="donor CMV-positive, recipient CMV-negative">D+/R−</abbr> case '
        '<img alt="D+/R−"> <abbr title="x">D+/R−</abbr> <code>D+/R-</code> and '
        '<abbr title="the same, plain hyphen">D+/R-</abbr></p>')


def test_no_terms_changes_nothing() -> None:
    assert abbreviate_signed_terms("<p>D+/R−</p>", {}) == "<p>D+/R−</p>"


def test_built_pages_explain_d_plus_r_minus_in_prose(built_site: Path) -> None:
    text = (built_site / "prophylaxis" / "index.html").read_text(encoding="utf-8")
    article = text[text.index("<article"):text.index("</article>")]
    bare = re.sub(r"<abbr[^>]*>D\+/R[−-]</abbr>", "", article)
    prose = re.sub(r"<[^>]+>", " ", bare)
    assert "D+/R" in article and "D+/R" not in prose.replace("\n", " ")


def test_print_page_base_becomes_relative_so_any_sub_path_works(built_site: Path) -> None:
    fixed = relative_print_page_base('__md_scope=new URL("/",location) {"base": "/", "x": 1}')
    assert fixed == '__md_scope=new URL("..",location) {"base": "..", "x": 1}'
    page = (built_site / "print_page" / "index.html").read_text()
    assert '"base": ".."' in page and '"base": "/"' not in page
