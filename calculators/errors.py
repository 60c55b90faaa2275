"""The one error type of the calculators.

Every bad input raises :class:`InputError`. It subclasses :class:`ValueError` (so plain
``except ValueError`` still works) and keeps the offending ``field`` and ``value`` so that a form
can put the message next to the right input, and the command line can name the flag.
"""

from __future__ import annotations

__all__ = ["InputError"]


class InputError(ValueError):
    """A value given to a calculator is missing, malformed or out of range.

    ``field`` is the parameter name (``weight_kg``), ``value`` what was given, and ``message`` a
    sentence a clinician can act on, naming the field in words ("Weight (kg) must be ...").
    """

    def __init__(self, field: str, value: object, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.value = value
        self.message = message

    def as_plain(self) -> dict[str, str]:
        """The error as JSON-ready data, for the browser worker and the command line."""
        return {"field": self.field, "value": str(self.value), "message": self.message}
