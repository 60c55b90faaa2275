"""The functions a page body may call, in one table: each one's name and the key it takes.

A page body (``site_src/pages/*.md``) calls them as Jinja functions, ``{{ table("thoracic-heart")
}}``. Everything else follows this table: validation (:mod:`build_scripts.content`: every call
names one of these, with a key that exists), the functions a page is given
(:meth:`build_scripts.components.SiteFunctions.functions`, a method of each name), and where a
table, case or calculator is placed (for links between them).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PageFunction", "PAGE_FUNCTIONS"]


@dataclass(frozen=True, slots=True)
class PageFunction:
    """One function: its ``name``, the kind of ``key`` it takes as its first argument (None: it
    takes none), or as the optional ``keyword`` argument instead."""

    name: str
    key: str | None = None
    keyword: str | None = None


PAGE_FUNCTIONS: dict[str, PageFunction] = {function.name: function for function in (
    PageFunction("cite", "reference"),
    PageFunction("table", "table"),
    PageFunction("case_card", "case"),
    PageFunction("case_cards", "case setting", keyword="setting"),
    PageFunction("case_timeline", "case"),
    PageFunction("product_facts", "product"),
    PageFunction("every_product_facts"),
    PageFunction("calculator_form", "calculator"),
    PageFunction("calculator_overview"),
    PageFunction("fallback_table", "fallback table"),
    PageFunction("off_label"),
    PageFunction("hazard_log"),
)}
