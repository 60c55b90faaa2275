"""No input, no clinical answer (issue 15, item 2), in the core and on the command line.

Every calculator given nothing refuses, naming a field the form shows in view (the page's
untouched-form test, tests/e2e/test_untouched_forms.py, checks the form gives the same refusal).
The thoracic review's criteria (schulz-2016) with nothing ticked ask for the boxes: an unticked
box is not a finding.
"""

from __future__ import annotations

import io

import pytest

from calculators.__main__ import main
from calculators.errors import InputError
from calculators.registry import CALCULATORS, run


@pytest.mark.parametrize("name", sorted(CALCULATORS))
def test_no_input_is_refused_naming_a_field_in_view(name: str) -> None:
    with pytest.raises(InputError) as caught:
        run(name, {})
    fields = {f.name: f for f in CALCULATORS[name].fields}
    assert caught.value.field in fields
    assert fields[caught.value.field].in_view, caught.value.field


def test_command_line_criteria_with_nothing_ticked_asks_for_the_boxes() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["criteria"], out, err) == 2
    assert err.getvalue().startswith("error: none_apply: Nothing is ticked: tick each finding")
    out, err = io.StringIO(), io.StringIO()
    assert main(["criteria", "--none-apply"], out, err) == 0
    assert "No criterion met (none applies, as ticked)" in out.getvalue()


def test_the_inputs_each_answer_needs_are_in_view() -> None:
    # Issue 15: serum creatinine (either unit) and haemodialysis, the infusion's first-infusion
    # and dose, the current viral load and the criteria boxes were under "More options".
    in_view = {name: [f.name for f in c.fields if f.in_view] for name, c in CALCULATORS.items()}
    assert in_view["crcl"] == ["age", "weight_kg", "sex", "creatinine_mg_dl",
                               "creatinine_umol_l", "haemodialysis"]
    assert in_view["infusion"] == ["weight_kg", "first_infusion", "dose_mg"]
    assert in_view["viral-load"] == ["copies", "log10"]
    assert in_view["criteria"][-2:] == ["none_apply", "cmv_infection"]
    assert len(in_view["criteria"]) == 10
