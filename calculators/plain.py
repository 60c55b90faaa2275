"""Turn results into plain JSON-ready data.

Results are frozen dataclasses holding :class:`~decimal.Decimal` and :class:`~datetime.date`
values. :func:`to_plain` converts them for the browser and the command line: dates become ISO
text, decimals become JSON numbers (an int when whole), tuples become lists. Nothing is rounded
here. Text that embeds a Decimal (``f"{weight} kg"``) gets it as ``str(Decimal)``, which switches
to E-notation for small or large exponents ("1E-7 kg"); every result passes here, so such a figure
is written out in positional notation here, once, and no screen shows E-notation.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from decimal import Decimal
from typing import Any

__all__ = ["to_plain", "positional"]

# str(Decimal) in E-notation: a mantissa, then "E" and an exponent that always carries its sign.
_E_NOTATION = re.compile(r"(?<![\w.])[0-9]+(?:\.[0-9]+)?E[+-][0-9]+(?![\w.])")


def positional(text: str) -> str:
    """``text`` with every Decimal figure in E-notation written out ("1E-7" -> "0.0000001")."""
    return _E_NOTATION.sub(lambda match: f"{Decimal(match[0]):f}", text)


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
    if isinstance(value, str):
        return positional(value)
    return value
