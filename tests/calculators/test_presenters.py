"""What each result shows, and how it was calculated (issue 12, item 4): each result type's
``blocks`` and ``explanation`` (calculators.layout.Presentable), through calculators.presenters.

The page draws these blocks with one generic renderer, so every sentence and figure here is what
a clinician reads. The numbers are the golden cases' own, with their sources:
- CytoGam label: 150 mg/kg at 50 mg/mL for 70 kg is 10,500 mg = 210 mL = 5 vials of 50 mL; the
  first infusion starts at 15 mg/kg/h, 21 mL/h, never above 75 mL/h;
- Cytotect CP SmPC: 100 U/mL, 50 mg/mL; 5,000 U = 50 mL = 2,500 mg;
- nba-ig-dosing: Devine 50 kg (men), 45.5 kg (women) + 2.3 kg per inch over 60 in (2.54 cm);
  adjusted = IBW + 0.4 x (actual - IBW): 180 cm, 100 kg man -> IBW 75 kg, AdjBW 85 kg, BMI 30.9;
- Schulz 2016: criterion (iii) from a viral load above 5.0 log10, rising, on antivirals;
- Zhang 2021: rabbit ATG 7.5 mg/kg is the low group; the study's outcomes per start;
- Cockcroft-Gault 1976 with the ganciclovir and valganciclovir labels' renal tables.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import json
from typing import Any, get_type_hints

import pytest

from calculators import presenters
from calculators.layout import Box, Folded, Items, Line, Presentable, Sources, Table, Text
from calculators.plain import to_plain
from calculators.registry import CALCULATORS, evaluate, run_shown
from calculators.settings import parse

KIDNEY_70 = {"weight_kg": "70", "organ": "kidney", "transplant_date": "2026-01-01"}


def shown(name: str, params: dict[str, str], settings: dict[str, Any] | None = None,
          ) -> tuple[Any, tuple[Any, ...]]:
    result, warnings = evaluate(name, params, parse(settings or {}))
    return result, presenters.present(result, warnings)


def text(parts: tuple[Any, ...]) -> str:
    return "".join(p.text if isinstance(p, Text) else p for p in parts)


def of_kind(blocks: tuple[Any, ...], kind: type) -> list[Any]:
    return [b for b in blocks if isinstance(b, kind)]


def box(blocks: tuple[Any, ...], style: str) -> list[str]:
    return [text(line) for b in of_kind(blocks, Box) if b.style == style for line in b.lines]


def how(blocks: tuple[Any, ...]) -> str:
    last = blocks[-1]
    assert isinstance(last, Line) and last.style == "how"
    assert last.parts[0] == Text("How this was calculated: ", strong=True)
    return text(last.parts[1:])


def cells(table: Table) -> list[list[str]]:
    return [[text(cell) for cell in row.cells] for row in table.rows]


def test_every_calculator_result_presents_itself() -> None:
    # Each calculator's result type draws itself and says how it was calculated (Presentable);
    # the registry gives the page both parts as JSON.
    for calculator in CALCULATORS.values():
        result_type = get_type_hints(calculator.function)["return"]
        for method in ("blocks", "explanation"):
            assert inspect.isfunction(getattr(result_type, method, None)), (calculator.name,
                                                                           method)
        result, _ = evaluate(calculator.name, calculator.example)
        assert isinstance(result, result_type), calculator.name
        assert isinstance(result, Presentable), calculator.name
    reply = run_shown("prophylaxis", KIDNEY_70)
    assert reply["display"] == to_plain(shown("prophylaxis", KIDNEY_70)[1])
    assert json.loads(json.dumps(reply))["result"]["doses"][0]["dose_mg"] == 10500


def test_presenters_names_no_calculator() -> None:
    # A new calculator is its own module only: presenters.py draws any Presentable, and imports
    # nothing but the layout.
    tree = ast.parse(inspect.getsource(presenters))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == {"__future__", "collections.abc", "layout"}


def test_prophylaxis_reads_answer_hazards_detail_notes_sources_how() -> None:
    result, blocks = shown("prophylaxis", KIDNEY_70)
    # CytoGam label, kidney: 150 mg/kg within 72 hours, 100 mg/kg at 2, 4, 6 and 8 weeks, 50 mg/kg
    # at 12 and 16 weeks; 50 mL vials of 50 mg/mL.
    assert box(blocks, "answer") == [
        "Dose 1: 10,500 mg = 210 mL = 5 vials (50 mL); discard 40 mL",
        "Doses 2–5: 7,000 mg = 140 mL = 3 vials (50 mL); discard 10 mL",
        "Doses 6–7: 3,500 mg = 70 mL = 2 vials (50 mL); discard 30 mL",
        "Course: 7 doses, 45,500 mg, 21 vials.",
    ]
    assert [type(b).__name__ for b in blocks] == [
        "Box", "Line", "Table", "Line", "Folded", "Items", "Sources", "Line"]
    assert text(blocks[1].parts) == "Dosing weight: 70 kg, actual body weight."
    table = blocks[2]
    assert table.caption == ("CytoGam prophylaxis: kidney transplant on Thu 1 Jan 2026, 70 kg, "
                             "50 mg/mL, rounding: none")
    assert [c.head for c in table.columns] == [
        "Dose", "Date", "When", "mg/kg", "Dose (mg)", "Volume (mL)", "Vials to open"]
    assert cells(table)[:2] == [
        ["1", "Thu 1 Jan 2026", "transplant day", "150", "10,500", "210",
         "5 × 50 mL; discard 40 mL"],
        ["2", "Thu 15 Jan 2026", "week 2", "100", "7,000", "140", "3 × 50 mL; discard 10 mL"]]
    assert table.rows[0].cells[1] == (Text("Thu 1 Jan 2026", date="2026-01-01"),)
    assert (table.rows[0].key, table.rows[0].dose_mg) == ("dose 1", result.doses[0].dose_mg)
    assert table.total is not None and table.total.span == 4
    assert [text(c) for c in table.total.cells] == ["45,500", "910", "21 vials"]
    assert blocks[6] == Sources(result.sources)
    assert how(blocks) == ("Dose = mg/kg × dosing weight (first dose: 150 × 70 kg = 10,500 mg); "
                           "volume = dose ÷ 50 mg/mL (210 mL); vials under rounding \"none\".")


def test_rounded_doses_show_the_dose_to_give_and_hazards_lead_with_the_inputs() -> None:
    # 154 lb = 69.85322498 kg (pound-definition) x 100 mg/kg = 6,985 mg; rounded up to whole
    # 50 mL vials within 10 % (HOPA): 7,500 mg, +7.4 %. The first dose, 10,478 mg, cannot round
    # up to 10,500 mg: that is above the label's 150 mg/kg, so it stays as calculated.
    _, blocks = shown("prophylaxis", {**KIDNEY_70, "weight_kg": "154 lb", "rounding": "up"})
    table = of_kind(blocks, Table)[0]
    assert "To give (mg)" in [c.head for c in table.columns]
    assert [row[6] for row in cells(table)[:2]] == ["10,478", "7,500 (+7.4 %)"]
    # Inputs outside their expected range lead the hazards.
    _, heavy = shown("prophylaxis", {**KIDNEY_70, "weight_kg": "160"})
    warnings = box(heavy, "warnings")
    assert warnings[0].startswith("Warning: Weight (kg): 160 kg is outside the expected 40 to")


def test_a_dosing_weight_other_than_actual_names_the_actual() -> None:
    # nba-ig-dosing: 180 cm man: IBW 75 kg.
    _, blocks = shown("prophylaxis", {**KIDNEY_70, "weight_kg": "90", "weight_basis": "ideal",
                                      "height_cm": "180", "sex": "male"})
    assert text(of_kind(blocks, Line)[0].parts) == (
        "Dosing weight: 75 kg, ideal (Devine) body weight (actual 90 kg).")


def test_cytotect_cp_schedule_counts_days_and_rates_in_ml_per_kg() -> None:
    # Cytotect CP SmPC: 1 mL/kg (50 mg/kg) every 2 to 3 weeks; rate 0.08 mL/kg/h for 10 minutes,
    # then up to 0.8 mL/kg/h. 70 kg: 70 mL = 1 x 50 mL + 2 x 10 mL.
    _, blocks = shown("prophylaxis", {**KIDNEY_70, "product": "cytotect-cp"})
    table = of_kind(blocks, Table)[0]
    assert cells(table)[1][2:] == ["week 2", "50", "3,500", "70", "1 × 50 mL + 2 × 10 mL"]
    assert box(blocks, "answer")[0].endswith("= 1 × 50 mL + 2 × 10 mL vials")
    folded = of_kind(blocks, Folded)[0]
    plan = folded.blocks[0]
    assert plan.caption == "Every infusion: Cytotect CP, 70 kg"
    assert cells(plan)[0][4] == "0.08 mL/kg/h"


def test_regimen_shows_setting_options_quotes_and_the_open_course() -> None:
    # Zhang 2021: 100 mg/kg on days 1, 3, 5, then weekly until CMV DNA converts.
    _, blocks = shown("regimen", {"regimen": "zhang-2021-hsct", "weight_kg": "70",
                                  "start_date": "2026-01-01"})
    lines = [text(b.parts) for b in of_kind(blocks, Line)]
    assert lines[0].startswith("For: ") and "Evidence: " in lines[0]
    assert ("The source leaves the number of doses open: the totals cover the doses shown only."
            in lines)
    options, quotes = of_kind(blocks, Items)[:2]
    assert options.heading == "Options the source offers (not included above):"
    assert "Source wording: “" in text(options.items[0])
    assert quotes.style == "quotes" and text(quotes.items[0]).startswith("“")
    assert cells(of_kind(blocks, Table)[0])[0][2].startswith("day 1: ")
    assert how(blocks) == ("Dose = mg/kg × dosing weight (first dose: 100 × 70 kg = 7,000 mg); "
                           "volume = dose ÷ 50 mg/mL.")


def test_a_fixed_dose_regimen_says_so() -> None:
    # Schulz 2016: a single 50 mL dose of Cytotect CP: 2,500 mg.
    result, blocks = shown("regimen", {"regimen": "schulz-single-50ml", "weight_kg": "70",
                                       "start_date": "2026-01-01"})
    assert box(blocks, "answer")[-1].startswith("Course: 1 dose, ")
    assert cells(of_kind(blocks, Table)[0])[0][3] == "fixed"
    assert how(blocks).startswith("Fixed dose from the source: ")
    assert how(blocks).endswith("; volume = dose ÷ 50 mg/mL.")
    # A regimen without quoted wording, options or rate plans shows none of them.
    bare = dataclasses.replace(result, wording=(), options=(), rate_plans=())
    assert not of_kind(presenters.present(bare), Items) or all(
        i.style == "notes" for i in of_kind(presenters.present(bare), Items))
    assert not of_kind(presenters.present(bare), Folded)


def test_units_with_and_without_a_unit_strength() -> None:
    # Cytotect CP SmPC: 100 U/mL at 50 mg/mL: 5,000 U = 50 mL = 2,500 mg.
    _, blocks = shown("units", {"amount": "5000", "unit": "u", "product": "cytotect-cp"})
    assert box(blocks, "answer") == ["5,000 U = 2,500 mg = 50 mL = 1 vial (50 mL)"]
    assert of_kind(blocks, Table)[0].caption == "5,000 U of Cytotect CP"
    assert how(blocks) == "mL = mg ÷ 50 mg/mL; U = mL × 100 U/mL."
    # CytoGam label: 50 mg/mL, no unit strength; 7,400 mg = 148 mL, rounded up to three 50 mL
    # vials within 10 % (HOPA): 7,500 mg, +1.4 %.
    _, blocks = shown("units", {"amount": "7400", "unit": "mg", "rounding": "up"})
    table = of_kind(blocks, Table)[0]
    assert cells(table) == [["7,400", "not labelled", "148", "7,500 (+1.4 %)", "3 × 50 mL"]]
    assert [c.head for c in table.columns][3] == "To give (mg)"
    assert how(blocks) == "mL = mg ÷ 50 mg/mL."


def test_infusion_answer_steps_and_explanation() -> None:
    # CytoGam label, first infusion: 15 mg/kg/h for 30 min, 30 for 30 min, then up to 60; never
    # above 75 mL/h. 70 kg: 21 mL/h, then 42, then up to 75 mL/h (capped); 10,500 mg = 210 mL.
    _, blocks = shown("infusion", {"weight_kg": "70", "dose_mg": "10500"})
    answer = box(blocks, "answer")
    assert answer[0] == "Start at 21 mL/h; from 30 min, 42 mL/h; from 1 h, 75 mL/h (capped)"
    assert answer[1] == "10,500 mg = 210 mL: takes 3 h 23 min at these rates"
    assert of_kind(blocks, Table)[0].caption == "CytoGam, 70 kg, first infusion"
    assert how(blocks) == ("Rate (mL/h) = mg/kg/h × 70 kg ÷ 50 mg/mL, never above 75 mL/h, "
                           "rounded down to whole mL/h.")
    # Without a dose: the rates alone, the last step open-ended.
    _, blocks = shown("infusion", {"weight_kg": "70", "first_infusion": "false"})
    assert len(box(blocks, "answer")) == 1
    assert cells(of_kind(blocks, Table)[0])[-1][2] == "until done"


def test_cytotect_cp_infusion_has_no_cap_and_no_total_time() -> None:
    # Cytotect CP SmPC: 0.08 mL/kg/h for 10 min, then up to 0.8 mL/kg/h; no mL/h cap.
    _, blocks = shown("infusion", {"weight_kg": "70", "product": "cytotect-cp",
                                   "dose_mg": "3500"})
    assert box(blocks, "answer") == ["Start at 5 mL/h; from 10 min, up to 56 mL/h",
                                     "3,500 mg = 70 mL"]
    assert how(blocks) == ("Rate (mL/h) = mg/kg/h × 70 kg ÷ 50 mg/mL, "
                           "rounded down to whole mL/h.")


@pytest.mark.parametrize(("sex", "base", "height", "inches"), [
    # nba-ig-dosing: 50 kg (men), 45.5 kg (women); 180 cm = 70.87 in; 152.4 cm = 60 in.
    ("male", "50", "180", "70.9"),
    ("female", "45.5", "152.4", "60"),
])
def test_body_weight_explanation_uses_the_devine_constants(sex: str, base: str, height: str,
                                                           inches: str) -> None:
    _, blocks = shown("body-weight", {"weight_kg": "100", "height_cm": height, "sex": sex})
    assert how(blocks) == (
        f"Ideal (Devine) = {base} kg + 2.3 kg per inch over 60 in ({height} cm = {inches} in); "
        "adjusted = ideal + 0.4 × (actual − ideal); BMI = kg ÷ m².")


def test_body_weight_answer_and_table() -> None:
    # nba-ig-dosing: 180 cm, 100 kg man: IBW 75 kg, AdjBW 85 kg; BMI 100 / 1.8^2 = 30.9.
    _, blocks = shown("body-weight", {"weight_kg": "100", "height_cm": "180", "sex": "male"})
    assert box(blocks, "answer") == ["Ideal 75 kg; adjusted 85 kg; BMI 30.9 kg/m²"]
    table = of_kind(blocks, Table)[0]
    assert table.caption == "100 kg, 180 cm, male"
    assert cells(table) == [["75", "85", "30.9"]]


def test_viral_load_change_flags_and_not_detected() -> None:
    # 6,500 copies/mL = 3.81 log10; from 500 (2.70): +1.11 log10, 13-fold (log10 definition).
    _, blocks = shown("viral-load", {"copies": "6500", "previous_copies": "500"})
    assert box(blocks, "answer") == ["6,500 copies/mL = 3.81 log10; change +1.11 log10, 13-fold"]
    assert cells(of_kind(blocks, Table)[0]) == [["Current", "6,500", "3.81"],
                                               ["Previous", "500", "2.7"]]
    flags = of_kind(blocks, Items)[0]
    assert flags.style == "flags" and flags.heading is None
    assert how(blocks) == ("log10 of 6,500 copies/mL; change = current − previous log10; "
                           "fold change = current ÷ previous.")
    _, alone = shown("viral-load", {"copies": "6500"})
    assert box(alone, "answer") == ["6,500 copies/mL = 3.81 log10"]
    assert ": needs a previous result. " in text(of_kind(alone, Items)[0].items[1])
    _, falling = shown("viral-load", {"copies": "0", "previous_copies": "2000"})
    assert box(falling, "answer")[0].startswith("0 copies/mL = not detected log10")


def test_viral_load_met_and_not_met() -> None:
    _, falling = shown("viral-load", {"log10": "3.2", "previous_log10": "4.9"})
    assert box(falling, "answer") == ["1,585 copies/mL = 3.2 log10; change -1.7 log10, 0-fold"]
    flags = [text(i) for i in of_kind(falling, Items)[0].items]
    assert any(": not met. " in f for f in flags)
    _, rising = shown("viral-load", {"log10": "5.5", "previous_log10": "4.9"})
    assert any(": met. " in text(i) for i in of_kind(rising, Items)[0].items)


def test_atg_marks_the_patients_start_and_explains_the_group() -> None:
    # Zhang 2021: rabbit ATG 7.5 mg/kg is the low-dose group; early start within 3 days.
    result, blocks = shown("atg", {"agent": "rabbit", "dose_mg_per_kg": "7.5",
                                   "days_from_viremia": "2"})
    rows = of_kind(blocks, Table)[0].rows
    assert [r.marked for r in rows] == [True, False]
    assert text(rows[0].cells[0]) == "early (this patient)"
    assert box(blocks, "answer")[0].endswith("; CMV-IVIG start: early")
    assert how(blocks) == f"Group by the study's definition: {result.definition}."
    _, unknown = shown("atg", {"agent": "rabbit", "dose_mg_per_kg": "7.5"})
    assert "CMV-IVIG start" not in box(unknown, "answer")[0]
    assert not any(r.marked for r in of_kind(unknown, Table)[0].rows)


def test_criteria_table_and_explanation() -> None:
    # Schulz 2016: criteria (i)-(vii) and ganciclovir resistance; (iii) from > 5.0 log10.
    _, blocks = shown("criteria", {"severe_manifestation": "true"})
    rows = cells(of_kind(blocks, Table)[0])
    assert rows[0][0] == "—" and rows[1][0] == "(i)"
    assert {row[2] for row in rows} == {"yes", "no"}
    assert how(blocks) == ("1 of 8 criteria met: each ticked box, and (iii) also from a viral "
                           "load above 5.0 log10, rising, on antivirals, with symptoms.")


def test_creatinine_clearance_rows_in_mg_and_on_haemodialysis() -> None:
    # Cockcroft-Gault 1976: (140 - 60) x 70 / (72 x 1.2) x 0.85 = 55.1 mL/min; ganciclovir label
    # 50-69 mL/min: 2.5 mg/kg induction = 175 mg for 70 kg.
    result, blocks = shown("crcl", {"age": "60", "weight_kg": "70", "sex": "female",
                                    "creatinine_mg_dl": "1.2"})
    assert box(blocks, "answer") == ["Creatinine clearance (Cockcroft–Gault): 55.1 mL/min"]
    table = of_kind(blocks, Table)[0]
    assert table.caption == "Antiviral doses for this clearance (label tables)"
    ganciclovir, valganciclovir = cells(table)
    assert ganciclovir[2].startswith("175 mg (2.5 mg/kg")
    assert "mg (" not in valganciclovir[2]
    assert how(blocks) == result.formula
    # On haemodialysis the valganciclovir table gives no tablet dose; a missing row reads "—".
    result, blocks = shown("crcl", {"age": "80", "weight_kg": "50", "sex": "male",
                                    "creatinine_umol_l": "400", "haemodialysis": "true"})
    assert box(blocks, "answer")[0].endswith(" (for information only: on haemodialysis)")
    assert of_kind(blocks, Table)[0].caption == "Antiviral doses on haemodialysis (label tables)"
    none = dataclasses.replace(result.valganciclovir, row=None, induction=None)
    row = cells(of_kind(presenters.present(
        dataclasses.replace(result, valganciclovir=none)), Table)[0])[1]
    assert row[1:3] == ["—", "no dose in the table"]


def test_notes_and_warnings_appear_only_when_there_are_some() -> None:
    _, blocks = shown("body-weight", {"weight_kg": "100", "height_cm": "180", "sex": "male"})
    assert not box(blocks, "warnings") and not of_kind(blocks, Items)
    _, blocks = shown("prophylaxis", {**KIDNEY_70, "renal_impairment": "true"})
    notes = of_kind(blocks, Items)[-1]
    assert (notes.style, notes.heading) == ("notes", "Notes")
    assert any(text(n).startswith("Renal impairment") for n in notes.items)


def test_a_custom_product_without_label_rates_folds_no_rate_plan() -> None:
    custom = {"custom_product": {"name": "House CMVIG", "mg_per_ml": 50, "vial_ml": [50]}}
    _, blocks = shown("regimen", {"regimen": "chou-1996", "weight_kg": "70",
                                  "start_date": "2026-01-01", "product": "custom"}, custom)
    assert not of_kind(blocks, Folded)


def test_several_vial_sizes_and_a_dose_rounded_down() -> None:
    # Cytotect CP SmPC: 10 and 50 mL vials; 81.7 kg x 50 mg/kg = 4,085 mg = 81.7 mL; nearest
    # within 10 % (HOPA): 80 mL = 4,000 mg, -2.1 %.
    _, blocks = shown("prophylaxis", {**KIDNEY_70, "weight_kg": "81.7", "product": "cytotect-cp",
                                      "rounding": "nearest", "rounding_tolerance_pct": "10"})
    table = of_kind(blocks, Table)[0]
    assert cells(table)[0][4:] == ["4,085", "81.7", "4,000 (-2.1 %)", "1 × 50 mL + 3 × 10 mL"]
    assert box(blocks, "answer")[0] == "Doses 1–6: 4,000 mg = 80 mL = 1 × 50 mL + 3 × 10 mL vials"
