"""The description of one calculator: its name, title, function and fields.

Each calculator module defines ``CALCULATORS``, a tuple of :class:`Calculator`;
:mod:`calculators.registry` gathers them. The name is the command-line subcommand, the
``data-calculator`` attribute of the page's form, and the key the browser worker is called with.
A calculator whose answer depends on the institution's settings (a default rounding policy or
dosing weight, its own product) says so with ``uses_settings``; its function then takes them as
the keyword ``settings`` (:class:`calculators.settings.Settings`), which the registry passes.

``example`` is one valid, clinically ordinary input, as a form or the command line gives it
(field name -> text): the end-to-end tests and the screenshots compute with it, so a new
calculator is tested in the browser without restating its inputs there. It is read-only.

``listing`` is how the site's Calculators page lists it (:class:`Listing`): that page's table is
drawn from the registry, so a new calculator is listed, with its sources, without editing a page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .fields import AnyField

__all__ = ["Calculator", "Cite", "Listing"]


@dataclass(frozen=True, slots=True)
class Cite:
    """A source a calculator rests on: a key of :data:`calculators.sources.SOURCES`, and where in
    it (a section), when the whole source would be too broad."""

    key: str
    locator: str | None = None


@dataclass(frozen=True, slots=True)
class Listing:
    """A calculator's row on the Calculators page: a short name, what it gives, its sources."""

    name: str
    gives: str
    cites: tuple[Cite, ...]


@dataclass(frozen=True, slots=True)
class Calculator:
    name: str
    title: str
    function: Callable[..., Any]
    fields: tuple[AnyField, ...]
    uses_settings: bool = False
    example: Mapping[str, str] = field(kw_only=True)
    listing: Listing = field(kw_only=True)

    def __post_init__(self) -> None:
        # Frozen like the rest of the description: no caller can change another's example.
        object.__setattr__(self, "example", MappingProxyType(dict(self.example)))
