"""``python -m build_scripts``: build the whole site into ``site/``.

Only reads the command line and reports: the build itself is :func:`build_scripts.build.build_site`
(its docstring lists the steps), the one that ``./dev serve``, the tests and the benchmark run too.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import jinja2

from .build import BuildError, build_site
from .builders import BUILDERS, DEFAULT_BUILDER
from .content import ContentError
from .integrity import IntegrityError
from .paths import ROOT, SITE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_scripts",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--site-dir", type=Path, default=SITE, help="where to write the site")
    parser.add_argument("--site-url", help="address the site will be served at "
                        "(default: mkdocs.yml's, http://127.0.0.1:8000/)")
    parser.add_argument("--project", type=Path, default=ROOT,
                        help="folder holding mkdocs.yml, site_src/ and docs/ (default: this "
                        "repository; the tests build small fixture sites this way)")
    parser.add_argument("--today", type=date.fromisoformat, default=date.today(),
                        help="date to check review dates against (YYYY-MM-DD; default: today)")
    parser.add_argument("--builder", choices=BUILDERS, default=DEFAULT_BUILDER,
                        help="what turns docs/ into HTML: MkDocs + Material (default) or Zensical")
    args = parser.parse_args(argv)
    try:
        times = build_site(args.project, args.site_dir, args.site_url, args.today, args.builder)
    except (ContentError, IntegrityError, BuildError) as error:
        print(error, file=sys.stderr)
        return 1
    except jinja2.TemplateError as error:
        print(f"A page could not be rendered: {error}", file=sys.stderr)
        return 1
    print(f"Built {args.site_dir} from site_src/ with {args.builder} in {times.total:.1f} s "
          "(generated files in docs/ are listed in docs/.generated).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
