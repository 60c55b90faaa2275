"""What leaves the screen is what was computed (issue 14, items 1, 2, 5, 6, 10).

For every calculator, inputs with units and options other than the defaults are typed into its
form; then the link it gives is opened in a new page, which must show the same result, and the
print sheet, the copied text, the CSV and the calendar file must carry the inputs as entered and
converted ("154 lb = 69.9 kg", to the quantity's display precision) and the figures on
screen. A result whose inputs have changed is marked out of date and can't be printed or shared;
the link never enters the address bar; a link with digits of another script is refused naming
the field.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page

from calculators import run
from calculators.display import shown as display
from calculators.registry import CALCULATORS, describe
from tests.e2e.helpers import Watch, assert_clean, example, fill_form

# Minutes long: scheduled first, so it does not finish last (tests/conftest.py).
# No test here needs fresh browser state: they share the worker's warm context.
pytestmark = [pytest.mark.long, pytest.mark.browser_context("warm")]

# Calculator -> inputs as typed ("154 lb" is 154 with the unit select on lb): each example
# (declared with the calculator) with units and options other than the defaults; where its fields
# differ from the example's on purpose (a log10 instead of copies, µmol/L instead of mg/dL, other
# criteria), in full.
CASES: dict[str, dict[str, str]] = {
    "prophylaxis": {
        **example("prophylaxis"), "weight_kg": "154 lb", "organ": "lung",
        "product": "cytotect-cp", "weight_basis": "adjusted", "height_cm": "70 in", "sex": "male",
        "rounding": "up"},
    "regimen": {
        **example("regimen"), "weight_kg": "176 lb", "start_date": "2026-02-01",
        "weight_basis": "ideal", "height_cm": "1,75 m", "sex": "female", "rounding": "nearest"},
    "units": {**example("units"), "rounding": "none"},
    "infusion": {"weight_kg": "154 lb", "dose_mg": "7 g", "first_infusion": "false",
                 "product": "cytogam"},
    "body-weight": {"weight_kg": "220 lb", "height_cm": "70 in", "sex": "female"},
    "viral-load": {"copies": "6500", "previous_log10": "2.7"},
    "atg": {"agent": "porcine", "dose_mg_per_kg": "20", "days_from_viremia": "5"},
    "criteria": {"rising_pcr": "true", "pcr_log10": "5.3", "on_antivirals": "true"},
    "crcl": {"age": "60", "weight_kg": "154 lb", "sex": "male", "creatinine_umol_l": "110",
             "haemodialysis": "false"},
}
FIELDS = {name: {f["name"]: f for f in calc["fields"]} for name, calc in describe().items()}


def as_entered_and_converted(name: str, field: str, typed: str) -> str:
    """What every output must say for a number typed with a unit: "154 lb = 69.9 kg" (the field's
    own unit is the quantity whose display precision applies: kg, cm, mg)."""
    definition = FIELDS[name][field]
    figure, _, unit = typed.partition(" ")
    factor = definition.get("unit_factors", {}).get(unit)
    own = definition["unit"]
    if not factor:
        return f"{figure} {own}" if definition.get("unit_choices") else figure
    value = Decimal(figure.replace(",", ".")) * Decimal(factor)
    return f"{figure} {unit} = {display(value, own)} {own}"


def with_weekday(iso: str) -> str:
    """A date as every output shows it (issue 15): "Sun 1 Feb 2026"."""
    day = date.fromisoformat(iso)
    return f"{day:%a} {day.day} {day:%b %Y}"


def form_of(page: Page, name: str) -> Locator:
    return page.locator(f"form[data-calculator='{name}']")


def fill(page: Page, name: str, inputs: dict[str, str]) -> None:
    """Type or choose every input, a unit in its select beside the number; then Calculate."""
    with_units = {field for field in inputs if FIELDS[name][field].get("unit_choices")}
    fill_form(page, name, {field: value.partition(" ")[0] if field in with_units else value
                           for field, value in inputs.items()}, submit=False)
    form = form_of(page, name)
    for field in with_units:
        unit = inputs[field].partition(" ")[2] or FIELDS[name][field]["unit"]
        form.locator(f"select[data-unit-for='{field}']").select_option(unit)
    form.locator("button[type=submit]").click()


def result_of(page: Page, name: str) -> dict[str, Any]:
    """The result on screen, without its buttons: state, text, dose rows and table cells."""
    region = form_of(page, name).locator("[data-result]")
    page.wait_for_function(
        "(r) => ['done', 'error'].includes(r.dataset.state)", arg=region.element_handle())
    return region.evaluate("""(region) => {
        const copy = region.cloneNode(true);
        const extras = '.cmvig-actions, .cmvig-action-status, .cmvig-link';
        for (const extra of copy.querySelectorAll(extras)) extra.remove();
        return {
            state: region.dataset.state,
            text: copy.innerText,
            doses: [...region.querySelectorAll('tr[data-dose-mg]')].map((r) => r.dataset.doseMg),
            cells: [...region.querySelectorAll('td')].map((c) => c.textContent.trim())
                .filter(Boolean),
        };
    }""")


def link_of(page: Page, name: str) -> str:
    form = form_of(page, name)
    form.get_by_role("button", name="Link to this calculation").click()
    shown_link = form.locator(".cmvig-link")
    shown_link.wait_for()
    link = shown_link.input_value()
    assert page.evaluate("navigator.clipboard.readText()") == link
    return link


def copied_text(page: Page, name: str) -> str:
    form = form_of(page, name)
    form.get_by_role("button", name="Copy as text").click()
    form.get_by_text("Copied.").wait_for()
    text: str = page.evaluate("navigator.clipboard.readText()")
    return text


def print_sheet(page: Page, name: str) -> str:
    page.evaluate("window.print = () => {}")  # the dialog is the browser's, not ours
    form_of(page, name).get_by_role("button", name="Print for the chart").click()
    text = page.locator("#cmvig-print").inner_text()
    page.evaluate("dispatchEvent(new Event('afterprint'))")
    return text


def download(page: Page, name: str, label: str) -> bytes:
    with page.expect_download() as event:
        form_of(page, name).get_by_role("button", name=label).click()
    return Path(event.value.path()).read_bytes()


def unfolded(ics: str) -> list[str]:
    return ics.replace("\r\n ", "").split("\r\n")


# Every calculator: its case above, or (a calculator added since) its example as declared.
@pytest.mark.parametrize("name", list(CALCULATORS))
def test_link_sheet_text_and_files_carry_what_was_computed(
        page: Page, watch: Watch, calculator_paths: dict[str, str], name: str) -> None:
    inputs = CASES.get(name) or dict(example(name))
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(calculator_paths[name])
    fill(page, name, inputs)
    first = result_of(page, name)
    assert first["state"] == "done", first["text"]
    # The core, given the same text, gives the same doses (the unit converted there).
    core = run(name, {k: v for k, v in inputs.items()})
    assert first["doses"] == [str(d["dose_mg"]) for d in core.get("doses", [])]

    link = link_of(page, name)
    assert "#calculate:" not in page.url  # shown, never written into the address bar
    expected_inputs = [as_entered_and_converted(name, k, v) for k, v in inputs.items()
                       if FIELDS[name][k]["kind"] == "number"]
    # Dates with their weekday, as typed and in every dose row (issue 15).
    expected_inputs += [with_weekday(v) for k, v in inputs.items()
                        if FIELDS[name][k]["kind"] == "date"]
    dose_dates = [with_weekday(str(d["date"])) for d in core.get("doses", [])]
    assert [c for c in first["cells"] if c in dose_dates] == dose_dates
    for field, typed in inputs.items():
        if " " in typed:  # the unit travels in the link, as the core receives it
            assert f"{field}={typed.replace(' ', '+').replace(',', '%2C')}" in link, link

    fresh = page.context.new_page()
    fresh.goto(link)
    again = result_of(fresh, name)
    assert again == first
    assert fresh.evaluate("location.hash") == ""  # read once, then out of the address bar
    fresh.close()

    figures = first["cells"]
    text = copied_text(page, name)
    sheet = print_sheet(page, name)
    assert "Print for the chart" not in text + sheet  # the result, not the buttons under it
    for output in (text, sheet):
        for expected in expected_inputs:
            assert expected in output, (expected, output[:800])
        for figure in figures:
            assert figure in output, (figure, output[:800])

    if form_of(page, name).get_by_role("button", name="Download CSV").count():
        raw = download(page, name, "Download CSV")
        assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, for Excel
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        assert len({len(row) for row in rows}) == 1, rows  # every row as wide as the header
        cells = {cell for row in rows for cell in row}
        for figure in figures:
            assert figure in cells, figure
        for expected in expected_inputs:
            assert expected in cells, expected

    calendar = form_of(page, name).get_by_role("button", name="Add dates to a calendar (.ics)")
    if core.get("doses"):
        ics = download(page, name, "Add dates to a calendar (.ics)").decode("utf-8")
        assert all(len(line.encode()) <= 75 for line in ics.split("\r\n")), ics
        lines = unfolded(ics)
        summaries = [line for line in lines if line.startswith("SUMMARY:")]
        # The dose to give: "To give (mg)" where a dose was rounded, else the dose itself.
        prepared = form_of(page, name).locator("tr[data-dose-mg]").evaluate_all(
            "(rows) => rows.map((r) => "
            "[...r.querySelectorAll('td[data-quantity=mg]')].at(-1).innerText)")
        assert [s.split(": ", 1)[1].split(" mg")[0].replace("\\,", ",") for s in summaries] == [
            p.split(" ")[0] for p in prepared]
        description = "".join(line for line in lines if line.startswith("DESCRIPTION:"))
        for expected in expected_inputs:
            assert expected.replace(",", "\\,") in description, expected
        for number, dose_date in enumerate(dose_dates, start=1):
            assert f"Dose {number}\\, {dose_date}:" in description, dose_date
    else:
        assert calendar.count() == 0
    assert_clean(watch)


def test_the_reported_unit_case_reproduces(page: Page, watch: Watch) -> None:
    # Issue 14, reproduction 1: 154 with "lb", kidney, 2026-01-01 gave a link for 154 kg
    # (23,100 mg, 2.2 times the dose) and a sheet saying "Weight (kg): 154".
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("prophylaxis/")
    fill(page, "prophylaxis", {"weight_kg": "154 lb", "organ": "kidney",
                               "transplant_date": "2026-01-01"})
    first = result_of(page, "prophylaxis")
    assert first["doses"][0] == "10477.983747"
    link = link_of(page, "prophylaxis")
    assert "weight_kg=154+lb" in link
    fresh = page.context.new_page()
    fresh.goto(link)
    assert result_of(fresh, "prophylaxis")["doses"][0] == "10477.983747"
    assert fresh.locator("select[data-unit-for=weight_kg]").input_value() == "lb"
    fresh.close()
    assert "154 lb = 69.9 kg" in print_sheet(page, "prophylaxis")
    # Infusion: a 7 g dose became dose_mg=7 (7 mg).
    page.goto("administration/")
    fill(page, "infusion", {"weight_kg": "70", "dose_mg": "7 g"})
    assert result_of(page, "infusion")["state"] == "done"
    assert "dose_mg=7+g" in link_of(page, "infusion")
    assert_clean(watch)


def test_a_changed_input_marks_the_result_out_of_date(page: Page, watch: Watch,
                                                      base_url: str) -> None:
    # Issue 14, reproduction 2: open a link for 70 kg kidney, clear the date, pick Heart, type
    # 110: the kidney/70 kg schedule stayed with its buttons, and the sheet, the text and the link
    # said "Weight 110, Heart" above it.
    page.goto("prophylaxis/#calculate:prophylaxis?weight_kg=70&organ=kidney"
              "&transplant_date=2026-01-01")
    kidney = result_of(page, "prophylaxis")
    assert kidney["state"] == "done"
    form = form_of(page, "prophylaxis")
    form.locator("[name=transplant_date]").fill("")
    form.locator("[name=organ]").select_option("heart")
    form.locator("[name=weight_kg]").fill("110")
    page.wait_for_timeout(600)  # past the typing pause: nothing may recompute or come back
    region = form.locator("[data-result]")
    assert region.get_attribute("data-state") == "stale"
    notes = form.locator(".cmvig-stale")  # above the result and beside its buttons
    assert notes.count() == 2 and all(notes.nth(i).is_visible() for i in range(2))
    assert all(text.startswith("Out of date:") for text in notes.all_inner_texts())
    actions = form.locator(".cmvig-action")
    assert actions.count() >= 4
    assert all(actions.nth(i).is_disabled() for i in range(actions.count()))
    assert form.locator(".cmvig-announce").inner_text() == (
        "Result out of date: the inputs have changed.")
    # Recomputed with a date: the result is current again, and so are its buttons.
    form.locator("[name=transplant_date]").fill("2026-01-01")
    form.locator("button[type=submit]").click()
    page.wait_for_function("(r) => r.dataset.state === 'done'", arg=region.element_handle())
    heart = result_of(page, "prophylaxis")
    assert heart["doses"] == [str(d["dose_mg"]) for d in run(
        "prophylaxis", {"weight_kg": "110", "organ": "heart", "transplant_date": "2026-01-01"}
    )["doses"]]
    assert form.locator(".cmvig-stale").count() == 0
    assert not form.get_by_role("button", name="Print for the chart").is_disabled()
    assert base_url in page.url and "#" not in page.url
    assert_clean(watch)


@pytest.mark.parametrize("weight", ["%E0%A7%AA0", "%D9%A7%D9%A0", "%EF%BC%97%EF%BC%90",
                                    "0." + "0" * 400 + "1"])
def test_a_link_with_foreign_digits_or_a_vanishing_value_is_refused(
        page: Page, watch: Watch, weight: str) -> None:
    # Issue 14, reproductions 6 and 7: Bengali "৪0" was read as 40 kg, also through a link;
    # "0.000…1" gave "Dosing weight: 0 kg" and 0 mg doses.
    page.goto(f"prophylaxis/#calculate:prophylaxis?weight_kg={weight}&organ=kidney"
              "&transplant_date=2026-01-01")
    result = result_of(page, "prophylaxis")
    assert result["state"] == "error" and result["doses"] == []
    # The message once, beside the field; the result region names the field (issue 15).
    assert "“Weight (kg)”" in result["text"], result["text"]
    message = form_of(page, "prophylaxis").locator("#calc-prophylaxis-weight_kg-error").inner_text()
    assert message.startswith("Weight (kg)") and message not in result["text"], message
    assert "E-" not in result["text"] and " 0 kg" not in result["text"]
    field = form_of(page, "prophylaxis").locator("[name=weight_kg]")
    assert field.get_attribute("aria-invalid") == "true"
    assert_clean(watch)


def test_the_404_page_is_styled_at_any_depth(page: Page, base_url: str) -> None:
    # Issue 14, item 10: at a nested path the 404 page loaded its files relative to that path.
    failed: list[str] = []
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/nowhere.html")
            and failed.append(f"{r.status} {r.url}"))
    response = page.goto("deep/er/still/nowhere.html")
    assert response is not None and response.status == 404
    page.wait_for_load_state("networkidle")
    assert failed == []
    header = page.locator(".md-header")
    assert header.is_visible()
    assert header.evaluate("(e) => getComputedStyle(e).position") == "sticky"
    assert page.evaluate("typeof document$") == "object"  # the theme's scripts ran


@pytest.mark.parametrize("name", ["prophylaxis", "regimen"])
def test_print_sheet_has_empty_boxes_and_the_rate_plans_on_screen(
        page: Page, watch: Watch, calculator_paths: dict[str, str], name: str) -> None:
    """Issue 15, item 9: boxes for the patient label, prescriber and product lot, empty; the
    infusion-rate plan for the first and later doses, the figures the screen shows (the core's
    rate plans at the actual weight)."""
    inputs = CASES[name]
    page.goto(calculator_paths[name])
    fill(page, name, inputs)
    shown = result_of(page, name)
    assert shown["state"] == "done", shown["text"]  # the page's message, should it refuse
    plans = run(name, dict(inputs))["rate_plans"]
    screen = form_of(page, name).locator(".cmvig-rate-plans")
    rates = [[f"{'up to ' if s['rate_is_limit'] else ''}"
              f"{display(Decimal(str(s['rate_ml_h'])), 'rate_ml_h')} mL/h"
              f"{' (capped)' if s['capped'] else ''}" for s in plan["steps"]] for plan in plans]
    on_screen = [table.locator("tbody td:nth-child(4)").all_text_contents()
                 for table in screen.locator("table").all()]
    assert on_screen == rates and rates
    page.evaluate("window.print = () => {}")
    form_of(page, name).get_by_role("button", name="Print for the chart").click()
    sheet = page.locator("#cmvig-print")
    boxes = sheet.locator(".cmvig-sheet-box")
    assert boxes.all_text_contents() == ["Patient label", "Prescriber", "Product lot"]
    assert sheet.locator(".cmvig-sheet-box input, .cmvig-sheet-box textarea").count() == 0
    # The folded plan is unfolded on paper, with the screen's figures.
    assert sheet.locator("details.cmvig-rate-plans[open]").count() == 1
    on_sheet = [table.locator("tbody td:nth-child(4)").all_text_contents()
                for table in sheet.locator(".cmvig-rate-plans table").all()]
    assert on_sheet == rates
    page.evaluate("dispatchEvent(new Event('afterprint'))")
    assert_clean(watch)
