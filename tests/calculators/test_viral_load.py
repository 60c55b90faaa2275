"""calculators.viral_load: copies/mL <-> log10, change between results, the sources' thresholds.

Numbers come from the seeds: Zhang et al. 2021 (zhang-2021) "CMV viremia: CMV-DNA >1,000
copies/mL in blood (RQ-PCR)" and its lowest initial load "1,001"; Schulz et al. 2016 (schulz-2016)
conclusion (iii) "rising PCR values (eg, higher than 5.0 log10) despite antiviral treatment", its
case study "500 copies/mL, with the titer rising to 6500 copies/mL" and peak "18 100 copies/mL",
and Rouphael's case "10 400 copies/mL ... lowered CMV level to 2900 copies/mL".
Logarithms are checked against math.log10 (an independent implementation) to float precision.
"""

from __future__ import annotations

import io
import json
import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculators.__main__ import main
from calculators.errors import InputError
from calculators.registry import run
from calculators.viral_load import (
    MAX_COPIES,
    PRECISION,
    SCHULZ_PCR_LOG10,
    ZHANG_VIREMIA_COPIES,
    ThresholdFlag,
    ViralLoad,
    measurement,
    viral_load,
)


def _flag(result: ViralLoad, flag_id: str) -> ThresholdFlag:
    return next(f for f in result.flags if f.id == flag_id)


# copies/mL -> log10 display (0.01). Loads from the schulz-2016 case reports.
@pytest.mark.parametrize(
    ("copies", "log10_display"),
    [
        ("1000", Decimal("3.00")),  # zhang-2021 threshold, 10**3
        ("500", Decimal("2.70")),  # schulz-2016 case study: "500 copies/mL"
        ("6500", Decimal("3.81")),  # schulz-2016 case study: "rising to 6500 copies/mL"
        ("18100", Decimal("4.26")),  # schulz-2016 case study: "peaked ... at 18 100 copies/mL"
        ("10400", Decimal("4.02")),  # schulz-2016, Rouphael: "10 400 copies/mL"
        ("2900", Decimal("3.46")),  # schulz-2016, Rouphael: "2900 copies/mL"
        ("100000", Decimal("5.00")),  # schulz-2016 (iii): 5.0 log10
        ("1", Decimal("0.00")),
        ("10000000000", Decimal("10.00")),  # the upper plausibility bound, 10 log10
    ],
)
def test_copies_to_log10(copies: str, log10_display: Decimal) -> None:
    current = viral_load(copies=copies).current
    assert current.entered_as == "copies"
    assert current.copies_per_ml == Decimal(copies)
    assert current.log10_display == log10_display
    assert current.log10 is not None
    assert abs(float(current.log10) - math.log10(int(copies))) < 1e-12


def test_log10_of_a_power_of_ten_is_exact() -> None:
    assert viral_load(copies="1000").current.log10 == Decimal(3)
    assert viral_load(copies=100000).current.log10 == SCHULZ_PCR_LOG10


def test_log10_is_computed_at_context_precision() -> None:
    # schulz-2016, Rouphael: 2900 copies/mL. 28 significant digits, Decimal's correctly rounded
    # log10.
    log10 = viral_load(copies="2900").current.log10
    assert log10 == Decimal("3.462397997898956087332846763")
    assert log10 is not None and len(log10.as_tuple().digits) == PRECISION


@pytest.mark.parametrize(
    ("log10", "copies_display"),
    [("5.2", Decimal(158489)), ("3", Decimal(1000)), ("4,1", Decimal(12589)), ("0", Decimal(1))],
)
def test_log10_to_copies(log10: str, copies_display: Decimal) -> None:
    current = viral_load(log10=log10).current
    assert current.entered_as == "log10"
    assert current.copies_per_ml_display == copies_display
    assert current.log10 == Decimal(log10.replace(",", "."))
    assert abs(float(current.copies_per_ml) / 10 ** float(current.log10) - 1) < 1e-12


def test_change_case_study() -> None:
    # schulz-2016 case study: "500 copies/mL, with the titer rising to 6500 copies/mL".
    result = viral_load(copies="6500", previous_copies="500")
    assert result.fold_change == Decimal(13)
    assert result.log10_change_display == Decimal("1.11")
    assert result.rising is True
    assert result.previous is not None and result.previous.copies_per_ml == 500


def test_change_falling() -> None:
    # schulz-2016, Rouphael: 10 400 -> 2900 copies/mL after ganciclovir.
    result = viral_load(copies="2900", previous_copies="10400")
    assert result.rising is False
    assert result.fold_change_display == Decimal("0.28")
    # log10(2900/10400) = -0.5547...: rounded once, -0.55, not 3.46 - 4.02 = -0.56 (the
    # difference of the rounded values); the change is computed before rounding.
    assert result.log10_change_display == Decimal("-0.55")
    assert result.fold_change == Decimal(2900) / Decimal(10400)


def test_change_from_log10_values() -> None:
    result = viral_load(log10="5.2", previous_log10="4.1")
    assert result.log10_change == Decimal("1.1")
    assert result.fold_change_display == Decimal("12.59")  # 10**1.1 = 12.589...
    assert result.rising is True


def test_change_mixed_forms() -> None:
    result = viral_load(copies="100000", previous_log10="3")
    assert result.fold_change == Decimal(100)
    assert result.log10_change == Decimal(2)


def test_zhang_viremia_is_strictly_above_1000() -> None:
    # zhang-2021: "CMV-DNA >1,000 copies/mL"; its lowest initial load was "1,001".
    assert _flag(viral_load(copies="1000"), "zhang-2021-viremia").met is False
    assert _flag(viral_load(copies="1001"), "zhang-2021-viremia").met is True
    assert ZHANG_VIREMIA_COPIES == 1000
    warnings = viral_load(copies="1000").warnings
    assert any("exactly at the Zhang" in w for w in warnings)


def test_schulz_iii_needs_a_previous_result() -> None:
    # schulz-2016 (iii): rising and "higher than 5.0 log10"; rising is unknown without a previous.
    alone = _flag(viral_load(log10="5.3"), "schulz-2016-iii-pcr")
    assert alone.above is True and alone.met is None
    rising = _flag(viral_load(log10="5.3", previous_log10="5.1"), "schulz-2016-iii-pcr")
    assert rising.met is True
    falling = _flag(viral_load(log10="5.3", previous_log10="5.5"), "schulz-2016-iii-pcr")
    assert falling.met is False
    same = viral_load(log10="5.3", previous_log10="5.3")
    assert same.rising is False and _flag(same, "schulz-2016-iii-pcr").met is False


def test_schulz_5_log10_is_not_above_itself() -> None:
    at = viral_load(log10="5.0", previous_log10="4")
    assert _flag(at, "schulz-2016-iii-pcr").above is False
    assert any("exactly at the Schulz" in w for w in at.warnings)
    above = viral_load(copies="100001", previous_copies="1000")
    assert _flag(above, "schulz-2016-iii-pcr").met is True
    # 100,001 copies/mL shows as 5.00 log10 but is above: the warning says the flag is exact.
    assert above.current.log10_display == Decimal("5.00")
    assert any("exact value is above" in w for w in above.warnings)


def test_rounded_display_below_threshold_warns() -> None:
    result = viral_load(copies="99999")
    assert result.current.log10_display == Decimal("5.00")
    assert _flag(result, "schulz-2016-iii-pcr").above is False
    assert any("exact value is below" in w for w in result.warnings)


def test_log10_just_above_3_is_viremia_though_shown_as_1000_copies() -> None:
    result = viral_load(log10="3.0000001")
    assert result.current.copies_per_ml_display == 1000
    assert _flag(result, "zhang-2021-viremia").met is True
    assert any("exact value is above" in w for w in result.warnings)


def test_zero_copies_is_not_detected() -> None:
    result = viral_load(copies="0", previous_copies="1000")
    assert result.current.detected is False
    assert result.current.log10 is None and result.current.log10_display is None
    assert result.log10_change is None
    assert result.fold_change == 0
    assert result.rising is False
    assert any("not detected" in w for w in result.warnings)


def test_from_zero_copies_the_change_is_undefined() -> None:
    result = viral_load(copies="6500", previous_copies="0")
    assert result.rising is True
    assert result.fold_change is None and result.fold_change_display is None
    assert result.log10_change is None
    assert any("previous result is 0" in w for w in result.warnings)


def test_notes_and_sources() -> None:
    result = viral_load(copies="1730")
    assert result.sources == ("zhang-2021", "schulz-2016", "fryer-2016")
    assert any("never converted" in n for n in result.notes)  # fryer-2016


@pytest.mark.parametrize("raw", [Decimal("1730"), 1730, 1730.0, "1730", " 1730 copies/mL ",
                                 "1730 cp/mL", "1730copies"])
def test_copies_forms(raw: object) -> None:
    assert viral_load(copies=raw).current.copies_per_ml == 1730


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"copies": "1,730"}, "copies", "digits only"),  # the study prints "1,730"
        ({"copies": "1.730"}, "copies", "digits only"),  # 1.730 = 1730 in some countries
        ({"copies": "1730 IU/mL"}, "copies", "IU/mL cannot be converted"),  # fryer-2016
        ({"copies": "-5"}, "copies", "at least 0"),
        ({"copies": "abc"}, "copies", "must be a number"),
        ({"copies": str(MAX_COPIES + 1)}, "copies", "at most"),
        ({"copies": Decimal("1730.5")}, "copies", "whole number"),
        ({}, "copies", "required"),
        ({"copies": " "}, "copies", "required"),
        ({"copies": "1730", "log10": "3.2"}, "log10", "not both"),
        ({"log10": "5,200"}, "log10", "thousands separator"),
        ({"log10": "11"}, "log10", "at most 10"),
        ({"log10": "-1"}, "log10", "at least 0"),
        ({"copies": "1730", "previous_copies": "1,000"}, "previous_copies", "digits only"),
        ({"copies": "1730", "previous_copies": "5", "previous_log10": "1"}, "previous_log10",
         "not both"),
    ],
)
def test_bad_input_names_the_field(params: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        viral_load(**params)
    assert caught.value.field == field
    assert words in caught.value.message


def test_measurement_without_input_is_none() -> None:
    assert measurement() is None


def test_registry_plain_data() -> None:
    plain = run("viral-load", {"copies": "6500", "previous_copies": "500"})
    assert plain["fold_change"] == 13
    assert plain["current"]["log10_display"] == 3.81
    assert [f["id"] for f in plain["flags"]] == ["zhang-2021-viremia", "schulz-2016-iii-pcr"]
    assert plain["flags"][1]["met"] is False


def test_cli() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["viral-load", "--copies", "6500", "--previous-copies", "500", "--json"],
                out, err) == 0
    assert json.loads(out.getvalue())["log10_change_display"] == 1.11
    out, err = io.StringIO(), io.StringIO()
    assert main(["viral-load", "--copies", "1,730"], out, err) == 2
    assert "copies" in err.getvalue()


@given(st.integers(min_value=1, max_value=10**10), st.integers(min_value=1, max_value=10**10))
def test_round_trips(current: int, previous: int) -> None:
    result = viral_load(copies=current, previous_copies=previous)
    assert result.current.log10 is not None and result.log10_change is not None
    back = measurement(log10=result.current.log10)
    assert back is not None and back.copies_per_ml_display == current
    assert result.fold_change is not None
    assert abs(result.fold_change * previous - current) <= Decimal(current) * Decimal("1e-26")
    assert (result.log10_change > 0) == (current > previous)
