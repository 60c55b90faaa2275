"""calculators.plain and calculators.results: results as JSON-ready data; merged sources."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from calculators.plain import reported, to_plain
from calculators.results import Result, unique


@dataclass(frozen=True, slots=True)
class Inner(Result):
    ml: Decimal


@dataclass(frozen=True, slots=True)
class Outer(Result):
    when: date
    parts: tuple[Inner, ...]
    extra: dict[str, object]
    label: str
    maybe: Decimal | None
    flag: bool
    sources: tuple[str, ...]
    warnings: tuple[str, ...]


def test_decimals() -> None:
    assert to_plain(Decimal(70)) == 70 and type(to_plain(Decimal(70))) is int
    assert type(to_plain(Decimal("70.0"))) is int
    assert to_plain(Decimal("1E+3")) == 1000 and type(to_plain(Decimal("1E+3"))) is int
    assert to_plain(Decimal("-0.0")) == 0
    # Short decimals survive exactly as their shortest float repr.
    assert to_plain(Decimal("10518.45")) == 10518.45
    assert repr(to_plain(Decimal("69.85322498"))) == "69.85322498"
    assert type(to_plain(Decimal("0.5"))) is float


def test_other_values() -> None:
    assert to_plain(date(2026, 1, 31)) == "2026-01-31"
    assert to_plain((1, [Decimal("2.5"), ("a",)])) == [1, [2.5, ["a"]]]
    assert to_plain({1: Decimal(2), "b": (date(2026, 1, 1),)}) == {"1": 2, "b": ["2026-01-01"]}
    for value in (None, True, "text", 3, 1.5):
        assert to_plain(value) is value
    # A dataclass type (not an instance) is returned as it is.
    assert to_plain(Inner) is Inner


def test_subclasses_are_converted_as_their_base_class() -> None:
    # to_plain takes exact types first (the worker's hot path); a subclass (an enum of text, a
    # named tuple, a decimal of its own) must come out as its base class does.
    class Note(StrEnum):
        TRACE = "1E-7 kg"

    class Pair(NamedTuple):
        low: Decimal
        high: Decimal

    class Dose(Decimal):
        pass

    assert to_plain(Note.TRACE) == "0.0000001 kg"
    assert to_plain(Pair(Decimal("0.5"), Decimal(2))) == [0.5, 2]
    assert to_plain(Dose("12.5")) == 12.5 and type(to_plain(Dose("12"))) is int
    assert json.dumps(to_plain([Note.TRACE, Dose("1E+1")])) == '["0.0000001 kg", 10]'


def test_results_to_dict() -> None:
    result = Outer(when=date(2026, 1, 1), parts=(Inner(Decimal("10.5")), Inner(Decimal(50))),
                   extra={"k": Decimal("0.1")}, label="x", maybe=None, flag=False,
                   sources=("cytogam-label",), warnings=())
    plain = result.to_dict()
    assert plain == {"when": "2026-01-01", "parts": [{"ml": 10.5}, {"ml": 50}],
                     "extra": {"k": 0.1}, "label": "x", "maybe": None, "flag": False,
                     "sources": ["cytogam-label"], "warnings": []}
    assert json.loads(json.dumps(plain)) == plain
    assert Inner(Decimal(1)).to_dict() == {"ml": 1}


def test_unique() -> None:
    assert unique(("a", "b"), ["b", "c"], ("a",)) == ("a", "b", "c")
    assert unique() == ()
    assert unique(("hopa-rounding",), ()) == ("hopa-rounding",)


def test_no_figure_in_e_notation() -> None:
    # str(Decimal) writes "1E-7" and "5E+3"; a result's text shows them written out (issue 14).
    tiny, large = Decimal("0.0000001"), Decimal(5000).normalize()
    assert f"{tiny} kg" == "1E-7 kg" and f"{large}" == "5E+3"
    line = f"at {tiny} kg: {large} mg, {Decimal('1.25E-8')} mL"
    plain = to_plain({"line": line, "kept": "1E5 CMV-1E+"})
    assert plain == {"line": "at 0.0000001 kg: 5000 mg, 0.0000000125 mL", "kept": "1E5 CMV-1E+"}


@dataclass(frozen=True, slots=True)
class Shown(Result):
    parts: tuple[Outer, ...] = field(metadata=reported("label", "when"))
    whole: Outer | None = None


def test_a_field_reports_only_the_facts_it_names_in_its_order() -> None:
    outer = Outer(when=date(2026, 1, 5), parts=(Inner(Decimal(2)),), extra={}, label="a",
                  maybe=None, flag=True, sources=(), warnings=())
    plain = Shown(parts=(outer, outer), whole=outer).to_dict()
    assert [list(part.items()) for part in plain["parts"]] == [
        [("label", "a"), ("when", "2026-01-05")]] * 2
    # Elsewhere the same result is given whole, in its own order.
    assert list(plain["whole"]) == ["when", "parts", "extra", "label", "maybe", "flag",
                                    "sources", "warnings"]
