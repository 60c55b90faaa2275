"""The Hypothesis properties run without coverage's tracer.

They run every example as before and fail as before; only their lines are not counted towards
the 100 % branch coverage of ``calculators/``, which the unit tests reach on their own. Traced,
these files took 94 s of processor time, untraced 41 s (measured 2026-11-29 on the 2-core CI
machine, one after the other): on two cores, about half a minute of every test run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """pytest-cov's ``no_cover`` marker on every test of this folder (a conftest's hook sees the
    whole session's items, hence the filter)."""
    for item in items:
        if Path(item.path).is_relative_to(HERE):
            item.add_marker(pytest.mark.no_cover)
