"""Turn results into plain JSON-ready data.

Results are frozen dataclasses holding :class:`~decimal.Decimal` and :class:`~datetime.date`
values. :func:`to_plain` converts them for the browser and the command line: dates become ISO
text, decimals become JSON numbers (an int when whole), tuples become lists. Nothing is rounded
here. Text that embeds a Decimal (``f"{weight} kg"``) gets it as ``str(Decimal)``, which switches
to E-notation for small or large exponents ("1E-7 kg"); every result passes here, so such a figure
is written out in positional notation here, once, and no screen shows E-notation.

A result field may name the facts it reports of the results it holds (:func:`reported`): the
prophylaxis and regimen schedules hold the same :class:`calculators.schedule.Dose` and each reports
its own columns of it, in its own order.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

__all__ = ["to_plain", "positional", "reported"]

# str(Decimal) in E-notation: a mantissa, then "E" and an exponent that always carries its sign.
_E_NOTATION = re.compile(r"(?<![\w.])[0-9]+(?:\.[0-9]+)?E[+-][0-9]+(?![\w.])")


def positional(text: str) -> str:
    """``text`` with every Decimal figure in E-notation written out ("1E-7" -> "0.0000001")."""
    if "E+" not in text and "E-" not in text:
        return text  # most text has no exponent: skip the search (the worker's hot path)
    return _E_NOTATION.sub(lambda match: f"{Decimal(match[0]):f}", text)


# The key of a dataclass field's metadata that names the facts reported of what it holds.
_REPORTED = "reported"


def reported(*names: str) -> dict[str, tuple[str, ...]]:
    """Field metadata: of the results held in this field, report only ``names``, in this order."""
    return {_REPORTED: names}


@cache
def _fields(kind: type) -> dict[str, tuple[str, ...] | None] | None:
    """The fields of dataclass ``kind`` (the class's mapping; no result declares a ClassVar), each
    with the facts it reports (:func:`reported`), or None if ``kind`` is no dataclass. Cached, as
    a class's fields never change: looking them up for every value was most of the time
    :func:`to_plain` took in the worker."""
    fields = getattr(kind, "__dataclass_fields__", None)
    if fields is None:
        return None
    return {name: field.metadata.get(_REPORTED) for name, field in fields.items()}


# Values JSON carries as they are (checked by exact type: the commonest leaves of a result).
_AS_IS = frozenset({int, float, bool, type(None)})


def to_plain(value: Any, names: tuple[str, ...] | None = None) -> Any:
    """Return ``value`` as nested dicts, lists, strings, ints and floats.

    ``names``: of a result (or of each result in a list), only these fields, in this order.
    """
    # Every result and display passes here, in the worker too: the commonest kinds first, by
    # exact type, then by isinstance for their subclasses.
    kind = type(value)
    if kind is str:
        return positional(value)
    if kind in _AS_IS:
        return value
    if kind is Decimal:
        return _number(value)
    if kind is list or kind is tuple:
        return [to_plain(v, names) for v in value]
    # Every class is hashable; typeshed gives type.__hash__ a signature Hashable does not match.
    fields = _fields(kind)  # type: ignore[arg-type]
    if fields is not None:
        return {name: to_plain(getattr(value, name), fields[name]) for name in (names or fields)}
    if isinstance(value, str):
        return positional(value)
    if isinstance(value, (list, tuple)):
        return [to_plain(v, names) for v in value]
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value


def _number(value: Decimal) -> int | float:
    """A decimal as JSON carries it: an int when whole, else the float nearest to it."""
    if value == value.to_integral_value():
        return int(value)
    # float(Decimal) is correctly rounded; short decimals such as 10518.45 survive exactly in
    # their shortest repr, which is what JSON carries.
    return float(value)
