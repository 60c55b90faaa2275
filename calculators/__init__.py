"""CMVIG Guide calculators: the one tested core behind every number on the site.

Standard library only; runs unchanged in CPython >= 3.12 and in Pyodide. No module keeps state:
the institution's settings are a value the caller passes (``run(name, params, settings)``).

Foundations
- :mod:`calculators.errors` -- :class:`InputError`, the one error type, naming the bad field.
- :mod:`calculators.fields` -- input definitions (label, unit, bounds, choices) and parsing.
- :mod:`calculators.rounding` -- rounding in one place, to stated steps; formulas stay exact.
- :mod:`calculators.display` -- the precision each quantity is shown with, stated once.
- :mod:`calculators.sources` -- the sources every dosing number cites.
- :mod:`calculators.products` -- products as data (concentration, vials, label maximum).
- :mod:`calculators.settings` -- the institution's settings as a value (custom product, defaults).
- :mod:`calculators.results` -- what every calculator result has in common.

Doses and schedules
- :mod:`calculators.body_weight` -- dosing weight: actual, ideal (Devine) or adjusted, and BMI.
- :mod:`calculators.vials` -- vials for a dose under a rounding policy (the only rounding of doses).
- :mod:`calculators.schedule` -- the one schedule engine: a rule's steps as dated doses (one
  ``Dose`` type) with their vials, for prophylaxis and regimens alike.
- :mod:`calculators.prophylaxis` -- the labelled prophylaxis schedules.
- :mod:`calculators.regimen_catalogue` -- the treatment regimens the sources report, as data only.
- :mod:`calculators.regimens` -- a regimen from the catalogue as a dated schedule for one patient.
- :mod:`calculators.infusion` -- infusion-rate plans, step by step, from the product labels.
- :mod:`calculators.units` -- an amount of a product between mg, units (U) and mL.

Other questions
- :mod:`calculators.renal` -- creatinine clearance and the ganciclovir/valganciclovir rows.
- :mod:`calculators.viral_load` -- CMV viral load: copies/mL, log10, change, thresholds.
- :mod:`calculators.hsct` -- the ATG dose group and CMV-IVIG start of Zhang et al. 2021.
- :mod:`calculators.criteria` -- when to consider CMVIG (Schulz et al. 2016).

Reaching them
- :mod:`calculators.calculator` -- one calculator described: name, title, function, fields,
  example input, and its listing on the Calculators page.
- :mod:`calculators.registry` -- calculators by name, from every module that defines them;
  :func:`run` with raw inputs and settings.
- :mod:`calculators.plain` -- results as plain JSON-ready data.
- :mod:`calculators.layout` -- what a result shows, as blocks the page's one renderer draws,
  and ``Presentable``: each result type draws itself, in its own module.
- :mod:`calculators.presenters` -- any result as those blocks, and how it was calculated.
- :mod:`calculators.browser` -- JSON-in/JSON-out entry point for the page's Web Worker.
- ``python -m calculators`` -- the command line.
"""

from .errors import InputError
from .prophylaxis import prophylaxis_schedule
from .registry import run

__version__ = "0.1.0"

__all__ = ["InputError", "prophylaxis_schedule", "run", "__version__"]
