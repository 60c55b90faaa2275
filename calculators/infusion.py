"""Placeholder: being written (issue 3). Defines no calculator yet."""

from __future__ import annotations

from .calculator import Calculator

CALCULATORS: tuple[Calculator, ...] = ()
