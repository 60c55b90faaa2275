"""calculators.browser: the JSON-in, JSON-out door the Web Worker uses."""

from __future__ import annotations

import json

from calculators.browser import check_settings, handle

KIDNEY_70 = {"weight_kg": "70", "organ": "kidney", "transplant_date": "2026-01-01"}
NO_SETTINGS = "{}"


def test_handle_answers_with_the_result() -> None:
    reply = json.loads(handle("prophylaxis", json.dumps(KIDNEY_70), NO_SETTINGS))
    assert reply["ok"] is True
    assert reply["result"]["doses"][0]["dose_mg"] == 10500  # CytoGam label: 150 mg/kg x 70 kg
    # What the page shows of it, and how it was calculated, come with it (issue 12, item 4).
    how = reply["display"][-1]
    assert (how["kind"], how["style"]) == ("line", "how")
    assert how["parts"][1].startswith("Dose = mg/kg × dosing weight (first dose: 150 × 70 kg")


def test_handle_answers_with_the_error() -> None:
    reply = json.loads(handle("prophylaxis", json.dumps({**KIDNEY_70, "weight_kg": "abc"}),
                              NO_SETTINGS))
    assert reply == {"ok": False, "error": {
        "field": "weight_kg", "value": "abc",
        "message": "Weight (kg) must be a number, such as 72.5 (got 'abc')."}}


def test_handle_refuses_a_non_object() -> None:
    reply = json.loads(handle("prophylaxis", "[1]", NO_SETTINGS))
    assert reply["ok"] is False and reply["error"]["field"] == "params"


def test_the_settings_passed_with_each_call_apply_to_that_call_only() -> None:
    # The worker holds the settings and passes them every time; the core keeps none between calls.
    up = json.dumps({"rounding": "up"})
    assert json.loads(check_settings(up)) == {"ok": True, "result": {}}
    for given, rounding in ((up, "up"), (NO_SETTINGS, "none"), (up, "up")):
        reply = json.loads(handle("prophylaxis", json.dumps(KIDNEY_70), given))
        assert reply["result"]["rounding"] == rounding


def test_bad_settings_are_answered_with_the_field() -> None:
    often = json.dumps({"rounding": "often"})
    for reply in (check_settings(often), handle("prophylaxis", json.dumps(KIDNEY_70), often)):
        bad = json.loads(reply)
        assert bad["ok"] is False and bad["error"]["field"] == "rounding"
    for reply in (check_settings("[1]"), handle("prophylaxis", json.dumps(KIDNEY_70), "[1]")):
        assert json.loads(reply) == {"ok": False, "error": {
            "field": "settings", "value": "[1]", "message": "The settings must be a JSON object."}}
