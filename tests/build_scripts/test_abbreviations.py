"""The glossary's abbreviations in the generated Markdown: sign-edged terms (D+/R−) wrapped by the
generator, the others defined for the ``abbr`` extension (formerly an MkDocs hook)."""

from __future__ import annotations

import re
from pathlib import Path

from build_scripts.abbreviations import abbreviate_signed_terms, signed_terms, with_abbreviations

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


def test_markdown_code_link_targets_and_attribute_lists_are_left_alone() -> None:
    markdown = ("A D+/R− case, `D+/R-` in code, [D+/R− link](page.md#D+/R-){ title=\"D+/R−\" } "
                "and CrCl < 10 D+/R- > 5.")
    abbr = '<abbr title="{}">{}</abbr>'
    assert abbreviate_signed_terms(markdown, TERMS) == (
        f"A {abbr.format(TERMS['D+/R−'], 'D+/R−')} case, `D+/R-` in code, "
        f"[{abbr.format(TERMS['D+/R−'], 'D+/R−')} link](page.md#D+/R-){{ title=\"D+/R−\" }} "
        f"and CrCl < 10 {abbr.format(TERMS['D+/R-'], 'D+/R-')} > 5.")


def test_a_pipe_in_a_meaning_cannot_end_a_table_cell() -> None:
    assert abbreviate_signed_terms("| D+/R− |", {"D+/R−": "a | b"}) == (
        '| <abbr title="a &#124; b">D+/R−</abbr> |')


def test_page_gets_its_terms_wrapped_and_the_definitions_but_front_matter_stays() -> None:
    glossary = [{"abbr": "D+/R−", "meaning": "mismatch"}, {"abbr": "CMV", "meaning": "virus"}]
    assert signed_terms(glossary) == {"D+/R−": "mismatch"}
    page = '---\ntitle: "D+/R− page"\n---\n# D+/R− and CMV\n'
    assert with_abbreviations(page, signed_terms(glossary), "*[CMV]: virus\n") == (
        '---\ntitle: "D+/R− page"\n---\n# <abbr title="mismatch">D+/R−</abbr> and CMV\n\n'
        "*[CMV]: virus\n")


def test_built_pages_explain_d_plus_r_minus_in_prose(built_site: Path) -> None:
    text = (built_site / "prophylaxis" / "index.html").read_text(encoding="utf-8")
    article = text[text.index("<article"):text.index("</article>")]
    bare = re.sub(r"<abbr[^>]*>D\+/R[−-]</abbr>", "", article)
    prose = re.sub(r"<[^>]+>", " ", bare)
    assert "D+/R" in article and "D+/R" not in prose.replace("\n", " ")
