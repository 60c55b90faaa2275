"""Reading the dose tables for use without the calculator (build_scripts/fallback.py) out of
HTML, and the rows they must hold, asked of the core: shared by the generator's tests
(tests/build_scripts/test_fallback.py) and the built site's (tests/site/test_fallback_tables.py).

The expected numbers are asked of the core dose by dose and step by step, independently of how
fallback.py groups them; the only thing known here about the labels is which doses share a column
(CytoGam: the first dose, weeks 2-8, weeks 12-16; Cytotect CP: every dose).
"""

from __future__ import annotations

import html.parser
import re
from datetime import date

from build_scripts.fallback import WEIGHTS_KG, en_gb
from calculators.infusion import infusion_plan
from calculators.prophylaxis import SCHEDULES, prophylaxis_schedule

# Which dose numbers share a column, per labelled schedule.
VISIT_COLUMNS = {
    "cytogam-kidney": ((1,), (2, 3, 4, 5), (6, 7)),
    "cytogam-liver-lung-pancreas-heart": ((1,), (2, 3, 4, 5), (6, 7)),
    "cytotect-cp": ((1, 2, 3, 4, 5, 6),),
}
NUMBER = re.compile(r"^(\d{1,3}(?:,\d{3})*(?:\.\d+)?)(?: \(cap\))?$")


def expected_prophylaxis_row(schedule_id: str, organ: str, weight: int) -> list[str]:
    """The cells of one row, asked of the core: mg and mL of each column's doses."""
    schedule = next(s for s in SCHEDULES if s.id == schedule_id)
    result = prophylaxis_schedule(weight_kg=str(weight), organ=organ,
                                  transplant_date=date(2030, 6, 15), product=schedule.product,
                                  weight_basis="actual", rounding="none")
    doses = {dose.number: dose for dose in result.doses}
    columns = VISIT_COLUMNS[schedule_id]
    assert sorted(n for column in columns for n in column) == sorted(doses)  # every dose shown
    cells = []
    for column in columns:
        shown = {(doses[n].dose_mg, doses[n].volume_ml) for n in column}
        assert len(shown) == 1, (schedule_id, weight, column)
        mg, ml = shown.pop()
        cells += [en_gb(mg), en_gb(ml)]
    return cells


def expected_infusion_row(weight: int) -> list[str]:
    """The mL/h of each CytoGam step, first infusion then later ones, '(cap)' where capped."""
    cells = []
    for first in ("yes", "no"):
        plan = infusion_plan(weight_kg=str(weight), product="cytogam", first_infusion=first)
        cells += [en_gb(step.rate_ml_h) + (" (cap)" if step.capped else "")
                  for step in plan.steps]
    return cells


def expected_rows(table_id: str) -> dict[int, list[str]]:
    """Every row of a fallback table, by weight, from the core."""
    if table_id == "infusion-cytogam":
        return {w: expected_infusion_row(w) for w in WEIGHTS_KG}
    schedule_id = table_id.removeprefix("prophylaxis-")
    organ = next(s for s in SCHEDULES if s.id == schedule_id).organs[0]
    return {w: expected_prophylaxis_row(schedule_id, organ, w) for w in WEIGHTS_KG}


PROPHYLAXIS_IDS = [f"prophylaxis-{s.id}" for s in SCHEDULES]
INFUSION_IDS = ["infusion-cytogam"]


class FallbackTables(html.parser.HTMLParser):
    """The fallback tables of an HTML page: rows (weight, cell texts), captions, caption links,
    and whether each table sits inside a <details> whose summary names it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: dict[str, list[tuple[int, list[str]]]] = {}
        self.captions: dict[str, str] = {}
        self.links: dict[str, list[str]] = {}
        self.in_details: dict[str, bool] = {}
        self.summaries: list[str] = []
        self._details = 0
        self._table: str | None = None
        self._text: list[str] | None = None
        self._where = ""
        self._row: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "details":
            self._details += 1
        elif tag == "summary":
            self._text, self._where = [], "summary"
        elif tag == "table" and "data-cmvig-fallback" in a:
            self._table = a["data-cmvig-fallback"]
            self.rows[self._table], self.links[self._table] = [], []
            self.in_details[self._table] = self._details > 0
        elif self._table is None:
            return
        elif tag == "caption":
            self._text, self._where = [], "caption"
        elif tag == "a" and self._where == "caption":
            self.links[self._table].append(a.get("href", ""))
        elif tag == "tr" and "data-weight-kg" in a:
            self._row = []
        elif tag in {"td", "th"} and self._row is not None:
            self._text, self._where = [], "cell"

    def handle_endtag(self, tag: str) -> None:
        text = " ".join("".join(self._text or []).split())
        if tag == "details":
            self._details -= 1
        elif tag == "summary" and self._where == "summary":
            self.summaries.append(text)
            self._text, self._where = None, ""
        elif self._table is None:
            return
        elif tag == "caption":
            self.captions[self._table] = text
            self._text, self._where = None, ""
        elif tag in {"td", "th"} and self._row is not None and self._where == "cell":
            self._row.append(text)
            self._text, self._where = None, ""
        elif tag == "tr" and self._row is not None:
            self.rows[self._table].append((int(self._row[0]), self._row[1:]))
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def parse(text: str) -> FallbackTables:
    parser = FallbackTables()
    parser.feed(text)
    return parser
