"""The dose tables for use without the calculator (build_scripts/fallback.py): every cell is the
core's answer for its weight, and the HTML shows exactly those cells.

The expected numbers are asked of the core dose by dose and step by step, independently of how
fallback.py groups them (tests/build_scripts/fallback_tables.py, shared with the built site's
test).
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from build_scripts.components import Placement, SiteFunctions
from build_scripts.content import Content, load_content
from build_scripts.fallback import (
    WEIGHTS_KG,
    BandTable,
    en_gb,
    infusion_tables,
    prophylaxis_tables,
)
from build_scripts.render import environment
from calculators.prophylaxis import SCHEDULES, prophylaxis_schedule
from tests.build_scripts.fallback_tables import (
    INFUSION_IDS,
    NUMBER,
    PROPHYLAXIS_IDS,
    VISIT_COLUMNS,
    expected_infusion_row,
    expected_prophylaxis_row,
    expected_rows,
    parse,
)


# -- the data, against the core ---------------------------------------------------------------
def test_weight_band_is_40_to_120_kg_in_5_kg_steps() -> None:
    assert WEIGHTS_KG == tuple(range(40, 121, 5))
    # The band straddles the weight where the 75 mL/h cap starts to bind (62.5 kg at 50 mg/mL).
    capped = {row.weight_kg for row in infusion_tables()[0].rows
              if any(cell.capped for cell in row.cells)}
    assert min(capped) == 65 and max(capped) == 120 and 60 not in capped


@pytest.mark.parametrize("table", prophylaxis_tables(), ids=lambda t: t.id)
def test_every_prophylaxis_cell_is_the_cores_answer(table: BandTable) -> None:
    schedule = next(s for s in SCHEDULES if f"prophylaxis-{s.id}" == table.id)
    assert [row.weight_kg for row in table.rows] == list(WEIGHTS_KG)
    for row in table.rows:
        shown = [cell.text for cell in row.cells]
        # Every organ of the group gets the same doses from the core.
        for organ in schedule.organs:
            assert shown == expected_prophylaxis_row(schedule.id, organ, row.weight_kg), organ
        # The exact values behind the text are the core's too (mg = mg/kg x kg, unrounded).
        assert all(cell.text == en_gb(cell.value) for cell in row.cells)
    assert [len(group.columns) for group in table.groups] == [2] * len(VISIT_COLUMNS[schedule.id])
    assert table.sources == prophylaxis_schedule(
        weight_kg="70", organ=schedule.organs[0], transplant_date="2030-01-01",
        product=schedule.product).sources


def test_prophylaxis_headings_name_the_visits_and_the_dose_per_kg() -> None:
    headings = {t.id: [g.heading for g in t.groups] for t in prophylaxis_tables()}
    assert headings == {
        "prophylaxis-cytogam-kidney": ["Week 0, 150 mg/kg", "Weeks 2, 4, 6 and 8, 100 mg/kg",
                                       "Weeks 12 and 16, 50 mg/kg"],
        "prophylaxis-cytogam-liver-lung-pancreas-heart": [
            "Week 0, 150 mg/kg", "Weeks 2, 4, 6 and 8, 150 mg/kg", "Weeks 12 and 16, 100 mg/kg"],
        "prophylaxis-cytotect-cp": ["Each dose, 50 mg/kg"],
    }


def test_every_infusion_cell_is_the_cores_answer() -> None:
    (table,) = infusion_tables()
    assert table.id == "infusion-cytogam"
    assert [g.heading for g in table.groups] == ["First infusion", "Later infusions"]
    assert table.groups[0].columns == ("Step 1: 15 mg/kg/h for 30 min",
                                       "Step 2: 30 mg/kg/h for 30 min",
                                       "Step 3: 60 mg/kg/h to the end")
    assert table.groups[1].columns == ("Step 1: 15 mg/kg/h for 15 min",
                                       "Step 2: 30 mg/kg/h for 15 min",
                                       "Step 3: up to 60 mg/kg/h to the end")
    for row in table.rows:
        shown = [cell.text + (" (cap)" if cell.capped else "") for cell in row.cells]
        assert shown == expected_infusion_row(row.weight_kg)
        assert all(cell.value <= 75 for cell in row.cells)  # the label's ceiling


def test_custom_weights_are_passed_to_the_core() -> None:
    (table,) = infusion_tables([62, 63])
    assert [[c.text for c in row.cells][2] for row in table.rows] == ["74.4", "75"]
    kidney = prophylaxis_tables([33])[0]
    assert [c.value for c in kidney.rows[0].cells] == [Decimal(4950), Decimal(99), Decimal(3300),
                                                        Decimal(66), Decimal(1650), Decimal(33)]


@pytest.mark.parametrize(("value", "text"), [
    (Decimal(10500), "10,500"), (Decimal("13.5"), "13.5"), (Decimal(75), "75"),
    (Decimal("6E+3"), "6,000"), (Decimal("18000.000"), "18,000"), (Decimal("0.3333"), "0.333"),
    (Decimal("1234567.0005"), "1,234,567.001"), (Decimal("2.5"), "2.5"), (Decimal(0), "0"),
])
def test_numbers_are_formatted_like_the_browser(value: Decimal, text: str) -> None:
    """Intl.NumberFormat("en-GB", {maximumFractionDigits: 3}): commas, half away from zero."""
    assert en_gb(value) == text


# -- the HTML, against the core ---------------------------------------------------------------
@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


def _html(content: Content, slug: str, name: str) -> str:
    site = SiteFunctions(environment(), content, Placement.of(content), slug, Path("unused"))
    return str(site.functions()["fallback_table"](name))


@pytest.mark.parametrize(("slug", "name", "ids"), [
    ("prophylaxis", "prophylaxis", PROPHYLAXIS_IDS),
    ("administration", "infusion", INFUSION_IDS),
])
def test_html_shows_every_row_of_the_core(content: Content, slug: str, name: str,
                                          ids: list[str]) -> None:
    text = _html(content, slug, name)
    assert "\n\n" not in text.strip()  # one raw HTML block for Markdown
    page = parse(text)
    assert page.summaries == ["Dose table for use without the calculator"]
    assert sorted(page.rows) == sorted(ids)
    for table_id in ids:
        assert page.in_details[table_id]
        expected = expected_rows(table_id)
        assert [weight for weight, _cells in page.rows[table_id]] == list(expected)
        for weight, cells in page.rows[table_id]:
            assert cells == expected[weight], (table_id, weight)
            assert all(NUMBER.match(cell) for cell in cells), cells
        # Cited through the references page, as the evidence tables are.
        assert page.links[table_id]
        assert all(link.startswith("../references/#") for link in page.links[table_id])
    assert f'<a href="#calc-{name}">form above</a>' in text
    assert "from 40 to 120 kg in 5 kg steps" in text


def test_captions_cite_the_cores_sources(content: Content) -> None:
    page = parse(_html(content, "prophylaxis", "prophylaxis"))
    assert page.links["prophylaxis-cytogam-kidney"] == ["../references/#cytogam-label",
                                                        "../references/#cmvig-monograph"]
    assert page.links["prophylaxis-cytotect-cp"] == ["../references/#cytotect-cp-smpc"]
    assert "Actual body weight; doses not rounded to whole vials; volumes at 50 mg/mL." in (
        page.captions["prophylaxis-cytotect-cp"])
    infusion = parse(_html(content, "administration", "infusion"))
    assert "never above 75 mL/h" in infusion.captions["infusion-cytogam"]
    assert infusion.links["infusion-cytogam"] == ["../references/#cytogam-label",
                                                  "../references/#cmvig-monograph"]


def test_hospital_defaults_other_than_the_tables_are_pointed_out(content: Content) -> None:
    assert "cmvig-fallback-local" not in _html(content, "prophylaxis", "prophylaxis")
    settings = {**content.config["calculator_settings"], "weight_basis": "adjusted",
                "rounding": "nearest"}
    local = dataclasses.replace(content, config={**content.config,
                                                 "calculator_settings": settings})
    text = _html(local, "prophylaxis", "prophylaxis")
    assert "use adjusted body weight unless told otherwise" in text
    assert "round each dose to whole vials" in text
    # The numbers do not follow the hospital's setting: still actual weight, unrounded.
    assert parse(text).rows["prophylaxis-cytogam-kidney"] == [
        (w, expected_prophylaxis_row("cytogam-kidney", "kidney", w)) for w in WEIGHTS_KG]


def test_unknown_fallback_fails_the_build(content: Content) -> None:
    site = SiteFunctions(environment(), content, Placement.of(content), "index", Path("unused"))
    with pytest.raises(KeyError, match="no such fallback"):
        site.fallback_table("regimen")


def test_a_source_without_a_reference_fails_the_build(content: Content) -> None:
    references = {k: v for k, v in content.references.items() if k != "cytotect-cp-smpc"}
    site = SiteFunctions(environment(), dataclasses.replace(content, references=references),
                         Placement.of(content), "prophylaxis", Path("unused"))
    with pytest.raises(KeyError, match="calculator_source 'cytotect-cp-smpc'"):
        site.fallback_table("prophylaxis")
