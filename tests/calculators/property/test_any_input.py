"""(a) Any input at all, to any calculator: a plain JSON-ready dict, or InputError naming a field.

Never another exception: a traceback is not an answer a clinician can act on.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculators.errors import InputError
from calculators.registry import CALCULATORS, run
from calculators.settings import Settings

from .strategies import WITH_CUSTOM_PRODUCT, any_params, any_settings, valid_params

FAST = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _check(name: str, params: dict[str, Any], chosen: Settings) -> None:
    try:
        result = run(name, params, chosen)
    except InputError as error:
        known = {f.name for f in CALCULATORS[name].fields}
        assert error.field in known | set(params), (error.field, params)
        assert isinstance(error.message, str) and error.message.strip()
        json.dumps(error.as_plain())
        return
    assert isinstance(result, dict)
    json.dumps(result, allow_nan=False)  # JSON-ready: no Decimal, date, NaN or infinity left


@pytest.mark.parametrize("name", sorted(CALCULATORS))
@FAST
@given(data=st.data())
def test_any_input_gives_a_result_or_input_error(name: str, data: st.DataObject) -> None:
    params = data.draw(any_params(name))
    _check(name, params, data.draw(any_settings, label="institution settings"))


@pytest.mark.parametrize("name", sorted(CALCULATORS))
@FAST
@given(data=st.data())
def test_valid_looking_input_gives_a_result_or_input_error(name: str,
                                                            data: st.DataObject) -> None:
    # Each field's value is one it accepts alone; together they may still be refused.
    params = data.draw(valid_params(name))
    _check(name, params, WITH_CUSTOM_PRODUCT)


@FAST
@given(name=st.text(max_size=12), params=st.dictionaries(st.text(max_size=5), st.none()))
def test_unknown_calculator(name: str, params: dict[str, None]) -> None:
    if name in CALCULATORS:
        return
    with pytest.raises(InputError) as caught:
        run(name, params)
    assert caught.value.field == "calculator"
