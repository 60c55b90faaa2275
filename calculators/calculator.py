"""The description of one calculator: its name, title, function and fields.

Each calculator module defines ``CALCULATORS``, a tuple of :class:`Calculator`;
:mod:`calculators.registry` gathers them. The name is the command-line subcommand, the
``data-calculator`` attribute of the page's form, and the key the browser worker is called with.
A calculator whose answer depends on the institution's settings (a default rounding policy or
dosing weight, its own product) says so with ``uses_settings``; its function then takes them as
the keyword ``settings`` (:class:`calculators.settings.Settings`), which the registry passes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .fields import AnyField

__all__ = ["Calculator"]


@dataclass(frozen=True, slots=True)
class Calculator:
    name: str
    title: str
    function: Callable[..., Any]
    fields: tuple[AnyField, ...]
    uses_settings: bool = False
