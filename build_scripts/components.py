"""The Jinja functions page bodies call, one method of :class:`SiteFunctions` for each function
of the table :data:`build_scripts.page_functions.PAGE_FUNCTIONS` (``cite``, ``table``,
``calculator_form``, ...).

Each is a small typed method that gathers the data and hands it to a template in
``site_src/templates/``; templates only present. They return Markup: Markdown (``cite``) or an
HTML block (the rest), which must stand on its own line in the page body, outside indented
blocks. Links between generated HTML blocks are written relative to the page they are on
(``use_directory_urls``: page ``x.md`` is served at ``x/``), because MkDocs rewrites only Markdown
links; a test checks every internal link of the built site.

Abbreviations from the glossary are marked up as ``<abbr title=...>`` inside these HTML blocks
too: the ``abbr`` Markdown extension only reaches Markdown text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markdown.extensions.toc import slugify
from markupsafe import Markup, escape

from calculators.registry import CALCULATORS, describe
from calculators.sources import SOURCES

from .charts import NARROW, WIDE, draw_viral_load_chart
from .content import Content, body_calls
from .fallback import FALLBACKS, ROUNDING, WEIGHT_BASIS, WEIGHTS_KG
from .page_functions import PAGE_FUNCTIONS

__all__ = ["Placement", "Abbreviator", "SiteFunctions", "CHART_DIR", "number_text", "complete"]

CHART_DIR = Path("assets") / "charts"
REFERENCES_PAGE = "references"

# Optional fields, filled in so that templates (StrictUndefined) can test them plainly.
OPTIONAL: dict[str, dict[str, Any]] = {
    "table": {"notes": []},
    "case": {"setting": None, "co_treatment": None, "regimen_id": None, "table": None,
             "locator": None, "timeline": []},
    "event": {"cmv_copies_per_ml": None, "treatment": None, "cmv_negative": False},
    "product": {"maker": None, "market": None, "licensed_use": None, "administration": [],
                "unverified": []},
    "reference": {"short": None, "doi": None, "url": None, "cited_via": None,
                  "calculator_source": None, "note": None},
    "hazard": {"controls": [], "open": None},
}


def complete(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with every optional field of its kind present (None or empty when absent)."""
    return {**OPTIONAL[kind], **data}


@dataclass(frozen=True, slots=True)
class Placement:
    """Which page shows which table, case card and calculator (for links between them)."""

    tables: dict[str, str] = field(default_factory=dict)
    cases: dict[str, str] = field(default_factory=dict)
    calculators: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, content: Content) -> Placement:
        placement = cls()
        for page in content.pages:
            for name in page.meta.get("calculators", []):
                placement.calculators.setdefault(name, page.slug)
            for _line, function, key in body_calls(page.body):
                if function == "table":
                    placement.tables.setdefault(key, page.slug)
                elif function == "calculator_form":
                    placement.calculators.setdefault(key, page.slug)
                elif function == "case_card":
                    placement.cases.setdefault(key, page.slug)
                elif function == "case_cards":
                    for case_id, case in content.cases.items():
                        if not key or case.get("setting") == key:
                            placement.cases.setdefault(case_id, page.slug)
        return placement


class Abbreviator:
    """Escapes text for HTML and wraps the glossary's abbreviations in ``<abbr title>``."""

    def __init__(self, glossary: Iterable[dict[str, Any]]) -> None:
        self.meanings = {term["abbr"]: term["meaning"] for term in glossary}
        keys = sorted(self.meanings, key=len, reverse=True)
        self.pattern = (re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, keys)) + r")(?!\w)")
                        if keys else None)

    def __call__(self, text: Any) -> Markup:
        if text is None:
            return Markup("")
        text = number_text(text) if isinstance(text, (int, float)) else str(text)
        if self.pattern is None:
            return escape(text)
        parts: list[str] = []
        last = 0
        for match in self.pattern.finditer(text):
            parts.append(escape(text[last:match.start()]))
            abbr = match.group(0)
            parts.append(Markup('<abbr title="{}">{}</abbr>').format(self.meanings[abbr], abbr))
            last = match.end()
        parts.append(escape(text[last:]))
        return Markup("").join(parts)


def number_text(value: Any) -> str:
    """A YAML number as the source printed it: 1200 stays 1200, 1.5 stays 1.5."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def copies_text(value: Any) -> str:
    """A viral load as the thoracic review prints it: 6500, but 18 100 (no-break space)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and value >= 10_000:
        return f"{value:,}".replace(",", "\u00a0")
    return str(value)


# A level-2 heading of a page body: the section a calculator's form is linked to.
_SECTION = re.compile(r"^## +(?P<title>.+?)\s*$")


def _section_above(body: str, line: int) -> str | None:
    """The level-2 heading above ``line`` of a page body, None if there is none."""
    for text in reversed(body.splitlines()[:line - 1]):
        if found := _SECTION.match(text):
            return found["title"]
    return None


def _markdown_text(text: str) -> str:
    """Text safe inside a Markdown link's brackets."""
    return re.sub(r"([\\\[\]*_`])", r"\\\1", text)


class SiteFunctions:
    """The Jinja functions for one page (links are relative to it: to the page's URL, or with
    ``links_from_source``, to its Markdown file in ``docs/``, as the builder resolves them)."""

    def __init__(self, env: jinja2.Environment, content: Content, placement: Placement,
                 slug: str, docs: Path, links_from_source: bool = False) -> None:
        self.env = env
        # A page's URL (slug/) is one folder below its Markdown file (docs/slug.md).
        self.up = "" if slug == "index" or links_from_source else "../"
        self.content = content
        self.placement = placement
        self.slug = slug
        self.docs = docs
        self.abbr = Abbreviator(content.glossary)
        self.charts: list[Path] = []

    # -- links -------------------------------------------------------------------------------
    def url(self, slug: str, anchor: str = "") -> str:
        """The URL of page ``slug`` (``#anchor``) from this page, as served (directory URLs)."""
        path = "" if slug == "index" else f"{slug}/"
        if slug == self.slug:
            return f"#{anchor}" if anchor else "./"
        return f"{self.up}{path}" + (f"#{anchor}" if anchor else "") or "./"

    def asset(self, relative: Path) -> str:
        return self.up + relative.as_posix()

    def reference_link(self, key: str, locator: str | None = None) -> dict[str, str]:
        ref = self.content.references[key]
        text = ref.get("short") or key
        return {"href": self.url(REFERENCES_PAGE, key), "text": text, "locator": locator or ""}

    def _render(self, template: str, **values: Any) -> Markup:
        html = self.env.get_template(template).render(abbr=self.abbr, **values)
        # A raw HTML block for Markdown: no blank lines inside, blank lines around.
        lines = [line for line in html.strip().splitlines() if line.strip()]
        return Markup("\n" + "\n".join(lines) + "\n")

    def _need(self, kind: str, known: dict[str, Any], key: str) -> dict[str, Any]:
        if key not in known:
            raise KeyError(f"{kind}('{key}') on page '{self.slug}': no such {kind} "
                           f"(known: {', '.join(sorted(known))})")
        return complete(kind, known[key])

    # -- the functions -----------------------------------------------------------------------
    def cite(self, key: str, locator: str | None = None) -> Markup:
        """A Markdown link to the reference on the references page: ``[Short, locator](...)``."""
        ref = self._need("reference", self.content.references, key)
        text = ref.get("short") or key
        if locator:
            text = f"{text}, {locator}"
        return Markup(f"[{_markdown_text(text)}]({REFERENCES_PAGE}.md#{key})")

    def off_label(self) -> Markup:
        """A badge that marks a use outside the product label."""
        return Markup('<span class="cmvig-off-label" title="Use outside the product label">'
                      "off-label</span>")

    def table(self, table_id: str) -> Markup:
        table = self._need("table", self.content.tables, table_id)
        table["columns"] = [{"numeric": False, **column} for column in table["columns"]]
        rows = []
        for index, row in enumerate(table["rows"], start=1):
            case_id = row.get("case")
            case_page = self.placement.cases.get(case_id) if case_id else None
            rows.append({
                "id": f"{table_id}-{case_id}" if case_id else f"{table_id}-row-{index}",
                "cells": [row.get(column["key"]) for column in table["columns"]],
                "case": case_id,
                "case_href": self.url(case_page, f"case-{case_id}") if case_page else None,
                "case_title": self.content.cases[case_id]["title"] if case_id else None,
            })
        return self._render(
            "evidence_table.html.j2", id=table_id, table=table, rows=rows,
            source=self.reference_link(table["reference"], table["locator"]),
            with_case_column=any(row["case"] for row in rows),
        )

    def _case(self, case_id: str) -> dict[str, Any]:
        case = self._need("case", self.content.cases, case_id)
        table_id: str = case.get("table") or ""
        table_page = self.placement.tables.get(table_id)
        regimen_id = case.get("regimen_id")
        calculator_page = self.placement.calculators.get("regimen") if regimen_id else None
        return {
            "id": case_id,
            "case": case,
            "reference": self.reference_link(case["reference"]),
            "reported_in": self.reference_link(case["reported_in"], case.get("locator")),
            # The case's own row if the table has one, else the table (a cohort, say).
            "table_href": (self.url(table_page, f"{table_id}-{case_id}" if any(
                row.get("case") == case_id for row in self.content.tables[table_id]["rows"])
                else f"table-{table_id}") if table_page else None),
            "table_title": self.content.tables[table_id]["title"] if table_page else None,
            "calculator_href": (self.url(calculator_page, "calc-regimen")
                                if calculator_page else None),
        }

    def case_card(self, case_id: str) -> Markup:
        return self._render("case_card.html.j2", item=self._case(case_id))

    def case_cards(self, setting: str | None = None) -> Markup:
        ids = [case_id for case_id, case in sorted(self.content.cases.items())
               if setting is None or case.get("setting") == setting]
        if not ids:
            raise KeyError(f"case_cards(setting={setting!r}) on page '{self.slug}': no case has "
                           "that setting")
        return self._render("case_cards.html.j2", items=[self._case(i) for i in ids])

    def case_timeline(self, case_id: str) -> Markup:
        case = self._need("case", self.content.cases, case_id)
        timeline = case.get("timeline") or []
        if not timeline:
            raise KeyError(f"case_timeline('{case_id}') on page '{self.slug}': the case has no "
                           "timeline")
        events = [complete("event", event) for event in timeline]
        chart = narrow_chart = None
        if any(e.get("cmv_copies_per_ml") is not None for e in timeline):
            charts = []
            for suffix, layout in (("", WIDE), ("-narrow", NARROW)):
                relative = CHART_DIR / f"{case_id}{suffix}.svg"
                self.charts.append(draw_viral_load_chart(
                    timeline, case["title"], self.docs / relative, case.get("periods"), layout))
                charts.append(self.asset(relative))
            chart, narrow_chart = charts
        return self._render("case_timeline.html.j2", id=case_id, case=case, events=events,
                            chart=chart, narrow_chart=narrow_chart, copies_text=copies_text,
                            reference=self.reference_link(case["reported_in"],
                                                          case.get("locator")))

    def product_facts(self, product_id: str) -> Markup:
        product = self._need("product", self.content.products, product_id)
        return self._render("product_facts.html.j2", id=product_id, product=product,
                            reference=self.reference_link(product["reference"]))

    def every_product_facts(self) -> Markup:
        """Each product of ``site_src/products/`` in full, by its ``order`` (then file name): a
        product added there is on the page without editing the page."""
        products = self.content.products
        ordered = sorted(products, key=lambda product_id: (products[product_id].get("order", 100),
                                                           product_id))
        return Markup("\n\n").join(self.product_facts(product_id) for product_id in ordered)

    def hazard_log(self) -> Markup:
        """The hazard log (site_src/hazards.yml) as a table."""
        if not self.content.hazards:
            raise KeyError(f"hazard_log() on page '{self.slug}': site_src/hazards.yml lists no "
                           "hazard")
        return self._render("hazard_log.html.j2",
                            hazards=[complete("hazard", h) for h in self.content.hazards])

    def calculator_form(self, name: str) -> Markup:
        """The HTML form of calculator ``name``, drawn from the core's own field definitions;
        config.yml's ``calculator_settings`` names what "Hospital default" means."""
        spec = describe()[name]
        # Short names of the sources, for the result's "Source:" line (autoescaped into an
        # attribute).
        names = json.dumps({key: source.short for key, source in SOURCES.items()})
        template = self.env.get_template("calculator_form.html.j2")
        return Markup(template.render(calculator=spec, sources_json=names,
                                      settings=self.content.config["calculator_settings"]).strip())

    def calculator_overview(self) -> Markup:
        """Every calculator in one Markdown table, drawn from the registry: its short name, what it
        gives and its sources (``Calculator.listing``), and the page and section that hold its
        form, in navigation order.

        A calculator that no page holds yet is listed last, and its form is drawn here, under the
        table: a new calculator is on the site from its first build, before it has a home.
        """
        homes: dict[str, str] = {}
        for page in sorted(self.content.pages, key=lambda page: page.position):
            for line, function, name in body_calls(page.body):
                if function == "calculator_form" and name not in homes:
                    section = _section_above(page.body, line)
                    anchor = f"#{slugify(section, '-')}" if section else ""
                    homes[name] = f"[{_markdown_text(page.short_title)}]({page.slug}.md{anchor})"
        homeless = [name for name in CALCULATORS if name not in homes]
        lines = ["| Calculator | What it gives | Where | Sources |", "|---|---|---|---|"]
        for name in [*homes, *homeless]:
            listing = CALCULATORS[name].listing
            where = homes.get(name, f"[below](#calc-{name})")
            cited = "; ".join(self.cite(c.key, c.locator) for c in listing.cites)
            lines.append(f"| {_markdown_text(listing.name)} | {_markdown_text(listing.gives)} "
                         f"| {where} | {cited} |")
        forms = [f"\n### {_markdown_text(CALCULATORS[name].listing.name)}\n\n"
                 f"{self.calculator_form(name)}\n" for name in homeless]
        heading = ["\n## Not yet on a guidance page\n"] if forms else []
        return Markup("\n".join(lines) + "\n" + "".join([*heading, *forms]))

    def _reference_for(self, source: str) -> str:
        """The reference key (site_src/references/) that stands for a core source key."""
        for key, ref in self.content.references.items():
            if ref.get("calculator_source") == source:
                return key
        raise KeyError(f"fallback_table on page '{self.slug}': no reference in "
                       f"site_src/references/ has calculator_source '{source}' "
                       f"({SOURCES[source].short})")

    def fallback_table(self, name: str) -> Markup:
        """The dose tables of calculator ``name`` for the weight band, in a collapsed
        ``<details>`` (the numbers from :mod:`build_scripts.fallback`, worked out by the core).

        A block call: ``{{ fallback_table("prophylaxis") }}`` on a line of its own.
        """
        if name not in FALLBACKS:
            raise KeyError(f"fallback_table('{name}') on page '{self.slug}': no such fallback "
                           f"(known: {', '.join(sorted(FALLBACKS))})")
        settings = self.content.config.get("calculator_settings", {})
        return self._render(
            "fallback_tables.html.j2", name=name, weights=WEIGHTS_KG,
            tables=[{"table": table,
                     "references": [self.reference_link(self._reference_for(source))
                                    for source in table.sources]}
                    for table in FALLBACKS[name]()],
            hospital_weight_basis=settings.get("weight_basis", WEIGHT_BASIS),
            hospital_rounding=settings.get("rounding", ROUNDING),
            calculator_href=self.url(self.slug, f"calc-{name}"),
        )

    def functions(self) -> dict[str, Any]:
        """The page's Jinja functions: the method of each name in the table."""
        return {name: getattr(self, name) for name in PAGE_FUNCTIONS}
