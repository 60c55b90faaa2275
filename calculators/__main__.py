"""Command line: ``python -m calculators NAME --param value ...`` prints the result as JSON.

Parameters are the core function's parameter names (``--weight_kg 70`` or ``--weight-kg 70``).
Bad input prints ``{"error": {...}}`` on standard error and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys

from .errors import InputError
from .registry import CALCULATORS, run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m calculators", description="CMVIG Guide calculators; prints JSON."
    )
    commands = parser.add_subparsers(dest="calculator", required=True, metavar="CALCULATOR")
    for calculator in CALCULATORS.values():
        command = commands.add_parser(calculator.name, help=calculator.title)
        for field in calculator.fields:
            flags = {f"--{field.name}", f"--{field.name.replace('_', '-')}"}
            command.add_argument(
                *sorted(flags), dest=field.name, metavar=field.kind.upper(), help=field.label
            )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = vars(build_parser().parse_args(argv))
    name = args.pop("calculator")
    try:
        result = run(name, args)
    except InputError as error:
        json.dump({"error": error.as_plain()}, sys.stderr, indent=2)
        sys.stderr.write("\n")
        return 2
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
