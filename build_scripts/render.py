"""Render validated content through Jinja2 into ``docs/``.

Templates live in ``site_src/templates/``. Undefined names fail the build (``StrictUndefined``) and
values are HTML-escaped unless a template marks them safe, so a typo never renders as a blank.
Templates only present: every number they show comes from the content files or :mod:`calculators`.

Written here:

- ``docs/<slug>.md`` for every page, with the review footer (``review_footer.md.j2``);
- the generated pages ``references.md``, ``glossary.md`` and ``changelog.md``;
- ``docs/includes/abbreviations.md``, the glossary as Markdown abbreviations, appended to every
  page by ``pymdownx.snippets`` (``mkdocs.yml`` excludes ``includes/`` from the pages);
- ``docs/.nav.json``, the navigation, read by ``build_scripts/mkdocs_hooks.py``;
- the CMV DNA charts of case timelines (``docs/assets/charts/``, see :mod:`build_scripts.charts`);
- ``docs/assets/calculator-settings.json`` for the calculator worker.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from calculators import __version__ as core_version
from calculators.registry import describe
from calculators.sources import SOURCES

from .components import Placement, SiteFunctions, complete
from .content import Content, Page
from .governance import is_overdue
from .paths import DOCS, SITE_SRC

__all__ = ["environment", "render_pages", "render_generated_pages", "write_abbreviations",
           "write_nav", "write_calculator_settings", "SETTINGS_FILE", "ABBREVIATIONS_FILE",
           "NAV_FILE", "GENERATED_PAGES", "write_footer_links", "FOOTER_LINKS_FILE"]

# Fetched by the calculator worker at start-up, checked by calculators.browser.check_settings
# and passed with every calculation (calculators.browser.handle).
SETTINGS_FILE = Path("assets") / "calculator-settings.json"
ABBREVIATIONS_FILE = Path("includes") / "abbreviations.md"
NAV_FILE = Path(".nav.json")
FOOTER_LINKS_FILE = Path(".footer-links.json")
# Generated pages: (slug, title, source) in navigation order, after the content pages.
GENERATED_PAGES = (("references", "References", "site_src/references/"),
                   ("glossary", "Glossary", "site_src/glossary.yml"),
                   ("changelog", "Changelog", "site_src/changelog.yml"))
KIND_GROUPS = (
    ("seed", "Source documents",
     "The documents this guide is built from."),
    ("label", "Product labels",
     "Label facts, each checked against the product's own prescribing information."),
    ("guideline", "Guidelines", "Guidance documents the calculators follow."),
    ("formula", "Formulas", "Where the formulas the calculators use were published."),
    ("cited-in-seed", "Papers cited by the source documents",
     "Known to this guide only through a source document that cites them; their figures are "
     "given as that source reports them."),
)


def environment(root: Path = SITE_SRC) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(root / "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
    )
    return env


def _calculator_form(env: jinja2.Environment, name: str, settings: dict[str, Any]) -> Markup:
    """The HTML form of calculator ``name``, drawn from the core's own field definitions;
    ``settings`` (config.yml's calculator_settings) names what "Hospital default" means."""
    spec = describe()[name]
    # Short names of the sources, for the result's "Source:" line (autoescaped into an attribute).
    names = json.dumps({key: source.short for key, source in SOURCES.items()})
    template = env.get_template("calculator_form.html.j2")
    return Markup(template.render(calculator=spec, sources_json=names, settings=settings).strip())


def _shared(env: jinja2.Environment, content: Content) -> dict[str, Any]:
    return {
        "config": content.config,
        "core_version": core_version,
        "content_version": content.version,
        "calculator_form": lambda name: _calculator_form(
            env, name, content.config["calculator_settings"]),
    }


def render_pages(content: Content, docs: Path = DOCS, root: Path = SITE_SRC,
                 today: date | None = None) -> list[Path]:
    """Write one ``docs/<slug>.md`` per page (and the charts they draw); return the paths."""
    env = environment(root)
    shared = _shared(env, content)
    placement = Placement.of(content)
    written: list[Path] = []
    for page in content.pages:
        functions = SiteFunctions(env, content, placement, page.slug, docs)
        written.append(_render_page(env, page, {**shared, **functions.functions()}, docs,
                                    is_overdue(page, today or date.today())))
        written += functions.charts
    return sorted(set(written))


def _render_page(env: jinja2.Environment, page: Page, shared: dict[str, Any], docs: Path,
                 overdue: bool) -> Path:
    source = f"site_src/pages/{page.source.name}"
    try:
        body = env.from_string(page.body).render(page=page.meta, **shared)
    except (jinja2.TemplateError, KeyError) as error:
        raise jinja2.TemplateError(f"{source}: {error}") from error
    text = env.get_template("page.md.j2").render(
        page=page.meta, body=Markup(body), source=source, overdue=overdue, **shared
    )
    target = docs / f"{page.slug}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def _markdown_cell(value: Any) -> Markup:
    """Text for a Markdown table cell: HTML-escaped, pipes escaped, on one line."""
    if value is None:
        return Markup("")
    return Markup(str(escape(str(value))).replace("|", "\\|").replace("\n", " "))


def render_generated_pages(content: Content, docs: Path = DOCS,
                           root: Path = SITE_SRC) -> list[Path]:
    """Write the references, glossary and changelog pages; return their paths."""
    env = environment(root)
    common = {**_shared(env, content),
              "last_reviewed": content.changelog[0]["date"] if content.changelog else ""}
    refs = {key: complete("reference", ref) for key, ref in content.references.items()}
    groups = []
    for kind, title, explanation in KIND_GROUPS:
        members = [{"key": key, **ref,
                    "cited_via_short": (refs[ref["cited_via"]]["short"] or ref["cited_via"])
                    if ref["cited_via"] else None}
                   for key, ref in sorted(refs.items()) if ref["kind"] == kind]
        if members:
            groups.append({"title": title, "explanation": explanation, "references": members})
    terms = sorted((complete_term(t) for t in content.glossary), key=lambda t: t["abbr"].lower())
    pages = {
        "references": env.get_template("references.md.j2").render(
            groups=groups, source="site_src/references/", **common),
        "glossary": env.get_template("glossary.md.j2").render(
            terms=terms, cell=_markdown_cell, source="site_src/glossary.yml", **common),
        "changelog": env.get_template("changelog.md.j2").render(
            entries=[{"reviewed_by": None, **e} for e in content.changelog],
            source="site_src/changelog.yml", **common),
    }
    written = []
    for slug, text in pages.items():
        target = docs / f"{slug}.md"
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def complete_term(term: dict[str, Any]) -> dict[str, Any]:
    return {"explanation": None, **term}


def write_abbreviations(content: Content, docs: Path = DOCS, root: Path = SITE_SRC) -> Path:
    """The glossary as Markdown abbreviation definitions, appended to every page."""
    target = docs / ABBREVIATIONS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    text = environment(root).get_template("abbreviations.md.j2").render(terms=content.glossary)
    target.write_text(text.strip() + "\n", encoding="utf-8")
    return target


def _in_footer(page: Page) -> bool:
    return bool(page.meta.get("navigation") == "footer")


def write_nav(content: Content, docs: Path = DOCS) -> Path:
    """The navigation: home, then pages by ``nav_order`` then title, then the generated pages.

    Pages whose front matter says ``navigation: footer`` are left out: they are linked from every
    page's footer instead (``write_footer_links``).
    """
    pages = sorted((p for p in content.pages if p.slug != "index" and not _in_footer(p)),
                   key=lambda p: (p.meta.get("nav_order", 10**6), p.meta["title"].lower()))
    nav: list[dict[str, str]] = []
    if any(p.slug == "index" for p in content.pages):
        nav.append({"Home": "index.md"})
    nav += [{p.meta["title"]: f"{p.slug}.md"} for p in pages]
    nav += [{title: f"{slug}.md"} for slug, title, _source in GENERATED_PAGES]
    target = docs / NAV_FILE
    target.write_text(json.dumps(nav, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def write_footer_links(content: Content, docs: Path = DOCS) -> Path:
    """The pages linked in every page's footer (``navigation: footer``), as title and URL path
    relative to the site root, for the theme (``mkdocs_hooks.py`` puts them in ``config.extra``)."""
    links = [{"title": p.meta["title"], "path": f"{p.slug}/"}
             for p in sorted(content.pages, key=lambda p: p.meta["title"].lower())
             if _in_footer(p)]
    target = docs / FOOTER_LINKS_FILE
    target.write_text(json.dumps(links, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def write_calculator_settings(content: Content, docs: Path = DOCS) -> Path:
    """Write the institution's calculator settings where the worker fetches them."""
    target = docs / SETTINGS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(content.config["calculator_settings"], indent=2) + "\n")
    return target
