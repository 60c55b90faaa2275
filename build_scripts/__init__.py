"""The site generator: ``site_src/`` -> Jinja2 -> ``docs/`` -> ``mkdocs build`` -> ``site/``.

:func:`build_scripts.build.build_site` is the one build (the command line, ``./dev serve``, the
tests and the benchmark all run it). Its steps, each in its own module and each runnable on its
own:

- :mod:`build_scripts.content` -- read and validate ``site_src/`` (front matter, YAML, schemas).
- :mod:`build_scripts.governance` -- pages whose review is overdue (warn, or fail if configured).
- :mod:`build_scripts.render` -- render pages, generated pages (references, glossary, changelog),
  the abbreviations snippet and the navigation through Jinja2 into ``docs/``.
- :mod:`build_scripts.components` -- the Jinja functions of page bodies (``cite``, ``table``,
  ``case_card``, ``case_cards``, ``case_timeline``, ``product_facts``, ``off_label``).
- :mod:`build_scripts.charts` -- CMV DNA charts of case timelines (matplotlib, SVG, at build time).
- :mod:`build_scripts.vendor` -- copy browser libraries (tablesort) from their npm packages.
- :mod:`build_scripts.mkdocs_hooks` -- MkDocs hooks: institution for the theme, navigation, and
  the print page's anchors.
- :mod:`build_scripts.wheel` -- build the ``calculators`` wheel and its site-local Pyodide lock.
- :mod:`build_scripts.runtime` -- copy the Pyodide runtime from the pinned npm package.
- :mod:`build_scripts.serve` -- serve ``site/`` on 127.0.0.1 with the right MIME types.

``python -m build_scripts`` runs :func:`~build_scripts.build.build_site`: them all, then
``mkdocs build --strict`` and the finishing steps (``csp``, ``offline``, ``external_refs``).
"""
