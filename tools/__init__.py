"""Tools that measure the built site and are no part of building it.

- :mod:`tools.bench` -- the benchmark of the shipped site (``./dev bench``): start-up, recompute
  and page weight in Chromium, against bare Pyodide, with Lighthouse (its own npm lock in
  ``tools/bench/``).
"""
