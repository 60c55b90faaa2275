"""calculators.browser: the JSON-in, JSON-out door the Web Worker uses."""

from __future__ import annotations

import json

from calculators import settings
from calculators.browser import configure, handle

KIDNEY_70 = {"weight_kg": "70", "organ": "kidney", "transplant_date": "2026-01-01"}


def test_handle_answers_with_the_result() -> None:
    reply = json.loads(handle("prophylaxis", json.dumps(KIDNEY_70)))
    assert reply["ok"] is True
    assert reply["result"]["doses"][0]["dose_mg"] == 10500  # CytoGam label: 150 mg/kg x 70 kg


def test_handle_answers_with_the_error() -> None:
    reply = json.loads(handle("prophylaxis", json.dumps({**KIDNEY_70, "weight_kg": "abc"})))
    assert reply == {"ok": False, "error": {
        "field": "weight_kg", "value": "abc",
        "message": "Weight (kg) must be a number, such as 72.5 (got 'abc')."}}


def test_handle_refuses_a_non_object() -> None:
    reply = json.loads(handle("prophylaxis", "[1]"))
    assert reply["ok"] is False and reply["error"]["field"] == "params"


def test_configure_sets_the_institution_defaults() -> None:
    try:
        assert json.loads(configure(json.dumps({"rounding": "up"}))) == {"ok": True, "result": {}}
        reply = json.loads(handle("prophylaxis", json.dumps(KIDNEY_70)))
        assert reply["result"]["rounding"] == "up"
        bad = json.loads(configure(json.dumps({"rounding": "often"})))
        assert bad["ok"] is False and bad["error"]["field"] == "rounding"
    finally:
        settings.reset()
