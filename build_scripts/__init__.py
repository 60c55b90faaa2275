"""The site generator: ``site_src/`` -> Jinja2 -> ``docs/`` -> ``mkdocs build`` (or Zensical) ->
``site/``.

:func:`build_scripts.build.build_site` (:mod:`build_scripts.build`) is the one build (the command
line, ``./dev serve``, the tests and the benchmark all run it); ``python -m build_scripts``
(:mod:`build_scripts.__main__`) only reads its arguments. Every module, by the job it does:

Generating ``docs/`` from ``site_src/``
- :mod:`build_scripts.paths` -- where the generator reads and writes.
- :mod:`build_scripts.content` -- read and validate ``site_src/`` (front matter, YAML, schemas).
- :mod:`build_scripts.governance` -- pages whose review is overdue (warn, or fail if configured).
- :mod:`build_scripts.render` -- render pages, generated pages (references, glossary, changelog),
  the print page's stub and the navigation through Jinja2 into ``docs/``.
- :mod:`build_scripts.page_functions` -- the one table of the functions a page body may call
  (``cite``, ``table``, ``calculator_form``, ...) and the key each takes.
- :mod:`build_scripts.components` -- those functions, one method each, for one page.
- :mod:`build_scripts.fallback` -- dose tables for use without the calculator, built by the core.
- :mod:`build_scripts.charts` -- CMV DNA charts of case timelines (matplotlib, SVG, at build time).
- :mod:`build_scripts.abbreviations` -- the glossary's abbreviations, in each page's Markdown.
- :mod:`build_scripts.builders` -- the builders (MkDocs + Material, Zensical) and the
  configuration each is given (``mkdocs.yml``, the navigation, the institution).

Assets the browser runs
- :mod:`build_scripts.web_files` -- copy the hand-written scripts and styles
  (``site_src/javascripts/``, ``site_src/stylesheets/``) into ``docs/``.
- :mod:`build_scripts.integrity` -- refuse npm packages that are not exactly the pinned ones.
- :mod:`build_scripts.vendor` -- copy browser libraries (tablesort) from their npm packages.
- :mod:`build_scripts.wheel` -- build the ``calculators`` wheel and its site-local Pyodide lock.
- :mod:`build_scripts.runtime` -- copy the Pyodide runtime from the pinned npm package.
- :mod:`build_scripts.snapshot` -- the memory snapshot the worker starts from (with
  ``snapshot.mjs``, and ``snapshot-check.mjs``, which restores it once before it ships).

Finishing the built site (after ``mkdocs build --strict`` or ``zensical build``)
- :mod:`build_scripts.print_page` -- the whole guide on one printable page, from the built pages.
- :mod:`build_scripts.theme_markup` -- corrections to the theme's markup (valid HTML).
- :mod:`build_scripts.csp` -- move inline code out, for a strict Content-Security-Policy.
- :mod:`build_scripts.precompress` -- gzipped copies of the largest files (``NAME.gz``), which
  nginx and the local server send instead of compressing them for every visitor.
- :mod:`build_scripts.offline` -- the service worker (``site_src/service-worker.js`` and the
  build's file list, at the site's root): offline use.
- :mod:`build_scripts.external_refs` -- find anything that would fetch from outside the site.
- :mod:`build_scripts.build_date` -- the one date the site carries: the commit's.

Serving it
- :mod:`build_scripts.hosting` -- the package of serving, not building: the rules every web
  server follows (``hosting/rules.py``), the security headers (``hosting/security.py``), the
  local server (``python -m build_scripts.hosting.serve``, ``./dev serve``) and the
  configurations for nginx, Apache httpd and IIS (``hosting/deploy/``).

Driving the browser
- :mod:`build_scripts.chromium` -- Debian's Chromium and its flags, for the browser tests, the
  screenshots and the benchmark (``tools/bench/``).
"""
