"""CMVIG Guide calculators: the one tested core behind every number on the site.

Standard library only; runs unchanged in CPython >= 3.12 and in Pyodide.

- :mod:`calculators.errors` -- :class:`InputError`, the one error type, naming the bad field.
- :mod:`calculators.fields` -- input definitions (label, unit, bounds, choices) and parsing.
- :mod:`calculators.sources` -- the sources every dosing number cites.
- :mod:`calculators.products` -- products as data (concentration, vials).
- :mod:`calculators.prophylaxis` -- the CytoGam label prophylaxis schedule.
- :mod:`calculators.registry` -- calculators by name; :func:`run` with raw inputs.
- :mod:`calculators.browser` -- JSON-in/JSON-out entry point for the page's Web Worker.
- ``python -m calculators`` -- the command line.
"""

from .errors import InputError
from .prophylaxis import prophylaxis_schedule
from .registry import run

__version__ = "0.1.0"

__all__ = ["InputError", "prophylaxis_schedule", "run", "__version__"]
