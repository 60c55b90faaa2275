"""How any result is shown, and how it was calculated, in the core's own words.

:func:`present` turns a calculator's result into the blocks of :mod:`calculators.layout`, which
the page draws with one generic renderer: the answer a nurse acts on first, then the hazards
(the inputs outside their expected range, then the result's own warnings), the detail, the quiet
notes, the sources and a "how this was calculated" line. :func:`explanation` is that line: the
formula with this result's numbers in it, written from the constants the calculation itself
uses (the Devine weights, the adjustment factor, the strength of the product, the label's cap),
so it can never state another rule than the one that ran.

Each result type draws itself, in its own module (:class:`calculators.layout.Presentable`: its
``blocks`` and its ``explanation``), so no calculator is named here and a new calculator is its
own module only. Figures are shown with :mod:`calculators.display`.
"""

from __future__ import annotations

from collections.abc import Sequence

from .layout import Block, Line, Presentable, strong

__all__ = ["present", "explanation"]


def explanation(result: Presentable) -> str:
    """How ``result`` was calculated: the formula with its numbers, from the calculation's own
    constants."""
    return result.explanation()


def present(result: Presentable, input_warnings: Sequence[str] = ()) -> tuple[Block, ...]:
    """What the page shows of ``result``, in order; ``input_warnings`` (inputs outside their
    expected range) lead its hazards."""
    blocks = result.blocks((*input_warnings, *result.warnings))
    how = Line((strong("How this was calculated: "), explanation(result)), "how")
    return (*blocks, how)
