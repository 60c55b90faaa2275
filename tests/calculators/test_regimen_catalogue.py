"""calculators.regimen_catalogue: the regimens as data, against the sources' own words.

Every quote is checked word for word against the seed documents (where they are on this machine);
every source key is registered; every regimen has two worked golden cases (golden/<source>.json);
and the catalogue stays data: a regimen is added by writing data, not code.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

from calculators import regimen_catalogue
from calculators.regimen_catalogue import REGIMENS, Regimen
from calculators.sources import SOURCES
from tests.conftest import SEEDS, golden_cases

PACKAGE = Path(regimen_catalogue.__file__).parent
SEED_FILES = {"schulz-2016": "000_", "cmvig-monograph": "001_", "zhang-2021": "002_"}


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _seed_text(source: str) -> str:
    matches = sorted(SEEDS.glob(f"{SEED_FILES[source]}*.txt"))
    if not matches:
        pytest.skip("the seed documents are not on this machine")
    return _flat(matches[0].read_text(encoding="utf-8"))


def _quotes() -> list[Any]:
    found = []
    for regimen in REGIMENS.values():
        quotes = list(regimen.wording) + [option.quote for option in regimen.options]
        for index, quote in enumerate(quotes):
            found.append(pytest.param(quote.source, quote.text, id=f"{regimen.id}-{index}"))
    return found


@pytest.mark.parametrize(("source", "text"), _quotes())
def test_every_quote_is_the_sources_wording(source: str, text: str) -> None:
    seed = _seed_text(source)
    # PDF line breaks split words with "- "; the quote may join them ("posi- tive").
    joined = re.sub(r"(\w)- (\w)", r"\1\2", seed)
    assert _flat(text) in seed or _flat(text) in joined


def test_sources_are_known_keys() -> None:
    for regimen in REGIMENS.values():
        assert set(regimen.sources) | set(regimen.cites) <= set(SOURCES), regimen.id
        assert {quote.source for quote in regimen.wording} <= set(regimen.sources), regimen.id


def test_every_regimen_has_two_worked_golden_cases() -> None:
    worked: dict[str, int] = {}
    for _, case in golden_cases():
        if case["calculator"] == "regimen" and "expect" in case:
            worked[case["input"]["regimen"]] = worked.get(case["input"]["regimen"], 0) + 1
    assert [regimen_id for regimen_id in REGIMENS if worked.get(regimen_id, 0) < 2] == []


@pytest.mark.parametrize("regimen", REGIMENS.values(), ids=lambda r: r.id)
def test_evidence_quote_is_the_sources_wording(regimen: Regimen) -> None:
    test_every_quote_is_the_sources_wording(regimen.evidence.quote.source,
                                            regimen.evidence.quote.text)


def test_the_regimen_catalogue_is_data_only() -> None:
    """The catalogue defines no functions and imports nothing that works out a dose: adding a
    regimen is adding data."""
    tree = ast.parse((PACKAGE / "regimen_catalogue.py").read_text(encoding="utf-8"))
    functions = [node.name for node in tree.body
                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    assert functions == []
    assert not any(isinstance(node, ast.Import) for node in tree.body)
    imported = {(node.module, alias.name) for node in tree.body
                if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert imported <= {("__future__", "annotations"), ("dataclasses", "dataclass"),
                        ("decimal", "Decimal"), ("schedule", "FIXED_MG"), ("schedule", "MG_PER_KG"),
                        ("schedule", "UNITS_PER_KG"), ("schedule", "Step"), ("schedule", "every"),
                        ("schedule", "on_days")}
    # And the calculator holds no regimen data.
    calculator = ast.parse((PACKAGE / "regimens.py").read_text(encoding="utf-8"))
    assert not any(isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                   and node.func.id == "Regimen" for node in ast.walk(calculator))
    assert all(regimen.steps or regimen.until_conversion
               for regimen in REGIMENS.values())
