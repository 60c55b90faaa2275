"""``python -m build_scripts``: build the whole site into ``site/``.

1. check ``site_src/`` against its schemas (stops with every problem, by file and field);
2. render the pages into ``docs/``;
3. build the ``calculators`` wheel and its site-local Pyodide lock;
4. copy the Pyodide runtime from ``node_modules/pyodide``;
5. ``mkdocs build --strict``;
6. refuse the result if anything in it would be fetched from outside the site.

Files written into ``docs/`` are listed in ``docs/.generated``; the next build deletes them first,
so a page removed from ``site_src/`` disappears from the site too.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from .content import ContentError, load_content
from .external_refs import external_references
from .paths import DOCS, GENERATED_LIST, MKDOCS_YML, ROOT, SITE
from .render import render_pages, write_calculator_settings
from .runtime import copy_runtime
from .wheel import build_wheel, write_lock


def _remove_previous_output() -> None:
    if GENERATED_LIST.is_file():
        for line in GENERATED_LIST.read_text().splitlines():
            (ROOT / line).unlink(missing_ok=True)


def generate() -> list[Path]:
    """Steps 1-4: everything that writes into ``docs/``. Returns the files written."""
    content = load_content()
    _remove_previous_output()
    written = render_pages(content)
    written.append(write_calculator_settings(content))
    wheel = build_wheel()
    written += [wheel, write_lock(wheel)]
    written += copy_runtime()
    GENERATED_LIST.write_text(
        "".join(f"{path.relative_to(ROOT)}\n" for path in sorted(written))
    )
    return written


def mkdocs_build(site_dir: Path = SITE, site_url: str | None = None) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if site_url:
        env["CMVIG_SITE_URL"] = site_url  # read by mkdocs.yml (!ENV)
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
         "--config-file", str(MKDOCS_YML), "--site-dir", str(site_dir)],
        cwd=ROOT,
        # NO_MKDOCS_2_WARNING: Material 9.8 prints an end-of-life notice on every build; the
        # README records the plan.
        env=env,
        check=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_scripts",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--site-dir", type=Path, default=SITE, help="where to write the site")
    parser.add_argument("--site-url", help="address the site will be served at "
                        "(default: mkdocs.yml's, http://127.0.0.1:8000/)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        generate()
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1
    mkdocs_build(args.site_dir, args.site_url)
    outside = external_references(args.site_dir)
    if outside:
        for ref in outside:
            print(f"{ref.file}: {ref.kind} {ref.url}", file=sys.stderr)
        print("The site would load the above from outside itself; fix them.", file=sys.stderr)
        return 1
    print(f"Built {args.site_dir} from site_src/ in {time.perf_counter() - started:.1f} s "
          f"(generated files in {DOCS.relative_to(ROOT)}/ are listed in {GENERATED_LIST.name}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
