"""``python -m build_scripts``: build the whole site into ``site/``.

1. check ``site_src/`` against its schemas and cross-check its keys (stops with every problem,
   by file and field); warn about pages whose review is overdue (or stop, if ``config.yml`` sets
   ``fail_on_overdue_review: true``);
2. render the pages, the generated pages (references, glossary, changelog), the abbreviations
   snippet, the navigation and the timeline charts into ``docs/``;
3. build the ``calculators`` wheel and its site-local Pyodide lock (in ``assets/wheels/<hash>/``);
4. copy the Pyodide runtime (to ``assets/pyodide/<version>/``, named for the worker in
   ``assets/runtime.mjs``), make the memory snapshot the worker starts from (``snapshot.py``),
   and copy the vendored browser libraries (tablesort) from ``node_modules/``,
   once they match the hashes recorded for package-lock.json (``integrity.py``), and IIS's
   ``web.config`` from ``build_scripts/deploy/``;
5. ``mkdocs build --strict``, then move the pages' inline scripts and styles and the
   stylesheets' ``data:`` icons into files (``csp.py``): the site runs under a strict
   Content-Security-Policy; last, the service worker that keeps the site offline
   (``offline.py``), which lists every file of the finished site;
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
from datetime import date
from pathlib import Path

import jinja2

from .build_date import source_date_epoch
from .content import ContentError, load_content
from .csp import externalize_data_images, externalize_inline_code
from .external_refs import external_references
from .governance import check_reviews
from .hosting import copy_web_config
from .integrity import IntegrityError, check_packages
from .offline import write_offline
from .paths import ROOT, SITE
from .render import (
    render_generated_pages,
    render_pages,
    write_abbreviations,
    write_calculator_settings,
    write_footer_links,
    write_nav,
)
from .runtime import copy_runtime, write_runtime_module
from .security import write_policy_module
from .snapshot import make_snapshot
from .vendor import copy_vendored
from .wheel import publish_wheel


def _remove_previous_output(project: Path) -> None:
    listed = project / "docs" / ".generated"
    if listed.is_file():
        for line in listed.read_text().splitlines():
            (project / line).unlink(missing_ok=True)


def generate(project: Path = ROOT, today: date | None = None) -> list[Path]:
    """Steps 1-4 for ``project`` (a folder with ``site_src/``, ``docs/`` and ``mkdocs.yml``):
    everything that writes into ``docs/``. Returns the files written.

    Overdue reviews are printed as warnings on standard error (or raise :class:`ContentError`
    if the configuration says so).
    """
    site_src, docs = project / "site_src", project / "docs"
    content = load_content(site_src)
    for warning in check_reviews(content, today or date.today()):
        print(f"WARNING: overdue review: {warning}", file=sys.stderr)
    # node_modules/ must be exactly what package-lock.json pins before anything is copied from
    # it; checked before docs/ is touched, so a refused build leaves the last good one in place.
    check_packages()
    _remove_previous_output(project)
    written = render_pages(content, docs, site_src, today)
    written += render_generated_pages(content, docs, site_src)
    written.append(write_abbreviations(content, docs, site_src))
    written.append(write_nav(content, docs))
    written.append(write_footer_links(content, docs))
    written.append(write_calculator_settings(content, docs))
    assets = docs / "assets"
    wheel_files = publish_wheel(assets / "wheels")
    runtime_files = copy_runtime(assets / "pyodide")
    written += wheel_files + runtime_files
    # Pyodide with the calculators imported, restored by the worker (after both are in place).
    snapshot = make_snapshot(runtime_files[0].parent, wheel_files[0].parent)
    written.append(snapshot)
    written.append(write_runtime_module(assets, runtime_files[0].parent, wheel_files[0].parent,
                                        snapshot))
    written.append(copy_web_config(docs))
    written.append(write_policy_module(assets))
    written += copy_vendored(docs / "assets" / "vendor")
    (docs / ".generated").write_text(
        "".join(f"{path.relative_to(project)}\n" for path in sorted(set(written)))
    )
    return written


def mkdocs_build(site_dir: Path = SITE, site_url: str | None = None,
                 project: Path = ROOT) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    stamp = source_date_epoch(project)
    if stamp:
        env["SOURCE_DATE_EPOCH"] = stamp  # the sitemap's date: the commit's, not the build day's
    if site_url:
        env["CMVIG_SITE_URL"] = site_url  # read by mkdocs.yml (!ENV)
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
         "--config-file", str(project / "mkdocs.yml"), "--site-dir", str(site_dir)],
        cwd=project,
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
    parser.add_argument("--project", type=Path, default=ROOT,
                        help="folder holding mkdocs.yml, site_src/ and docs/ (default: this "
                        "repository; the tests build small fixture sites this way)")
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help="date to check review dates against (YYYY-MM-DD; default: today)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    project = args.project.resolve()
    try:
        generate(project, args.today)
    except (ContentError, IntegrityError) as error:
        print(error, file=sys.stderr)
        return 1
    except jinja2.TemplateError as error:
        print(f"A page could not be rendered: {error}", file=sys.stderr)
        return 1
    mkdocs_build(args.site_dir, args.site_url, project)
    externalize_inline_code(args.site_dir)
    externalize_data_images(args.site_dir)
    write_offline(args.site_dir)
    outside = external_references(args.site_dir)
    if outside:
        for ref in outside:
            print(f"{ref.file}: {ref.kind} {ref.url}", file=sys.stderr)
        print("The site would load the above from outside itself; fix them.", file=sys.stderr)
        return 1
    print(f"Built {args.site_dir} from site_src/ in {time.perf_counter() - started:.1f} s "
          "(generated files in docs/ are listed in docs/.generated).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
