"""Screenshots of what a clinician sees, at a phone's and a desktop's width, to look at by eye.

``./dev screenshots`` (or ``python -m tests.e2e.screenshots [--out DIR]``) builds the site, serves
it with the README's server and, in Debian's Chromium (the test suite's launcher and flags),
writes into ``screenshots/`` (git-ignored), at 390 px and 1366 px wide:

- every calculator's example result (the inputs the end-to-end tests compute with), the form and
  its answer, then the guidance around it (``calc-NAME-<width>.png``, ``page-PAGE-<width>.png``);
- every evidence table with its filter, and the case chart (``table-ID-<width>.png``,
  ``chart-CASE-<width>.png``);
- the sheet "Print for the chart" makes of each example result, in print media
  (``print-NAME-<width>.png``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from build_scripts.builders import BUILDERS, DEFAULT_BUILDER
from tests.conftest import ROOT
from tests.e2e.helpers import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    ENGINE_TIMEOUT_MS,
    WIDTHS,
    SiteServer,
    examples_by_page,
    fill_form,
    free_port,
)

TABLE_PAGES = ("treatment/", "hsct/")
CHART_PAGES = ("cases/",)


def shoot_calculators(page: Page, site: Path, out: Path, width: int) -> None:
    """Each calculator's example result (``Calculator.example``), and each calculator page whole
    after its first result."""
    pages_shot: set[str] = set()
    for path, forms in examples_by_page(site).items():
        for name, inputs in forms:
            page.goto(path)
            fill_form(page, name, inputs)
            form = page.locator(f"form[data-calculator='{name}']")
            form.locator("[data-result][data-state=done]").wait_for()
            form.screenshot(path=out / f"calc-{name}-{width}.png")
            shoot_print_sheet(page, name, out, width)
            if path not in pages_shot:
                pages_shot.add(path)
                page.screenshot(path=out / f"page-{path.strip('/')}-{width}.png", full_page=True)


def shoot_print_sheet(page: Page, name: str, out: Path, width: int) -> None:
    """The chart sheet of the result on screen, as the print stylesheet lays it out."""
    page.evaluate("window.print = () => {}")  # the dialog is the browser's, not ours
    page.locator(f"form[data-calculator='{name}']").get_by_role(
        "button", name="Print for the chart").click()
    page.emulate_media(media="print")
    page.screenshot(path=out / f"print-{name}-{width}.png", full_page=True)
    page.emulate_media(media="screen")
    page.evaluate("dispatchEvent(new Event('afterprint'))")


def shoot_tables_and_charts(page: Page, out: Path, width: int) -> None:
    """Each table and chart whole; a table taller than the screen is stitched together, so the
    theme's fixed header is taken out of the way for these shots only."""
    for path in TABLE_PAGES:
        page.goto(path)
        page.evaluate("document.querySelector('.md-header').style.position = 'absolute'")
        for table in page.locator(".cmvig-evidence").all():
            table_id = (table.get_attribute("id") or "table").removeprefix("table-")
            table.locator(".cmvig-table-filter:not([hidden])").wait_for()
            table.scroll_into_view_if_needed()
            table.screenshot(path=out / f"table-{table_id}-{width}.png")
    for path in CHART_PAGES:
        page.goto(path)
        page.evaluate("document.querySelector('.md-header').style.position = 'absolute'")
        for chart in page.locator("figure.cmvig-chart").all():
            chart.scroll_into_view_if_needed()
            name = chart.get_attribute("data-case") or path.strip("/")
            chart.screenshot(path=out / f"chart-{name}-{width}.png")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots",
                        help="folder for the PNG files (default: screenshots/)")
    parser.add_argument("--site", type=Path,
                        help="an existing build to serve instead of building one")
    parser.add_argument("--builder", choices=BUILDERS, default=DEFAULT_BUILDER,
                        help="the builder of the site built here (default: MkDocs + Material)")
    parser.add_argument("--only", choices=("calculators", "tables"),
                        help="only the calculators, or only the tables and the chart")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cmvig-screenshots-") as tmp:
        site, port = args.site or Path(tmp) / "site", 0
        if args.site is None:
            port = free_port()
            print(f"Building the site into {site}", file=sys.stderr)
            subprocess.run([sys.executable, "-m", "build_scripts", "--site-dir", str(site),
                            "--site-url", f"http://127.0.0.1:{port}/", "--builder", args.builder],
                           cwd=ROOT, check=True)
        server = SiteServer(site, port).start()
        try:
            with sync_playwright() as driver:
                browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
                for width, height in WIDTHS.values():
                    context = browser.new_context(base_url=server.url,
                                                  viewport={"width": width, "height": height})
                    page = context.new_page()
                    page.set_default_timeout(ENGINE_TIMEOUT_MS)
                    if args.only != "tables":
                        shoot_calculators(page, site, out, width)
                    if args.only != "calculators":
                        shoot_tables_and_charts(page, out, width)
                    context.close()
                browser.close()
        finally:
            server.stop()
    shots = sorted(out.glob("*.png"))
    print(f"Wrote {len(shots)} screenshots into {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
