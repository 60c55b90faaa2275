"""What a result shows, as data: the blocks the page's one generic renderer draws.

Each calculator's result presents itself (:class:`Presentable`) as a tuple of blocks, which
:func:`calculators.presenters.present` shows in the order a clinician reads them: the answer box,
the hazards, the detail (tables, lines, lists), the quiet notes, the sources and how it was
calculated. Every figure in a block is already text, shown with :mod:`calculators.display`'s
precision, so the page adds no formula, constant or wording of its own; it only turns the blocks
into HTML (``site_src/javascripts/calculators.js``):

- :class:`Box`: a ``<div class="cmvig-STYLE">`` with one ``<p>`` per line (the answer, the
  warnings);
- :class:`Line`: one ``<p>`` (with ``class="cmvig-STYLE"`` when it has a style);
- :class:`Items`: a ``<ul>``, under a heading when it has one;
- :class:`Table`: a captioned table whose columns say which figures a phone's card leads with;
- :class:`Folded`: a ``<details>`` holding more blocks (the print sheet unfolds it);
- :class:`Sources`: the source keys, linked to the references page by the page itself.

Inline text is a tuple of parts: plain strings, or :class:`Text` for a figure marked with its
quantity (``data-quantity``: mg, ml, vials, rate), a bold lead-in, or a date (``<time>``).
:func:`warning_blocks` and :func:`note_blocks` are the hazards and the notes, drawn alike for
every result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol, runtime_checkable

__all__ = ["Text", "Part", "Box", "Line", "Items", "Column", "Row", "Total", "Table", "Folded",
           "Sources", "Block", "Presentable", "strong", "figure_of", "when", "warning_blocks",
           "note_blocks"]


@dataclass(frozen=True, slots=True)
class Text:
    """A run of inline text: a figure of ``quantity``, bold (``strong``) or a date (``date``,
    ISO)."""

    text: str
    quantity: str | None = None
    strong: bool = False
    date: str | None = None


Part = str | Text


def strong(text: str) -> Text:
    """Bold text, such as a line's lead-in ("Warning: ")."""
    return Text(text, strong=True)


def figure_of(quantity: str, text: str) -> Text:
    """``text`` marked as a figure of ``quantity`` (mg, ml, vials, rate)."""
    return Text(text, quantity=quantity)


def when(day: date, text: str) -> Text:
    """``text`` as the date ``day``."""
    return Text(text, date=day.isoformat())


@dataclass(frozen=True, slots=True)
class Box:
    style: str  # "answer", "warnings"
    lines: tuple[tuple[Part, ...], ...]
    kind: str = "box"


@dataclass(frozen=True, slots=True)
class Line:
    parts: tuple[Part, ...]
    style: str | None = None  # "basis", "rule", "evidence", "how"
    kind: str = "line"


@dataclass(frozen=True, slots=True)
class Items:
    items: tuple[tuple[Part, ...], ...]
    style: str | None = None  # "notes", "flags", "quotes"
    heading: str | None = None
    kind: str = "items"


@dataclass(frozen=True, slots=True)
class Column:
    """A table column. ``quantity`` marks the figures a phone's card shows first, ``lead`` the
    cells that name the row, ``wide`` text that takes a card's whole width."""

    head: str
    numeric: bool = False
    quantity: str | None = None
    lead: bool = False
    wide: bool = False


@dataclass(frozen=True, slots=True)
class Row:
    """A table row. ``key``: how a recompute finds it again (a dose's number); ``dose_mg``: a
    dose row's exact dose (the DOM contract's ``data-dose-mg``); ``marked``: this patient's row."""

    cells: tuple[tuple[Part, ...], ...]
    key: str | None = None
    dose_mg: Decimal | None = None
    marked: bool = False


@dataclass(frozen=True, slots=True)
class Total:
    """A table's total row: ``label`` across the first ``span`` columns, then one cell for each
    column after them."""

    label: str
    span: int
    cells: tuple[tuple[Part, ...], ...]


@dataclass(frozen=True, slots=True)
class Table:
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    total: Total | None = None
    kind: str = "table"


@dataclass(frozen=True, slots=True)
class Folded:
    style: str  # "rate-plans"
    summary: str
    blocks: tuple[Table, ...]
    kind: str = "folded"


@dataclass(frozen=True, slots=True)
class Sources:
    keys: tuple[str, ...]
    kind: str = "sources"


Block = Box | Line | Items | Table | Folded | Sources


@runtime_checkable
class Presentable(Protocol):
    """A result that presents itself: what every calculator's result type provides, so that
    :mod:`calculators.presenters` shows any of them without naming one.

    - ``warnings``: the result's own hazards, for the clinician to act on;
    - ``blocks(hazards)``: what the page shows of the result, in order, ``hazards`` (the inputs
      outside their expected range, then the result's own warnings) near the top;
    - ``explanation()``: how the result was calculated, the formula with its numbers, written
      from the constants the calculation itself uses, so it can never state another rule than
      the one that ran.
    """

    @property
    def warnings(self) -> tuple[str, ...]: ...

    def blocks(self, hazards: Sequence[str]) -> tuple[Block, ...]: ...

    def explanation(self) -> str: ...


def warning_blocks(warnings: Sequence[str]) -> tuple[Block, ...]:
    """The hazards, in one style that stands out; nothing when there are none."""
    if not warnings:
        return ()
    return (Box("warnings", tuple((strong("Warning: "), warning) for warning in warnings)),)


def note_blocks(notes: Sequence[str]) -> tuple[Block, ...]:
    """Notes true of this answer, quiet, at the end; nothing when there are none."""
    return (Items(tuple((note,) for note in notes), "notes", "Notes"),) if notes else ()
