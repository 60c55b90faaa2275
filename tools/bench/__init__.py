"""The benchmark of the shipped site (``./dev bench``, ``python -m tools.bench``): how long users
wait, measured in Debian's Chromium against bare Pyodide. A benchmark, not a test: nothing here
fails on a slow number. Lighthouse has its own pinned npm lock in this folder
(``package.json``, ``package-lock.json``; ``npm ci --prefix tools/bench``).

- ``python -m tools.bench`` (:mod:`tools.bench.__main__`) -- build, serve, measure, report.
- :mod:`tools.bench.server` -- the built site as the local server serves it, plus the floor page
  (``floor/``: bare Pyodide evaluating ``1+1``).
- :mod:`tools.bench.measure` -- what users wait for, in Chromium through Playwright.
- :mod:`tools.bench.lighthouse` -- Lighthouse scores (mobile preset).
- :mod:`tools.bench.levers` -- the start-up levers, one at a time (``--levers``; with
  ``startup_probe.mjs``).
- :mod:`tools.bench.report` -- the machine, summaries, budgets and the README's table.
"""
