"""Read ``site_src/`` and check it before anything is rendered.

Every kind of content has a JSON Schema in ``site_src/schemas/``:

- ``config.yml`` -- the institution's settings (``config.schema.json``);
- ``pages/*.md`` -- Markdown with YAML front matter (``page.schema.json``);
- ``references/<key>.yml`` -- one reference per file; the file name is the key (``reference``);
- ``tables/<id>.yml`` -- evidence tables (``table``);
- ``cases/<id>.yml`` -- published cases (``case``);
- ``products/<id>.yml`` -- products (``product``);
- ``glossary.yml`` -- abbreviations (``glossary``);
- ``changelog.yml`` -- content versions, newest first (``changelog``);
- ``hazards.yml`` -- the hazard log: each hazard, its cause, its control in the code and the tests
  that fail without it, or the open gap and the issue tracking it (``hazards``).

After the schemas, cross-checks: every key one file names in another must exist (a page's
``sources`` and the ``cite()``/``table()``/``case_card()``/... calls in its body, a table row's
``case``, a case's ``table`` and ``reference``, a case's ``regimen_id`` in the calculators'
regimens, and so on). A product page that names a product of the core (``core_product``) must
state the core's figures: its strength, each vial's volume and content, the label maximum per
infusion, and the label's infusion rates and times (:func:`product_figure_problems`).
Every problem in every file is collected first and reported together as one
:class:`ContentError`, each line naming the file, the field and what was wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
import jsonschema
import yaml
from jinja2 import nodes

from calculators import settings
from calculators.errors import InputError
from calculators.infusion import SCHEDULES as RATE_SCHEDULES
from calculators.products import PRODUCTS, Product
from calculators.regimen_catalogue import REGIMENS
from calculators.registry import CALCULATORS
from calculators.sources import SOURCES

from .fallback import FALLBACKS
from .page_functions import PAGE_FUNCTIONS
from .paths import SITE_SRC

__all__ = ["ContentError", "Page", "Content", "load_content", "body_calls", "KEY_PATTERN",
           "CASE_SETTINGS", "product_figure_problems"]

FRONT_MATTER_FENCE = "---"
# File names that become keys (and HTML anchors): lower case, digits, '-', '.', '_'.
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
CASE_SETTINGS = ("heart", "lung", "heart-lung", "hsct", "solid-organ")


class ContentError(Exception):
    """One or more content files are invalid; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("site_src/ has problems:\n" + "\n".join(f"- {p}" for p in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Page:
    slug: str
    source: Path
    meta: dict[str, Any]
    body: str
    body_line: int = 1  # line of the file where the body starts (for messages)

    @property
    def position(self) -> tuple[int, str]:
        """Where the page comes in the navigation: by ``nav_order``, then by title."""
        return (self.meta.get("nav_order", 10**6), self.meta["title"].lower())

    @property
    def short_title(self) -> str:
        """The page's name where space is short (front matter ``short_title``, else its title)."""
        return str(self.meta.get("short_title", self.meta["title"]))


@dataclass(frozen=True, slots=True)
class Content:
    config: dict[str, Any]
    pages: tuple[Page, ...]
    references: dict[str, dict[str, Any]] = field(default_factory=dict)
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    cases: dict[str, dict[str, Any]] = field(default_factory=dict)
    products: dict[str, dict[str, Any]] = field(default_factory=dict)
    glossary: tuple[dict[str, Any], ...] = ()
    changelog: tuple[dict[str, Any], ...] = ()
    hazards: tuple[dict[str, Any], ...] = ()

    @property
    def version(self) -> str:
        """The content version: the newest changelog entry's."""
        return str(self.changelog[0]["version"]) if self.changelog else "0"


def _iso_dates(value: Any) -> Any:
    """YAML turns 2026-11-21 into a date; schemas and templates want the ISO text."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _iso_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso_dates(v) for v in value]
    return value


def _schema_problems(data: Any, schema_name: str, where: str, root: Path) -> list[str]:
    schema = json.loads((root / "schemas" / schema_name).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.path]):
        field_name = ".".join(str(part) for part in error.path) or "(top level)"
        problems.append(f"{where}: field '{field_name}': {error.message}")
    return problems


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _split_front_matter(text: str) -> tuple[str, str, int] | None:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        return None
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == FRONT_MATTER_FENCE:
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    return None


def _load_yaml(text: str, problems: list[str], where: str) -> Any:
    try:
        return _iso_dates(yaml.safe_load(text))
    except yaml.YAMLError as error:
        problems.append(f"{where}: not valid YAML: {error}")
        return None


class _Checker:
    """Collects problems for one load; the cross-checks run once everything is read."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[str] = []
        # Keys whose file exists but is invalid: already reported, so not "unknown" elsewhere.
        self.broken: set[str] = set()

    def where(self, path: Path) -> str:
        return _relative(path, self.root)

    def file(self, path: Path, schema: str) -> Any | None:
        """One YAML file, schema-checked; None (and the problems noted) if it is invalid."""
        where = self.where(path)
        if not path.is_file():
            self.problems.append(f"{where}: field '(file)': missing (the build needs it)")
            return None
        before = len(self.problems)
        data = _load_yaml(path.read_text(encoding="utf-8"), self.problems, where)
        if data is None:
            if len(self.problems) == before:
                self.problems.append(f"{where}: field '(top level)': the file is empty")
            return None
        found = _schema_problems(data, schema, where, self.root)
        self.problems.extend(found)
        return None if found else data

    def folder(self, name: str, schema: str) -> dict[str, dict[str, Any]]:
        """Every ``<name>/<key>.yml``, keyed by file name."""
        found: dict[str, dict[str, Any]] = {}
        for path in sorted((self.root / name).glob("*.y*ml")):
            if path.suffix not in {".yml", ".yaml"}:
                continue
            if not KEY_PATTERN.match(path.stem):
                self.problems.append(
                    f"{self.where(path)}: field '(file name)': '{path.stem}' is not a valid key "
                    "(lower-case letters, digits, '-', '.', '_')")
                continue
            data = self.file(path, schema)
            if data is not None:
                found[path.stem] = data
            else:
                self.broken.add(f"{name}/{path.stem}")
        return found

    def need(self, where: str, field_name: str, key: Any, known: Mapping[str, Any] | set[str],
             what: str, folder: str = "") -> None:
        """Note a problem unless ``key`` is one of ``known`` (or a file of ``folder`` that is
        there but invalid, and so reported already)."""
        if isinstance(key, str) and key not in known and f"{folder}/{key}" not in self.broken:
            listed = ", ".join(sorted(known)) or "none yet"
            self.problems.append(
                f"{where}: field '{field_name}': '{key}' is not {what} (known: {listed})")


def body_calls(body: str) -> list[tuple[int, str, str]]:
    """(line in body, function, key) for every call of a page function in a body, read with
    Jinja's own parser (so a call split over lines, or with odd spacing, is found too).

    ``case_cards(setting="heart")`` is returned as ``("case_cards", "heart")``; without a
    setting as ``("case_cards", "")``. A key that is not a literal string is returned as
    ``"(not a literal)"``, and a call of a function that is not a page function, Jinja's or
    ours, as ``(line, name, "(unknown function)")``, so that validation reports both. Raises
    :class:`jinja2.TemplateSyntaxError` (with its line) if the body is not valid Jinja.
    """
    calls = []
    environment = jinja2.Environment()
    for call in environment.parse(body).find_all(nodes.Call):
        if not isinstance(call.node, nodes.Name):
            continue  # a method or filter call (``x.items()``): not a page function
        name = call.node.name
        function = PAGE_FUNCTIONS.get(name)
        if function is None and name in environment.globals:
            continue  # Jinja's own (range, dict, ...)
        if function is None:
            calls.append((call.lineno, name, "(unknown function)"))
            continue
        if function.keyword:
            found = [k.value for k in call.kwargs if k.key == function.keyword]
            key = found[0] if found else nodes.Const("")
        elif function.key:
            key = call.args[0] if call.args else nodes.Const("")
        else:
            continue
        text = key.value if isinstance(key, nodes.Const) else None
        calls.append((call.lineno, name, text if isinstance(text, str) else "(not a literal)"))
    return sorted(calls, key=lambda found: found[0])


def _page(path: Path, check: _Checker) -> Page | None:
    where = check.where(path)
    parts = _split_front_matter(path.read_text(encoding="utf-8"))
    if parts is None:
        check.problems.append(
            f"{where}: field '(front matter)': must start with YAML front matter between "
            "'---' lines")
        return None
    before = len(check.problems)
    meta = _load_yaml(parts[0], check.problems, where)
    if meta is None:
        if len(check.problems) == before:
            check.problems.append(f"{where}: field '(front matter)': empty")
        return None
    found = _schema_problems(meta, "page.schema.json", where, check.root)
    if isinstance(meta, dict):
        for index, name in enumerate(meta.get("calculators", [])):
            if isinstance(name, str) and name not in CALCULATORS:
                found.append(
                    f"{where}: field 'calculators.{index}': '{name}' is not a calculator "
                    f"(known: {', '.join(sorted(CALCULATORS))})"
                )
        if not found and meta["next_review"] < meta["last_reviewed"]:  # ISO dates sort as text
            found.append(f"{where}: field 'next_review': comes before 'last_reviewed'")
    check.problems.extend(found)
    if found:
        return None
    return Page(slug=path.stem, source=path, meta=meta, body=parts[1], body_line=parts[2])


def _calculator_settings_problems(raw: dict[str, Any], where: str) -> list[str]:
    """The core checks its own settings: the same rules as in the browser and the CLI."""
    try:
        settings.parse(raw)
    except InputError as error:
        return [f"{where}: field 'calculator_settings.{error.field}': {error.message}"]
    return []


# A figure in a product page's text: a number (thousands separated by commas; "50 ± 10" read as
# its nominal 50) and the unit right after it.
_FIGURE = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*±\s*\d+(?:\.\d+)?)?\s*"
                     r"(mg/kg/h|mL/kg/h|mL/h|mg/mL|U/mL|mg/kg|mL|mg|U|min|h)(?![\w/])")


def _figures(text: str, unit: str) -> set[Decimal]:
    """The numbers ``text`` states in ``unit``."""
    return {Decimal(number.replace(",", "")) for number, found in _FIGURE.findall(text)
            if found == unit}


def _listed(values: set[Decimal]) -> str:
    return ", ".join(f"{value.normalize():,f}" for value in sorted(values)) or "none"


def _rate_figures(product_id: str) -> dict[str, set[Decimal]]:
    """The label's infusion figures for ``product_id`` (calculators/infusion.py), by unit."""
    schedules = [s for s in RATE_SCHEDULES if s.product == product_id]
    steps = [step for schedule in schedules for step in schedule.steps]
    figures = {
        "mg/kg/h": {step.mg_per_kg_h for step in steps},
        "mL/kg/h": {step.ml_per_kg_h for step in steps},
        "min": {step.duration_min for step in steps},
        "mL/h": {schedule.max_ml_h for schedule in schedules},
        "h": {hours for schedule in schedules
              for hours in (schedule.start_within_h, schedule.finish_within_h)},
    }
    return {unit: {value for value in values if value is not None}
            for unit, values in figures.items()}


def product_figure_problems(page: Mapping[str, Any], core: Product, where: str) -> list[str]:
    """Where the product page ``page`` (a ``site_src/products/<id>.yml``) states a figure other
    than the core's product ``core`` does (calculators/products.py, calculators/infusion.py):

    - ``strength``: the mg/mL and U/mL figures are the core's strengths;
    - ``presentations``: each of the core's vials is stated by its volume and its content (mg,
      and units where the product has a unit strength), and an item that states a volume states
      no other content than the core's for it;
    - ``licensed_use``: where the core holds a label maximum per infusion, it is stated, and no
      dose per kg above it;
    - ``administration``: the rates (mg/kg/h, mL/kg/h), the cap (mL/h), the step times (min) and
      the hours within which to start and finish are the label's, as the core holds them.
    """
    problems: list[str] = []
    products_py = "calculators/products.py"

    def differ(field_name: str, unit: str, stated: set[Decimal], known: set[Decimal],
               source: str = products_py) -> None:
        if stated != known:
            problems.append(f"{where}: field '{field_name}': states {_listed(stated)} {unit}; "
                            f"{source} gives {_listed(known)} {unit} for {core.name}")

    strength = str(page.get("strength", ""))
    differ("strength", "mg/mL", _figures(strength, "mg/mL"), {core.mg_per_ml})
    differ("strength", "U/mL", _figures(strength, "U/mL"),
           set() if core.units_per_ml is None else {core.units_per_ml})

    items = [str(item) for item in page.get("presentations", [])]
    strengths = {"mg": core.mg_per_ml, "U": core.units_per_ml}
    for index, item in enumerate(items):
        volumes = _figures(item, "mL")
        for unit, per_ml in strengths.items():
            expected = set() if per_ml is None else {ml * per_ml for ml in volumes}
            wrong = _figures(item, unit) - expected if volumes else set()
            if wrong:
                problems.append(
                    f"{where}: field 'presentations.{index}': states {_listed(wrong)} {unit} in "
                    f"{_listed(volumes)} mL; {products_py} gives {_listed(expected)} {unit} "
                    f"for {core.name}")
    for vial in core.vials:
        contents = {"mL": vial.ml, "mg": vial.mg, "U": vial.units}
        if not any(all(value in _figures(item, unit) for unit, value in contents.items()
                       if value is not None) for item in items):
            stated = ", ".join(f"{value.normalize():,f} {unit}"
                               for unit, value in contents.items() if value is not None)
            problems.append(f"{where}: field 'presentations': no item states the vial of "
                            f"{stated} that {products_py} gives for {core.name}")

    if core.label_max_mg_per_kg is not None:
        doses = _figures(str(page.get("licensed_use", "")), "mg/kg")
        if core.label_max_mg_per_kg not in doses or max(doses) > core.label_max_mg_per_kg:
            problems.append(
                f"{where}: field 'licensed_use': states {_listed(doses)} mg/kg; {products_py} "
                f"gives {core.name} a label maximum of {core.label_max_mg_per_kg} mg/kg per "
                "infusion: the page must state it, and no dose above it")

    administration = " ".join(str(item) for item in page.get("administration", []))
    for unit, known in _rate_figures(core.id).items():
        differ("administration", unit, _figures(administration, unit), known,
               "calculators/infusion.py")
    return problems


def _cross_check(content: Content, check: _Checker) -> None:
    root = check.root
    refs = content.references
    for page in content.pages:
        where = check.where(page.source)
        for index, key in enumerate(page.meta.get("sources", [])):
            check.need(where, f"sources.{index}", key, refs,
                       "a reference in site_src/references/", "references")
        # The keys each kind of key may be (page_functions.PAGE_FUNCTIONS says which kind each
        # function takes), what to call one, and its folder.
        kinds: dict[str, tuple[Mapping[str, Any] | set[str], str, str]] = {
            "reference": (refs, "a reference in site_src/references/", "references"),
            "table": (content.tables, "a table in site_src/tables/", "tables"),
            "case": (content.cases, "a case in site_src/cases/", "cases"),
            "product": (content.products, "a product in site_src/products/", "products"),
            "calculator": (set(CALCULATORS), "a calculator", ""),
            "fallback table": (set(FALLBACKS), "a fallback table", ""),
            "case setting": (set(CASE_SETTINGS) | {""}, "a case setting", ""),
        }
        try:
            calls = body_calls(page.body)
        except jinja2.TemplateSyntaxError as error:
            line = page.body_line + (error.lineno or 1) - 1
            check.problems.append(f"{where}: field 'body line {line}': not valid Jinja: "
                                  f"{error.message}")
            calls = []
        for line, function, key in calls:
            if key == "(unknown function)":
                known_names = ", ".join(sorted(PAGE_FUNCTIONS))
                check.problems.append(
                    f"{where}: field 'body line {page.body_line + line - 1}: {function}()': not a "
                    f"page function (known: {known_names})")
                continue
            known, what, folder = kinds[PAGE_FUNCTIONS[function].key or ""]
            field_name = f"body line {page.body_line + line - 1}: {function}()"
            check.need(where, field_name, key, known, what, folder)
            if (function == "case_timeline" and key in content.cases
                    and not content.cases[key].get("timeline")):
                check.problems.append(f"{where}: field '{field_name}': case '{key}' has no "
                                      "'timeline' to draw")
    for key, ref in refs.items():
        where = _relative(root / "references" / f"{key}.yml", root)
        check.need(where, "cited_via", ref.get("cited_via"), refs, "a reference", "references")
        check.need(where, "calculator_source", ref.get("calculator_source"), SOURCES,
                   "a key of calculators/sources.py")
    for table_id, table in content.tables.items():
        where = _relative(root / "tables" / f"{table_id}.yml", root)
        check.need(where, "reference", table["reference"], refs, "a reference", "references")
        columns = {column["key"] for column in table["columns"]}
        labels = [column["key"] for column in table["columns"]]
        for dup in sorted({k for k in labels if labels.count(k) > 1}):
            check.problems.append(f"{where}: field 'columns': key '{dup}' appears twice")
        for index, row in enumerate(table["rows"]):
            check.need(where, f"rows.{index}.case", row.get("case"), content.cases, "a case",
                       "cases")
            for name in sorted(set(row) - columns - {"case"}):
                check.problems.append(f"{where}: field 'rows.{index}.{name}': not one of the "
                                      f"table's columns ({', '.join(labels)})")
    for case_id, case in content.cases.items():
        where = _relative(root / "cases" / f"{case_id}.yml", root)
        check.need(where, "reference", case["reference"], refs, "a reference", "references")
        check.need(where, "reported_in", case["reported_in"], refs, "a reference", "references")
        check.need(where, "table", case.get("table"), content.tables, "a table", "tables")
        check.need(where, "regimen_id", case.get("regimen_id"), REGIMENS,
                   "a regimen of calculators/regimen_catalogue.py")
        dates = [event["date"] for event in case.get("timeline", [])]
        if dates != sorted(dates):
            check.problems.append(f"{where}: field 'timeline': events are not in date order")
    for product_id, product in content.products.items():
        where = _relative(root / "products" / f"{product_id}.yml", root)
        check.need(where, "reference", product["reference"], refs, "a reference", "references")
        core_id = product.get("core_product")
        check.need(where, "core_product", core_id, PRODUCTS,
                   "a product of calculators/products.py")
        if core_id in PRODUCTS:
            check.problems.extend(product_figure_problems(product, PRODUCTS[core_id], where))
    where = _relative(root / "glossary.yml", root)
    seen: set[str] = set()
    for index, term in enumerate(content.glossary):
        if term["abbr"] in seen:
            check.problems.append(f"{where}: field 'terms.{index}.abbr': '{term['abbr']}' is "
                                  "defined twice")
        seen.add(term["abbr"])
        if "]" in term["abbr"] or "\n" in term["abbr"]:
            check.problems.append(f"{where}: field 'terms.{index}.abbr': must not contain ']'")
    where = _relative(root / "changelog.yml", root)
    versions = [entry["version"] for entry in content.changelog]
    for dup in sorted({v for v in versions if versions.count(v) > 1}):
        check.problems.append(f"{where}: field 'entries': version {dup} appears twice")
    dates = [entry["date"] for entry in content.changelog]
    if dates != sorted(dates, reverse=True):
        check.problems.append(f"{where}: field 'entries': not newest first (by date)")
    where = _relative(root / "hazards.yml", root)
    ids = [hazard["id"] for hazard in content.hazards]
    for index, hazard_id in enumerate(ids):
        if hazard_id in ids[:index]:
            check.problems.append(f"{where}: field 'hazards.{index}.id': '{hazard_id}' is used "
                                  "twice")


def load_content(root: Path = SITE_SRC) -> Content:
    """Load and validate everything under ``root``; raise :class:`ContentError` on any problem."""
    check = _Checker(root)
    config_path = root / "config.yml"
    config = check.file(config_path, "config.schema.json")
    if config is not None:
        found = _calculator_settings_problems(config["calculator_settings"],
                                              check.where(config_path))
        check.problems.extend(found)
    pages = [_page(path, check) for path in sorted((root / "pages").glob("*.md"))]
    reserved = {"references", "glossary", "changelog", "print_page"}
    for page in pages:
        if page is not None and page.slug in reserved:
            check.problems.append(f"{check.where(page.source)}: field '(file name)': "
                                  f"'{page.slug}' is a generated page's name; choose another")
    loaders: dict[str, Callable[[], Any]] = {
        "references": lambda: check.folder("references", "reference.schema.json"),
        "tables": lambda: check.folder("tables", "table.schema.json"),
        "cases": lambda: check.folder("cases", "case.schema.json"),
        "products": lambda: check.folder("products", "product.schema.json"),
        "glossary": lambda: check.file(root / "glossary.yml", "glossary.schema.json"),
        "changelog": lambda: check.file(root / "changelog.yml", "changelog.schema.json"),
        "hazards": lambda: check.file(root / "hazards.yml", "hazards.schema.json"),
    }
    loaded = {name: load() for name, load in loaders.items()}
    # Cross-check what is valid even when other files are not: one build shows every problem.
    content = Content(
        config=config or {},
        pages=tuple(p for p in pages if p is not None),
        references=loaded["references"],
        tables=loaded["tables"],
        cases=loaded["cases"],
        products=loaded["products"],
        glossary=tuple((loaded["glossary"] or {"terms": []})["terms"]),
        changelog=tuple((loaded["changelog"] or {"entries": []})["entries"]),
        hazards=tuple((loaded["hazards"] or {"hazards": []})["hazards"]),
    )
    _cross_check(content, check)
    if check.problems:
        raise ContentError(check.problems)
    return content
