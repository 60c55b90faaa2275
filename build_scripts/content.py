"""Read ``site_src/`` and check it against its schemas before anything is rendered.

- ``site_src/config.yml`` -- the institution's settings (schema ``schemas/config.schema.json``).
- ``site_src/pages/*.md`` -- Markdown with YAML front matter (schema ``schemas/page.schema.json``).

Every problem in every file is collected first and reported together as a :class:`ContentError`
naming the file, the field and what was wrong, so one build shows everything to fix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from calculators import settings
from calculators.errors import InputError
from calculators.registry import CALCULATORS
from calculators.sources import SOURCES

from .paths import SITE_SRC

__all__ = ["ContentError", "Page", "Content", "load_content"]

FRONT_MATTER_FENCE = "---"


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


@dataclass(frozen=True, slots=True)
class Content:
    config: dict[str, Any]
    pages: tuple[Page, ...]


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
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.path)):
        field = ".".join(str(part) for part in error.path) or "(top level)"
        problems.append(f"{where}: field '{field}': {error.message}")
    return problems


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _split_front_matter(text: str) -> tuple[str, str] | None:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        return None
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == FRONT_MATTER_FENCE:
            return "".join(lines[1:index]), "".join(lines[index + 1 :])
    return None


def _load_yaml(path: Path, text: str, problems: list[str], where: str) -> Any:
    try:
        return _iso_dates(yaml.safe_load(text))
    except yaml.YAMLError as error:
        problems.append(f"{where}: not valid YAML: {error}")
        return None


def _page(path: Path, root: Path, problems: list[str]) -> Page | None:
    where = _relative(path, root)
    parts = _split_front_matter(path.read_text(encoding="utf-8"))
    if parts is None:
        problems.append(f"{where}: must start with YAML front matter between '---' lines")
        return None
    meta = _load_yaml(path, parts[0], problems, where)
    if meta is None:
        return None
    found = _schema_problems(meta, "page.schema.json", where, root)
    if isinstance(meta, dict):
        for index, key in enumerate(meta.get("sources", [])):
            if isinstance(key, str) and key not in SOURCES:
                found.append(
                    f"{where}: field 'sources.{index}': '{key}' is not a source key "
                    f"(known: {', '.join(sorted(SOURCES))})"
                )
        for index, name in enumerate(meta.get("calculators", [])):
            if isinstance(name, str) and name not in CALCULATORS:
                found.append(
                    f"{where}: field 'calculators.{index}': '{name}' is not a calculator "
                    f"(known: {', '.join(sorted(CALCULATORS))})"
                )
        if not found and meta["next_review"] < meta["last_reviewed"]:  # ISO dates sort as text
            found.append(f"{where}: field 'next_review': comes before 'last_reviewed'")
    problems.extend(found)
    return None if found else Page(slug=path.stem, source=path, meta=meta, body=parts[1])


def _calculator_settings_problems(raw: dict[str, Any], where: str) -> list[str]:
    """The core checks its own settings: the same rules as in the browser and the CLI."""
    try:
        settings.configure(raw)
    except InputError as error:
        return [f"{where}: field 'calculator_settings.{error.field}': {error.message}"]
    finally:
        settings.reset()
    return []


def load_content(root: Path = SITE_SRC) -> Content:
    """Load and validate everything under ``root``; raise :class:`ContentError` on any problem."""
    problems: list[str] = []
    config_path = root / "config.yml"
    config = _load_yaml(config_path, config_path.read_text(encoding="utf-8"), problems,
                        _relative(config_path, root))
    if config is not None:
        found = _schema_problems(config, "config.schema.json", _relative(config_path, root), root)
        if not found:
            found = _calculator_settings_problems(config["calculator_settings"],
                                                  _relative(config_path, root))
        problems.extend(found)
    pages = [_page(path, root, problems) for path in sorted((root / "pages").glob("*.md"))]
    if problems:
        raise ContentError(problems)
    return Content(config=config, pages=tuple(p for p in pages if p is not None))
