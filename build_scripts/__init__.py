"""The site generator: ``site_src/`` -> Jinja2 -> ``docs/`` -> ``mkdocs build`` -> ``site/``.

Steps, each in its own module and each runnable on its own:

- :mod:`build_scripts.content` -- read and validate ``site_src/`` (front matter, YAML, schemas).
- :mod:`build_scripts.render` -- render pages through Jinja2 into ``docs/``.
- :mod:`build_scripts.wheel` -- build the ``calculators`` wheel and its site-local Pyodide lock.
- :mod:`build_scripts.runtime` -- copy the Pyodide runtime from the pinned npm package.
- :mod:`build_scripts.serve` -- serve ``site/`` on 127.0.0.1 with the right MIME types.

``python -m build_scripts`` runs them all and then ``mkdocs build --strict``.
"""
