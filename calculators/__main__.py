"""Command line: ``python -m calculators NAME [--option value ...] [--json] [--settings FILE]``.

One subcommand per calculator; options are the function's parameter names with dashes
(``--weight-kg 70``; ``--weight_kg`` works too); yes/no inputs are flags (``--first-infusion``,
``--no-first-infusion``). The result is printed as indented text, or as JSON with ``--json``.
``--settings FILE`` reads the institution's calculator settings (JSON; see
:mod:`calculators.settings`), which this one run passes to the calculator. Bad input exits with
status 2 and a message naming the field on standard error; with ``--json`` the error is also
printed as ``{"error": {...}}`` on standard output.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from . import settings
from .errors import InputError
from .fields import FlagField
from .registry import CALCULATORS, run

__all__ = ["build_parser", "main", "format_text"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m calculators",
        description="CMVIG Guide calculators. Every number cites its source.",
    )
    commands = parser.add_subparsers(dest="calculator", required=True, metavar="CALCULATOR")
    for calculator in CALCULATORS.values():
        command = commands.add_parser(calculator.name, help=_literal(calculator.title),
                                      description=_literal(calculator.title))
        command.add_argument("--json", action="store_true", help="print JSON")
        command.add_argument("--settings", metavar="FILE",
                             help="institution settings as JSON (custom product, defaults)")
        for field in calculator.fields:
            flags = sorted({f"--{field.name.replace('_', '-')}", f"--{field.name}"}, key=len)
            help_text = _literal(field.label + (f" ({field.hint})" if field.hint else ""))
            if isinstance(field, FlagField):
                command.add_argument(*flags, dest=field.name, help=help_text, default=None,
                                     action=argparse.BooleanOptionalAction)
            else:
                command.add_argument(*flags, dest=field.name, metavar=field.kind.upper(),
                                     help=help_text)
    return parser


def _literal(text: str) -> str:
    """``text`` for argparse, which %-formats help strings: 'Rounding tolerance (%)' stays so."""
    return text.replace("%", "%%")


def format_text(value: Any, indent: str = "") -> str:
    """The plain result as indented ``key: value`` lines, for people at a terminal."""
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item and not _all_scalars(item):
                lines.append(f"{indent}{key}:")
                lines.append(format_text(item, indent + "  "))
            else:
                lines.append(f"{indent}{key}: {_scalar(item)}")
    else:
        for number, item in enumerate(value, start=1):
            lines.append(f"{indent}[{number}]")
            lines.append(format_text(item, indent + "  "))
    return "\n".join(lines)


def _all_scalars(items: Any) -> bool:
    return isinstance(items, list) and not any(isinstance(i, (dict, list)) for i in items)


def _scalar(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_scalar(v) for v in value) if value else "(none)"
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _load_settings(path: str | None) -> settings.Settings:
    if path is None:
        return settings.DEFAULTS
    try:
        with open(path, encoding="utf-8") as file:
            raw = json.load(file)
    except (OSError, ValueError) as error:
        raise InputError("settings", path, f"Settings file could not be read: {error}") from None
    if not isinstance(raw, dict):
        raise InputError("settings", path, "Settings file must hold a JSON object.")
    return settings.parse(raw)


def main(argv: list[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args = vars(build_parser().parse_args(argv))
    name = args.pop("calculator")
    as_json = args.pop("json")
    settings_path = args.pop("settings")
    params = {key: value for key, value in args.items() if value is not None}
    try:
        result = run(name, params, _load_settings(settings_path))
    except InputError as error:
        print(f"error: {error.field}: {error.message}", file=err)
        if as_json:
            json.dump({"error": error.as_plain()}, out, indent=2)
            out.write("\n")
        return 2
    if as_json:
        json.dump(result, out, indent=2)
    else:
        out.write(f"{CALCULATORS[name].title}\n{format_text(result, '  ')}")
    out.write("\n")
    return 0


if __name__ == "__main__":  # pragma: no cover - exercised through subprocess in the tests
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into `head` and cut short: not an error
        sys.stdout = None  # nothing left to flush at exit
        sys.exit(0)
