"""Render validated content through Jinja2 into ``docs/``.

Templates live in ``site_src/templates/``. Undefined names fail the build (``StrictUndefined``) and
values are HTML-escaped unless a template marks them safe, so a typo never renders as a blank.
Templates only present: every number they show comes from the content files or :mod:`calculators`.

Written here, as plain Markdown that any builder of the Python-Markdown family (MkDocs + Material,
Zensical) renders alike:

- ``docs/<slug>.md`` for every page, with the review footer (``review_footer.md.j2``);
- the generated pages ``references.md``, ``glossary.md`` and ``changelog.md``, and the stub of the
  whole-guide print page, ``print_page.md``, which :mod:`build_scripts.print_page` fills after the
  builder has run;
- in every page, the glossary's abbreviations (:mod:`build_scripts.abbreviations`) and, after
  its content, :data:`PAGE_END`, where the print page stops copying it;
- the CMV DNA charts of case timelines (``docs/assets/charts/``, see :mod:`build_scripts.charts`);
- ``docs/assets/calculator-settings.json`` for the calculator worker.

The navigation (:func:`navigation`) and the footer links (:func:`footer_links`) are data, which
:mod:`build_scripts.builders` writes into the configuration it gives the builder.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from calculators import __version__ as core_version

from .abbreviations import signed_terms, with_abbreviations
from .components import Placement, SiteFunctions, complete
from .content import Content, Page
from .governance import is_overdue
from .paths import DOCS, SITE_SRC

__all__ = ["environment", "render_pages", "render_generated_pages", "render_print_page",
           "navigation", "footer_links", "print_sections", "write_calculator_settings",
           "SETTINGS_FILE", "GENERATED_PAGES", "PRINT_PAGE", "PAGE_END"]

# Fetched by the calculator worker at start-up, checked by calculators.browser.check_settings
# and passed with every calculation (calculators.browser.handle).
SETTINGS_FILE = Path("assets") / "calculator-settings.json"
# Ends each page's own content in its Markdown (and so in the built HTML, before the theme's
# additions): the print page copies each page from its GENERATED comment to here.
PAGE_END = "<!-- END OF GENERATED PAGE -->"
# The whole guide on one page: (slug, title), last in the navigation.
PRINT_PAGE = ("print_page", "Print the whole guide")
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


def _shared(env: jinja2.Environment, content: Content) -> dict[str, Any]:
    return {
        "config": content.config,
        "core_version": core_version,
        "content_version": content.version,
    }


def render_pages(content: Content, docs: Path = DOCS, root: Path = SITE_SRC,
                 today: date | None = None, links_from_source: bool = False) -> list[Path]:
    """Write one ``docs/<slug>.md`` per page (and the charts they draw); return the paths.
    ``links_from_source``: the builder resolves addresses in the pages' HTML against the Markdown
    file, not the page's URL (``builders.LINKS_FROM_SOURCE``)."""
    env = environment(root)
    shared = _shared(env, content)
    placement = Placement.of(content)
    finish = page_finisher(content, env)
    written: list[Path] = []
    for page in content.pages:
        functions = SiteFunctions(env, content, placement, page.slug, docs, links_from_source)
        written.append(_render_page(env, page, {**shared, **functions.functions()}, docs,
                                    is_overdue(page, today or date.today()), finish))
        written += functions.charts
    return sorted(set(written))


def page_finisher(content: Content, env: jinja2.Environment) -> Callable[[str], str]:
    """What every generated page's Markdown ends with: :data:`PAGE_END`, then the glossary's
    abbreviations (and its sign-edged terms wrapped in the text, see
    :mod:`build_scripts.abbreviations`)."""
    definitions = env.get_template("abbreviations.md.j2").render(terms=content.glossary)
    terms = signed_terms(content.glossary)
    return lambda text: with_abbreviations(f"{text.rstrip()}\n\n{PAGE_END}\n", terms,
                                           definitions)


def _render_page(env: jinja2.Environment, page: Page, shared: dict[str, Any], docs: Path,
                 overdue: bool, finish: Callable[[str], str]) -> Path:
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
    target.write_text(finish(text), encoding="utf-8")
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
    finish = page_finisher(content, env)
    written = []
    for slug, text in pages.items():
        target = docs / f"{slug}.md"
        target.write_text(finish(text), encoding="utf-8")
        written.append(target)
    return written


def render_print_page(docs: Path = DOCS, root: Path = SITE_SRC) -> Path:
    """The stub of the whole-guide print page: a page of its own for the builder (theme,
    navigation, stylesheets), whose placeholder :mod:`build_scripts.print_page` fills."""
    slug, title = PRINT_PAGE
    target = docs / f"{slug}.md"
    target.write_text(environment(root).get_template("print_page.md.j2").render(title=title),
                      encoding="utf-8")
    return target


def complete_term(term: dict[str, Any]) -> dict[str, Any]:
    return {"explanation": None, **term}


def _in_footer(page: Page) -> bool:
    return bool(page.meta.get("navigation") == "footer")


def navigation(content: Content) -> list[dict[str, str]]:
    """The navigation (MkDocs' ``nav``): home, then pages by ``nav_order`` then title, then the
    generated pages, then the print page.

    Pages whose front matter says ``navigation: footer`` are left out: they are linked from every
    page's footer instead (:func:`footer_links`).
    """
    pages = sorted((p for p in content.pages if p.slug != "index" and not _in_footer(p)),
                   key=lambda page: page.position)
    nav: list[dict[str, str]] = []
    if any(p.slug == "index" for p in content.pages):
        nav.append({"Home": "index.md"})
    nav += [{p.meta["title"]: f"{p.slug}.md"} for p in pages]
    nav += [{title: f"{slug}.md"} for slug, title, _source in GENERATED_PAGES]
    nav.append({PRINT_PAGE[1]: f"{PRINT_PAGE[0]}.md"})
    return nav


def footer_links(content: Content) -> list[dict[str, str]]:
    """The pages linked in every page's footer (``navigation: footer``), as title and URL path
    relative to the site root, for the theme (``config.extra.footer_links``)."""
    return [{"title": p.meta["title"], "path": f"{p.slug}/"}
            for p in sorted(content.pages, key=lambda p: p.meta["title"].lower())
            if _in_footer(p)]


def print_sections(content: Content) -> list[tuple[str, str]]:
    """(slug, title) of every page on the print page, in order: home, the content pages
    (footer pages among them) by ``nav_order`` then title, then the generated pages."""
    pages = sorted((p for p in content.pages if p.slug != "index"), key=lambda page: page.position)
    home = [p for p in content.pages if p.slug == "index"]
    return ([(p.slug, p.meta["title"]) for p in home + pages]
            + [(slug, title) for slug, title, _source in GENERATED_PAGES])


def write_calculator_settings(content: Content, docs: Path = DOCS) -> Path:
    """Write the institution's calculator settings where the worker fetches them."""
    target = docs / SETTINGS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(content.config["calculator_settings"], indent=2) + "\n")
    return target
