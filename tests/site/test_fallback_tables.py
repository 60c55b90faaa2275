"""The built site: the dose tables for use without the calculator are in the HTML of the
prophylaxis and administration pages (and the print page), next to the calculator forms, inside
a <details>, and every row's numbers are the core's answers for that weight."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_scripts.fallback import WEIGHTS_KG
from tests.build_scripts.fallback_tables import (
    INFUSION_IDS,
    NUMBER,
    PROPHYLAXIS_IDS,
    expected_rows,
    parse,
)

PAGES = [("prophylaxis", "prophylaxis", PROPHYLAXIS_IDS),
         ("administration", "infusion", INFUSION_IDS)]


@pytest.mark.parametrize(("slug", "calculator", "ids"), PAGES)
def test_fallback_tables_match_the_core_row_by_row(built_site: Path, slug: str, calculator: str,
                                                   ids: list[str]) -> None:
    text = (built_site / slug / "index.html").read_text(encoding="utf-8")
    page = parse(text)
    assert sorted(page.rows) == sorted(ids)
    assert "Dose table for use without the calculator" in page.summaries
    for table_id in ids:
        assert page.in_details[table_id], table_id
        expected = expected_rows(table_id)
        found = page.rows[table_id]
        assert [weight for weight, _cells in found] == list(WEIGHTS_KG)
        for weight, cells in found:
            assert cells == expected[weight], (slug, table_id, weight)
            assert all(NUMBER.match(cell) for cell in cells), cells
        assert page.captions[table_id].endswith(".")
        assert page.links[table_id], f"{table_id}: no source link in the caption"
        assert all(link.startswith("../references/#") for link in page.links[table_id])


@pytest.mark.parametrize(("slug", "calculator", "ids"), PAGES)
def test_fallback_sits_next_to_its_calculator_form(built_site: Path, slug: str, calculator: str,
                                                   ids: list[str]) -> None:
    text = (built_site / slug / "index.html").read_text(encoding="utf-8")
    form = text.index(f'data-calculator="{calculator}"')
    fallback = text.index(f'id="fallback-{calculator}"')
    assert form < fallback
    between = text[text.index("</form>", form):fallback]
    assert "<h2" not in between and "<form" not in between  # nothing else in between
    # Without JavaScript: a native <details>, and a <noscript> pointing to it.
    assert '<details class="cmvig-fallback-details">' in text
    assert "<noscript><p class=\"cmvig-noscript\">JavaScript is off" in text


def test_print_page_has_every_fallback_table(built_site: Path) -> None:
    page = parse((built_site / "print_page" / "index.html").read_text(encoding="utf-8"))
    for table_id in PROPHYLAXIS_IDS + INFUSION_IDS:
        expected = expected_rows(table_id)
        assert [(w, c) for w, c in page.rows[table_id]] == list(expected.items()), table_id
