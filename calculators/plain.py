"""Turn results into plain JSON-ready data.

Results are frozen dataclasses holding :class:`~decimal.Decimal` and :class:`~datetime.date`
values. :func:`to_plain` converts them for the browser and the command line: dates become ISO
text, decimals become JSON numbers (an int when whole), tuples become lists. Nothing is rounded
here.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

__all__ = ["to_plain"]


def to_plain(value: Any) -> Any:
    """Return ``value`` as nested dicts, lists, strings, ints and floats."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        # float(Decimal) is correctly rounded; short decimals such as 10518.45 survive exactly
        # in their shortest repr, which is what JSON carries.
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
