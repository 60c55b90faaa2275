"""The one build of the site: :func:`build_site`, which every command runs.

``python -m build_scripts``, ``./dev serve``, ``./dev build``, the tests' session build and the
benchmark all call it, so what is tested and measured is what ships. Its steps:

1. check ``site_src/`` against its schemas and cross-check its keys (stops with every problem,
   by file and field); warn about pages whose review is overdue (or stop, if ``config.yml`` sets
   ``fail_on_overdue_review: true``);
2. copy the hand-written scripts and styles (``site_src/javascripts/``, ``stylesheets/``) and
   render the pages, the generated pages (references, glossary, changelog), the print page's
   stub and the timeline charts into ``docs/``, every page with the glossary's abbreviations;
   and the configuration the builder is given (``builders.py``: ``mkdocs.yml`` with the
   navigation and the institution), beside ``mkdocs.yml``;
3. build the ``calculators`` wheel and its site-local Pyodide lock (in ``assets/wheels/<hash>/``);
4. copy the Pyodide runtime (to ``assets/pyodide/<version>/``, named for the worker in
   ``assets/runtime.mjs``), make the memory snapshot the worker starts from (``snapshot.py``),
   and copy the vendored browser libraries (tablesort) from ``node_modules/``,
   once they match the hashes recorded for package-lock.json (``integrity.py``), and IIS's
   ``web.config`` from ``build_scripts/hosting/deploy/``;
5. run the builder, MkDocs + Material (``mkdocs build --strict``, the default) or Zensical
   (``builder="zensical"``); then, on either's output, the same steps: fill the whole-guide
   print page (``print_page.py``), correct the theme's markup (``theme_markup.py``), move the
   pages' inline scripts and styles and the stylesheets' ``data:`` icons into files
   (``csp.py``): the site runs under a strict Content-Security-Policy; gzipped copies of the
   largest files, for servers that send them instead of compressing (``precompress.py``); last,
   the service worker that keeps the site offline (``offline.py``), which lists every file of the
   finished site but those copies;
6. refuse the result if anything in it would be fetched from outside the site.

Files written into ``docs/`` (and the builder's configuration) are listed in ``docs/.generated``;
the next build deletes them first, so a page removed from ``site_src/`` disappears from the site
too. Steps 1-5 write into the
project's ``docs/``, so a build holds :func:`docs_lock` throughout: two builds of one project at
once (two terminals, or two test workers) take turns instead of mixing their files.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .builders import DEFAULT_BUILDER, LINKS_FROM_SOURCE, run_builder, write_build_config
from .content import Content, load_content
from .csp import externalize_data_images, externalize_inline_code
from .external_refs import external_references
from .governance import check_reviews
from .hosting.rules import copy_web_config
from .hosting.security import write_policy_module
from .integrity import check_packages
from .offline import write_offline
from .precompress import write_precompressed
from .print_page import PrintPageError, write_print_page
from .render import (
    print_sections,
    render_generated_pages,
    render_pages,
    render_print_page,
    write_calculator_settings,
)
from .runtime import copy_runtime, write_runtime_module
from .snapshot import make_snapshot
from .theme_markup import valid_theme_markup
from .vendor import copy_vendored
from .web_files import copy_web_files
from .wheel import publish_wheel

__all__ = ["BuildError", "BuildTimes", "build_site", "docs_lock", "generate"]


class BuildError(Exception):
    """The finished site would load something from outside itself, or lacks what the print page
    needs; the message says what."""


@dataclass(frozen=True, slots=True)
class BuildTimes:
    """Seconds spent in each step of :func:`build_site` (the benchmark reports them)."""

    generate: float  # steps 1-4: site_src/ -> docs/
    builder: float  # mkdocs build, or zensical build
    finish: float  # the print page, the CSP rewrite and the service worker
    check: float  # nothing fetched from outside
    total: float


@contextmanager
def docs_lock(project: Path, shared: bool = False) -> Iterator[None]:
    """Hold ``project/docs/`` (an advisory ``flock`` on the folder itself) for a build, or,
    with ``shared``, for reading it while no build is writing it."""
    docs = project / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(docs, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def _remove_previous_output(project: Path) -> None:
    listed = project / "docs" / ".generated"
    if listed.is_file():
        for line in listed.read_text().splitlines():
            (project / line).unlink(missing_ok=True)


def generate(project: Path, today: date, builder: str = DEFAULT_BUILDER) -> Content:
    """Steps 1-4 for ``project`` (a folder with ``site_src/``, ``docs/`` and ``mkdocs.yml``):
    everything that writes into ``docs/``, and the configuration ``builder`` is given (the files
    written are listed in ``docs/.generated``). Returns the content it rendered.

    Overdue reviews are printed as warnings on standard error (or raise
    :class:`~build_scripts.content.ContentError` if the configuration says so).
    """
    site_src, docs = project / "site_src", project / "docs"
    content = load_content(site_src)
    for warning in check_reviews(content, today):
        print(f"WARNING: overdue review: {warning}", file=sys.stderr)
    # node_modules/ must be exactly what package-lock.json pins before anything is copied from
    # it; checked before docs/ is touched, so a refused build leaves the last good one in place.
    check_packages()
    _remove_previous_output(project)
    # The hand-written scripts and styles first: the engine's name hashes the worker's code.
    written = copy_web_files(site_src, docs)
    written += render_pages(content, docs, site_src, today, LINKS_FROM_SOURCE[builder])
    written += render_generated_pages(content, docs, site_src)
    written.append(render_print_page(docs, site_src))
    written.append(write_build_config(project, content, builder))
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
    return content


def build_site(project: Path, site_dir: Path, site_url: str | None, today: date,
               builder: str = DEFAULT_BUILDER) -> BuildTimes:
    """Build ``project`` (a folder with ``mkdocs.yml``, ``site_src/`` and ``docs/``) into
    ``site_dir`` for the address ``site_url`` (``None``: mkdocs.yml's default) with ``builder``
    (one of ``builders.BUILDERS``), checking review dates against ``today``.

    Raises :class:`~build_scripts.content.ContentError` (bad content, an overdue review that
    must fail), :class:`~build_scripts.integrity.IntegrityError` (node_modules/ is not what the
    lock pins), :class:`jinja2.TemplateError` (a page that does not render) or
    :class:`BuildError` (the site would fetch from outside, or the print page cannot be made);
    the first two leave ``docs/`` and
    ``site_dir`` as they were.
    """
    project = project.resolve()
    with docs_lock(project):
        started = time.perf_counter()
        content = generate(project, today, builder)
        generated = time.perf_counter()
        run_builder(builder, project, site_dir, site_url)
        built = time.perf_counter()
        try:
            write_print_page(site_dir, print_sections(content), project / "site_src")
        except PrintPageError as error:
            raise BuildError(str(error)) from error
        valid_theme_markup(site_dir)
        externalize_inline_code(site_dir)
        externalize_data_images(site_dir)
        write_precompressed(site_dir)
        write_offline(site_dir)
    finished = time.perf_counter()
    outside = external_references(site_dir)
    checked = time.perf_counter()
    if outside:
        raise BuildError("".join(f"{ref.file}: {ref.kind} {ref.url}\n" for ref in outside)
                         + "The site would load the above from outside itself; fix them.")
    return BuildTimes(generate=generated - started, builder=built - generated,
                      finish=finished - built, check=checked - finished, total=checked - started)
