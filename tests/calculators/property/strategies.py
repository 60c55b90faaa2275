"""Hypothesis strategies built from the calculators' own field definitions.

Every strategy reads :data:`calculators.registry.CALCULATORS`, so a calculator added later is
covered without touching these tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from hypothesis import strategies as st

from calculators import settings
from calculators.fields import AnyField, ChoiceField, DateField, FlagField, NumberField
from calculators.registry import CALCULATORS

# A custom product as an institution might configure it (small, so vial searches stay quick).
CUSTOM_PRODUCT = {"name": "Local CMV-IG", "mg_per_ml": "50", "units_per_ml": "100",
                  "vial_ml": [10, 50]}
WITH_CUSTOM_PRODUCT = settings.parse({"custom_product": CUSTOM_PRODUCT})

# Every setting an institution may configure, as it would write them in config.yml: rounding
# policy, tolerance (0 to 10 %, HOPA), dosing weight, a custom product with or without units and
# a label maximum. Each key may be left out (the default applies).
tolerances = st.decimals(min_value=Decimal(0), max_value=settings.MAX_TOLERANCE_PCT, places=2)
custom_products = st.fixed_dictionaries(
    {"name": st.just("Local CMV-IG"),
     "mg_per_ml": st.sampled_from(["50", "100", "62.5"]),
     "vial_ml": st.lists(st.sampled_from([5, 10, 20, 25, 50, 100]), min_size=1, max_size=2,
                         unique=True)},
    optional={"units_per_ml": st.sampled_from(["100", "200"]),
              "label_max_mg_per_kg": st.sampled_from(["100", "150", "400"])})
institution_settings = st.fixed_dictionaries(
    {},
    optional={"rounding": st.sampled_from(["none", "up", "nearest"]),
              "rounding_tolerance_pct": tolerances.map(str),
              "weight_basis": st.sampled_from(["actual", "ideal", "adjusted"]),
              "custom_product": custom_products})
any_settings = institution_settings.map(settings.parse)

# Text that looks like what people type: numbers with separators, units, exponents, signs.
_NUMBERISH = st.from_regex(
    r"\A\s?[+-]?\d{0,6}([.,]\d{0,4})?\s?(kg|KG|lb|lbs|mg|U|u|mL|ml|in|cm|m|%|e\d{1,4}|x)?\s?\Z")
_WORDS = st.sampled_from(["", " ", "nan", "NaN", "inf", "-inf", "Infinity", "1e309", "-0",
                          "1,000.5", "154 lb", "0x10", "2026-02-30", "2026-01-01", "yes", "no",
                          "true", "on", "None", "null", "\x00", "٧٠", "７０", "²", "1_000"])

_EXTREMES = st.sampled_from([Decimal("sNaN"), Decimal("-Infinity"), Decimal("1E+400"),
                             Decimal("1E-400"), 10**400, -(10**30), 1e308, -0.0, 5e-324])
# Not datetimes: DateField.parse raises TypeError on them, a reported defect with its own
# expected-failure test (tests/calculators/test_fields.py).


def _scalars(values: list[str]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
        st.decimals(), st.dates(), _NUMBERISH, _WORDS, _EXTREMES,
        *([st.sampled_from(values)] if values else []),
    )


def _junk(values: list[str]) -> st.SearchStrategy[Any]:
    return st.recursive(
        _scalars(values),
        lambda inner: st.one_of(st.lists(inner, max_size=3), st.tuples(inner),
                                st.dictionaries(st.text(max_size=5), inner, max_size=3),
                                st.sets(st.integers(), max_size=2), st.just(object())),
        max_leaves=5,
    )


def _valid_texts(field: AnyField) -> list[str]:
    """Valid-looking raw values for ``field``, so junk sometimes reaches deeper code."""
    if isinstance(field, ChoiceField):
        return [value for value, _ in field.choices]
    if isinstance(field, DateField):
        return ["2026-01-01", "2026-02-28"]
    if isinstance(field, FlagField):
        return ["yes", "no"]
    bound = field.maximum if field.maximum is not None else Decimal(100)
    return [str(bound), str(bound / 2), "1"]


@cache  # one strategy per calculator: building them is the slow part
def any_params(name: str) -> st.SearchStrategy[dict[str, Any]]:
    """Anything at all for each of the calculator's fields (some left out), plus rare extra keys."""
    fields = CALCULATORS[name].fields
    # Half the time a value the field accepts, so the junk in other fields reaches deeper code.
    chosen = st.fixed_dictionaries(
        {}, optional={f.name: st.one_of(valid_value(f), _junk(_valid_texts(f))) for f in fields})
    extras = st.one_of(st.just({}), st.dictionaries(st.text(max_size=8), _junk([]), max_size=2))
    return st.builds(lambda a, b: {**b, **a}, chosen, extras)


def _number(field: NumberField) -> st.SearchStrategy[Any]:
    low = field.minimum
    if field.minimum_exclusive is not None and (low is None or low <= field.minimum_exclusive):
        low = field.minimum_exclusive + (1 if field.integer else Decimal("0.01"))
    low = Decimal(0) if low is None else low
    high = field.maximum if field.maximum is not None else low + 1000
    if field.integer:
        values: st.SearchStrategy[Any] = st.integers(int(low), int(high))
    else:
        values = st.decimals(min_value=low, max_value=high, places=2, allow_nan=False,
                             allow_infinity=False)
    return st.one_of(values, values.map(str))


def _date(field: DateField) -> st.SearchStrategy[Any]:
    # Within the field's bounds, kept to a century so dates after them stay representable.
    earliest = max(field.earliest, date(1950, 1, 1))
    latest = min(field.latest, date(2150, 12, 31))
    days = st.dates(min_value=earliest, max_value=max(earliest, latest))
    return st.one_of(days, days.map(date.isoformat))


def valid_value(field: AnyField) -> st.SearchStrategy[Any]:
    """A value that ``field`` on its own accepts (other fields may still disagree with it)."""
    if isinstance(field, NumberField):
        strategy = _number(field)
    elif isinstance(field, ChoiceField):
        strategy = st.sampled_from([value for value, _ in field.choices])
    elif isinstance(field, DateField):
        strategy = _date(field)
    else:
        strategy = st.booleans()
    return strategy if field.required else st.one_of(st.none(), strategy)


@cache
def valid_params(name: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({f.name: valid_value(f) for f in CALCULATORS[name].fields})


def dose_lists(result: Any) -> Iterator[list[Any]]:
    """Every list under a ``doses`` key anywhere in a plain result."""
    if isinstance(result, dict):
        for key, value in result.items():
            if key == "doses" and isinstance(value, list):
                yield value
            yield from dose_lists(value)
    elif isinstance(result, list):
        for item in result:
            yield from dose_lists(item)


__all__ = ["CUSTOM_PRODUCT", "WITH_CUSTOM_PRODUCT", "tolerances", "custom_products",
           "institution_settings", "any_settings", "any_params", "valid_params", "valid_value",
           "dose_lists"]
