"""calculators.fields and calculators.errors: parsing raw values, and errors naming the field."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from calculators.body_weight import WEIGHT_FIELD
from calculators.errors import InputError
from calculators.fields import ChoiceField, DateField, Field, FlagField, NumberField
from calculators.renal import CREATININE_UMOL_L_FIELD

WEIGHT = WEIGHT_FIELD  # kg, 0.5 to 300, also 'lb'/'lbs' (pound-definition)
DOSES = NumberField("doses", "Doses", unit="", minimum_exclusive=None, minimum=Decimal(1),
                    maximum=None, integer=True, default=Decimal(7))
ANY = NumberField("any", "Any", minimum_exclusive=None)
PLAIN = NumberField("plain", "Plain", optional=True)
ORGAN = ChoiceField("organ", "Organ", choices=(("kidney", "Kidney"), ("liver", "Liver")))
BASIS = ChoiceField("basis", "Basis", choices=(("actual", "Actual"),), default="actual")
DAY = DateField("day", "Day", earliest=date(2000, 1, 1), latest=date(2099, 12, 31))
MAYBE_DAY = DateField("maybe_day", "Maybe day", optional=True)
FLAG = FlagField("flag", "Flag")


def _error(field: NumberField | ChoiceField | DateField | FlagField, raw: object) -> InputError:
    with pytest.raises(InputError) as caught:
        field.parse(raw)
    assert caught.value.field == field.name
    assert caught.value.value is raw
    return caught.value


# --- Field -------------------------------------------------------------------------------------

def test_base_field() -> None:
    field = Field("x", "X", "a hint")
    with pytest.raises(NotImplementedError):
        _ = field.kind
    assert field.required
    assert field.is_missing(None) and field.is_missing("") and field.is_missing(" \t")
    assert not field.is_missing("0") and not field.is_missing(0) and not field.is_missing([])


# --- NumberField -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("raw", "kg"),
    [
        ("70", Decimal(70)),
        ("70.5", Decimal("70.5")),
        ("70,5", Decimal("70.5")),  # decimal comma
        (" 70 kg ", Decimal(70)),
        ("70KG", Decimal(70)),
        ("+70", Decimal(70)),
        (".5", Decimal("0.5")),
        (",5", Decimal("0.5")),
        ("5.", Decimal(5)),
        # pound-definition: 1 lb = 0.45359237 kg exactly; 154 x 0.45359237 = 69.85322498.
        ("154 lb", Decimal("69.85322498")),
        ("154 LBS", Decimal("69.85322498")),
        ("154lb", Decimal("69.85322498")),
        (70, Decimal(70)),
        (Decimal("70.25"), Decimal("70.25")),
        (70.1, Decimal("70.1")),  # the float's shortest text, not its binary expansion
        ("300", Decimal(300)),
    ],
)
def test_number_accepts(raw: object, kg: Decimal) -> None:
    value = WEIGHT.parse(raw)
    assert value == kg and isinstance(value, Decimal)


def test_pounds_are_exact() -> None:
    # pound-definition: 1 lb = 0.45359237 kg (exact).
    assert WEIGHT.parse("154 lb") == Decimal("69.85322498")
    assert str(WEIGHT.parse("2 lb")) == "0.90718474"  # 1 lb is below the 0.5 kg minimum


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("abc", "must be a number, such as 72.5 (got 'abc')"),
        ("nan", "must be a number"),
        ("NaN", "must be a number"),
        ("inf", "must be a number"),
        ("-inf", "must be a number"),
        ("1e309", "unknown unit 'e309'"),  # an exponent is not a number here
        ("1,000.5", "must be a number"),  # two separators
        ("70 kg extra", "must be a number"),
        ("70 st", "unknown unit 'st' (use kg or lb or lbs)"),
        ("-5", "must be at least 0.5 kg (got '-5')"),  # issue 13: was more than 0 kg
        ("0", "must be at least 0.5 kg"),
        ("0.0", "must be at least 0.5 kg"),
        ("0.49", "must be at least 0.5 kg (got '0.49'). Range: below 0.5 kg"),
        ("300.1", "must be at most 300 kg (got '300.1'); check the value and its unit."),
        ("700 lb", "at most 300 kg"),
        (True, "must be a number, not True"),
        (False, "must be a number, not False"),
        (float("nan"), "must be a finite number"),
        (float("inf"), "must be a finite number"),
        (Decimal("NaN"), "must be a finite number"),
        (Decimal("-Infinity"), "must be a finite number"),
        ([70], "must be a number, such as 72.5 (got '[70]')"),
        (object, "must be a number"),
    ],
)
def test_number_rejects(raw: object, words: str) -> None:
    error = _error(WEIGHT, raw)
    assert words in error.message
    assert error.message.startswith("Weight (kg)")


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_number_required(raw: object) -> None:
    assert _error(WEIGHT, raw).message == "Weight (kg) is required."


def test_number_default_integer_and_minimum() -> None:
    assert DOSES.parse(None) == 7 and DOSES.parse(" ") == 7
    assert DOSES.parse("3") == 3 and DOSES.parse(Decimal("3.0")) == 3
    assert not DOSES.required
    assert "must be a whole number (got '2.5')" in _error(DOSES, "2.5").message
    # An inclusive minimum, no exclusive one; no example, no unit in the messages.
    assert _error(DOSES, "0").message == "Doses must be at least 1 (got '0')."
    assert _error(DOSES, "x").message == "Doses must be a number (got 'x')."
    assert DOSES.parse("1000000") == 1000000  # no maximum


def test_number_without_bounds_and_optional() -> None:
    assert ANY.parse("-5") == -5 and ANY.parse("0") == 0
    assert PLAIN.parse_optional(None) is None and PLAIN.parse_optional(" ") is None
    assert PLAIN.parse_optional("2") == 2
    assert not PLAIN.required and WEIGHT.required
    # A unitless field names no unit it accepts.
    assert "unknown unit 'kg'" in _error(PLAIN, "2 kg").message


def test_long_bad_values_are_shortened() -> None:
    raw = "x" * 100
    error = _error(WEIGHT, raw)
    assert f"'{'x' * 37}...'" in error.message and raw not in error.message


def test_number_describe() -> None:
    plain = WEIGHT.describe()
    assert plain == {
        "name": "weight_kg", "label": "Weight (kg)",
        "hint": "Actual body weight; '154 lb' is converted.", "kind": "number", "required": True,
        "in_view": True,
        "unit": "kg", "minimum": "0.5", "minimum_exclusive": None, "maximum": "300",
        "example": "72.5", "other_units": ["lb", "lbs"], "integer": False, "default": None,
        # A form offers one name per conversion (pound-definition: 1 lb = 0.45359237 kg).
        "unit_choices": ["kg", "lb"], "unit_factors": {"lb": "0.45359237"},
        # Issue 13: the hard range's reason and the expected range, as data on the field.
        # The reasons as shown, their bounds filled in.
        "range_source": "", "range_reason": WEIGHT.range_why,
        "expected": {"low": "40", "high": "150", "reason": WEIGHT.expected.why, "source": ""},
    }
    assert "the sources give no weight range" in WEIGHT.range_why
    assert "below 0.5 kg or above 300 kg" in WEIGHT.range_why
    assert "below 40 kg" in WEIGHT.expected.why and "above 150 kg" in WEIGHT.expected.why
    plain = DOSES.describe()
    assert plain["unit_choices"] == []
    # Another spelling of the field's own unit is no choice to offer.
    assert CREATININE_UMOL_L_FIELD.describe()["unit_choices"] == []
    assert (plain["minimum"], plain["minimum_exclusive"], plain["maximum"], plain["default"]) == (
        "1", None, None, "7")
    assert plain["integer"] is True and plain["required"] is False


# --- ChoiceField -------------------------------------------------------------------------------

def test_choice() -> None:
    assert ORGAN.parse("kidney") == "kidney"
    assert ORGAN.parse(" Liver ") == "liver"
    assert ORGAN.kind == "choice" and ORGAN.required
    assert _error(ORGAN, None).message == "Organ is required."
    assert _error(ORGAN, " ").message == "Organ is required."
    assert _error(ORGAN, "lung").message == "Organ must be one of kidney, liver (got 'lung')."
    assert "got '1'" in _error(ORGAN, 1).message
    assert "must be one of kidney, liver (got '['kidney']')" in _error(ORGAN, ["kidney"]).message
    assert BASIS.parse(None) == "actual" and BASIS.parse("") == "actual"
    assert not BASIS.required


def test_choice_describe() -> None:
    assert ORGAN.describe() == {
        "name": "organ", "label": "Organ", "hint": "", "kind": "choice", "required": True,
        "in_view": True,
        "choices": [{"value": "kidney", "label": "Kidney"}, {"value": "liver", "label": "Liver"}],
        "default": None, "groups": [],
    }
    assert BASIS.describe()["default"] == "actual"


# --- DateField ---------------------------------------------------------------------------------

def test_date() -> None:
    assert DAY.parse("2026-01-31") == date(2026, 1, 31)
    assert DAY.parse(" 2026-01-31 ") == date(2026, 1, 31)
    assert DAY.parse(date(2026, 1, 31)) == date(2026, 1, 31)
    assert DAY.parse("2000-01-01") == date(2000, 1, 1)  # bounds are inclusive
    assert DAY.parse("2099-12-31") == date(2099, 12, 31)
    assert DAY.kind == "date" and DAY.required and not MAYBE_DAY.required
    assert DAY.parse_required("2026-01-31") == date(2026, 1, 31)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (None, "Day is required."),
        ("", "Day is required."),
        ("31/01/2026", "must be a date written YYYY-MM-DD, such as 2026-01-31 (got '31/01/2026')"),
        ("2026-02-30", "YYYY-MM-DD"),
        ("tomorrow", "YYYY-MM-DD"),
        (20260131, "Day must be a date (got '20260131')."),
        ("1999-12-31", "must be between 2000-01-01 and 2099-12-31 (got 1999-12-31)"),
        (date(2100, 1, 1), "(got 2100-01-01)"),
    ],
)
def test_date_rejects(raw: object, words: str) -> None:
    assert words in _error(DAY, raw).message


def test_optional_date() -> None:
    assert MAYBE_DAY.parse(None) is None and MAYBE_DAY.parse(" ") is None
    with pytest.raises(InputError) as caught:
        MAYBE_DAY.parse_required("")
    assert caught.value.field == "maybe_day"
    assert caught.value.message == "Maybe day is required."
    # Default bounds (issue 13: were 1900 to 2199).
    assert MAYBE_DAY.parse("2000-01-01") == date(2000, 1, 1)
    assert MAYBE_DAY.parse("2099-12-31") == date(2099, 12, 31)
    assert "between 2000-01-01 and 2099-12-31" in _error(MAYBE_DAY, "1999-12-31").message
    assert "between 2000-01-01 and 2099-12-31" in _error(MAYBE_DAY, "2100-01-01").message


def test_date_describe() -> None:
    assert DAY.describe() == {"name": "day", "label": "Day", "hint": "", "kind": "date",
                              "required": True, "in_view": True}


# --- FlagField ---------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [True, "true", "YES", " y ", "1", "on"])
def test_flag_true(raw: object) -> None:
    assert FLAG.parse(raw) is True


@pytest.mark.parametrize("raw", [None, False, "false", "No", "n", "0", "off", "", "  "])
def test_flag_false(raw: object) -> None:
    assert FLAG.parse(raw) is False


@pytest.mark.parametrize("raw", ["maybe", 1, 0, [True]])
def test_flag_rejects(raw: object) -> None:
    assert "Flag must be yes or no" in _error(FLAG, raw).message


def test_flag_kind() -> None:
    assert FLAG.kind == "flag" and not FLAG.required
    assert FLAG.describe()["kind"] == "flag"


# --- InputError --------------------------------------------------------------------------------

def test_input_error() -> None:
    error = InputError("weight_kg", 0, "Weight (kg) must be more than 0 kg.")
    assert isinstance(error, ValueError)
    assert str(error) == error.message == "Weight (kg) must be more than 0 kg."
    assert (error.field, error.value) == ("weight_kg", 0)
    assert error.as_plain() == {"field": "weight_kg", "value": "0",
                                "message": "Weight (kg) must be more than 0 kg."}



def test_datetime_is_read_as_its_date() -> None:
    # A datetime is a date too; it is read as its calendar day (it does not compare with one).
    from datetime import datetime

    assert DAY.parse(datetime(2026, 1, 31, 8, 0)) == date(2026, 1, 31)
    assert "(got 2100-01-01)" in _error(DAY, datetime(2100, 1, 1)).message


# --- issue 14: digits of other scripts and values too small to show -----------------------------


@pytest.mark.parametrize("raw", ["৪0", "٧٠", "７０", "𝟕𝟎", "7٠.5", "7０ kg", "1৪ lb"])
def test_only_ascii_digits(raw: str) -> None:
    # Bengali '৪' looks like 8 and is 4: '৪0' was read as 40 kg. Any non-ASCII digit is refused.
    error = _error(WEIGHT, raw)
    assert error.message == f"Weight (kg): type the number with the digits 0-9 only (got '{raw}')."


def test_decimal_comma_still_accepted() -> None:
    assert WEIGHT.parse("70,5") == Decimal("70.5") and WEIGHT.parse(" 154 lb ") > 69


@pytest.mark.parametrize("raw", ["0." + "0" * 400 + "1", "0.0004", "-0.0004", Decimal("1E-401")])
def test_values_that_would_show_as_zero_are_refused(raw: object) -> None:
    # '0.000…1' gave "Dosing weight: 0 kg" and 0 mg doses; a value the page would show as 0
    # (three decimals) is refused in every field, bounded below or not.
    for field in (WEIGHT, ANY):
        if field is WEIGHT and str(raw).startswith("-"):
            continue
        assert "is too small to be a real value" in _error(field, raw).message
    assert ANY.parse("0.0005") == Decimal("0.0005") and ANY.parse("0") == 0


# --- in view, grouped choices (issue 15) --------------------------------------------------------

def test_needed_fields_are_in_view_though_optional() -> None:
    optional = NumberField(name="crea", label="Creatinine", optional=True)
    needed = NumberField(name="crea", label="Creatinine", optional=True, needed=True)
    assert not optional.in_view and not optional.describe()["in_view"]
    assert needed.in_view and needed.describe()["in_view"] and not needed.required
    assert FlagField(name="f", label="F", needed=True).describe()["in_view"] is True
    assert FlagField(name="f", label="F").in_view is False
    assert ChoiceField(name="c", label="C", choices=(("a", "A"),)).in_view  # required


def test_choice_groups() -> None:
    grouped = ChoiceField(name="c", label="C", choices=(("a", "A"), ("b", "B"), ("c", "C")),
                          groups=(("Second", ("b",)), ("First", ("c", "a"))))
    assert grouped.describe()["groups"] == [
        {"label": "Second", "choices": [{"value": "b", "label": "B"}]},
        {"label": "First", "choices": [{"value": "c", "label": "C"}, {"value": "a", "label": "A"}]},
    ]
    for groups in ((("G", ("a",)),), (("G", ("a", "b", "b")),), (("G", ("a", "b", "x")),)):
        with pytest.raises(ValueError, match="c: groups must hold every choice exactly once"):
            ChoiceField(name="c", label="C", choices=(("a", "A"), ("b", "B")), groups=groups)


# --- Each plausibility figure stated once: the words name the field's own bounds (issue 12) ----

def _refusal(field: NumberField | DateField, raw: object) -> str:
    with pytest.raises(InputError) as caught:
        field.parse(raw)
    return caught.value.message


def test_a_range_reason_states_the_bounds_the_field_holds() -> None:
    """The reason for a field's bounds is filled in from the bounds themselves, so moving a bound
    moves the words: the message and the form's description never give another figure."""
    narrower = replace(WEIGHT_FIELD, minimum=Decimal(1), maximum=Decimal(250))
    message = _refusal(narrower, "260")
    assert "below 1 kg or above 250 kg is a typing or unit slip" in message
    assert "300" not in message
    assert "above 250 kg" in str(narrower.describe()["range_reason"])


def test_an_expected_range_reason_states_its_own_bounds() -> None:
    assert WEIGHT_FIELD.expected is not None
    field = replace(WEIGHT_FIELD, expected=replace(WEIGHT_FIELD.expected, high=Decimal(140)))
    warning = field.expectation_warning(Decimal(145))
    assert warning is not None and "above 140 kg check the weight" in warning
    assert "150" not in warning
    assert "above 140 kg" in str(field.describe()["expected"])


def test_a_date_range_reason_states_the_years_the_field_allows() -> None:
    field = DateField(name="day", label="Day", earliest=date(2010, 1, 1),
                      latest=date(2040, 12, 31))
    assert "a date outside 2010 to 2040 is a slip in the year" in _refusal(field, "2041-01-01")
