"""What every calculator result has in common.

Results are frozen dataclasses of plain values (Decimal, date, str, tuples, nested results). Each
carries ``sources`` (keys of :data:`calculators.sources.SOURCES`) and ``warnings`` (sentences for
the clinician), and :meth:`Result.to_dict` turns it into JSON-ready data.
"""

from __future__ import annotations

from typing import Any

from .plain import to_plain

__all__ = ["Result", "unique"]


class Result:
    """Mixin for result dataclasses: ``to_dict()`` gives plain, JSON-ready data."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        plain: dict[str, Any] = to_plain(self)
        return plain


def unique(*groups: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Concatenate ``groups`` keeping the first of any repeat (for source keys and warnings)."""
    return tuple(dict.fromkeys(item for group in groups for item in group))
