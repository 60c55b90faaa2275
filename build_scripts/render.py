"""Render validated content through Jinja2 into ``docs/``.

Templates live in ``site_src/templates/``. Undefined names fail the build (``StrictUndefined``) and
values are HTML-escaped unless a template marks them safe, so a typo never renders as a blank.
Templates only present: every number they show comes from :mod:`calculators`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from calculators import __version__ as core_version
from calculators.registry import describe
from calculators.sources import SOURCES

from .content import Content, Page
from .paths import DOCS, SITE_SRC

__all__ = ["environment", "render_pages", "write_calculator_settings", "SETTINGS_FILE"]

# Fetched by the calculator worker at start-up and passed to calculators.browser.configure.
SETTINGS_FILE = Path("assets") / "calculator-settings.json"


def environment(root: Path = SITE_SRC) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(root / "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
    )
    return env


def _calculator_form(env: jinja2.Environment, name: str) -> Markup:
    """The HTML form of calculator ``name``, drawn from the core's own field definitions."""
    spec = describe()[name]
    # Short names of the sources, for the result's "Source:" line (autoescaped into an attribute).
    names = json.dumps({key: source.short for key, source in SOURCES.items()})
    template = env.get_template("calculator_form.html.j2")
    return Markup(template.render(calculator=spec, sources_json=names).strip())


def render_pages(content: Content, docs: Path = DOCS, root: Path = SITE_SRC) -> list[Path]:
    """Write one ``docs/<slug>.md`` per page; return the paths written."""
    env = environment(root)
    shared: dict[str, Any] = {
        "config": content.config,
        "sources": SOURCES,
        "core_version": core_version,
        "calculator_form": lambda name: _calculator_form(env, name),
    }
    written = []
    for page in content.pages:
        written.append(_render_page(env, page, shared, docs))
    return written


def _render_page(env: jinja2.Environment, page: Page, shared: dict[str, Any], docs: Path) -> Path:
    body = env.from_string(page.body).render(page=page.meta, **shared)
    text = env.get_template("page.md.j2").render(
        page=page.meta, body=Markup(body), source=f"site_src/pages/{page.source.name}", **shared
    )
    target = docs / f"{page.slug}.md"
    target.write_text(text, encoding="utf-8")
    return target


def write_calculator_settings(content: Content, docs: Path = DOCS) -> Path:
    """Write the institution's calculator settings where the worker fetches them."""
    target = docs / SETTINGS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(content.config["calculator_settings"], indent=2) + "\n")
    return target
