"""Accessibility of the built site in Chromium (issue 5, items 7 and 8).

- axe-core (the npm package pinned in package.json, read from node_modules and injected by the
  test; the site never ships it) finds no violation on any page: every page of the sitemap and
  of the navigation, the 404 page, and the calculator pages after a result and after an input
  error, so the result and error states are checked too. No rule is switched off.
- every form control has a label; an input error is tied to its field (aria-invalid,
  aria-describedby naming the message); keyboard focus is visible on links, inputs and buttons.
- at 375 px wide no page scrolls sideways (only a table's own scroll wrapper may; a page that
  does is saved as a screenshot under the test's tmp_path); axe-core is run at that width too,
  on the same visit to each page.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from calculators.registry import CALCULATORS
from tests.conftest import ROOT
from tests.e2e.helpers import (
    AXE,
    Watch,
    assert_clean,
    axe_violations,
    describe_violations,
    example,
    examples_by_page,
    fill_form,
    inject_axe,
    warm_page,
)

# Minutes long: scheduled first, so it does not finish last (tests/conftest.py).
# No test here needs fresh browser state: they share the worker's warm context.
pytestmark = [pytest.mark.long, pytest.mark.browser_context("warm")]

PHONE_WIDTH = 375

class _NavLinks(HTMLParser):
    """The page links of the primary navigation (md-nav__link anchors that are not #fragments)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        href = found.get("href") or ""
        if tag == "a" and "md-nav__link" in (found.get("class") or "").split() \
                and href and not href.startswith("#"):
            self.links.append(href)


def site_pages(built_site: Path) -> list[str]:
    """Every page: the sitemap's, the navigation's (the print page is only there) and the 404."""
    pages: list[str] = []
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    for loc in ET.parse(built_site / "sitemap.xml").getroot().iterfind("s:url/s:loc", namespace):
        pages.append(re.sub(r"^https?://[^/]+/", "", (loc.text or "").strip()))
    nav = _NavLinks()
    nav.feed((built_site / "index.html").read_text(encoding="utf-8"))
    for href in nav.links:
        path = "" if href in {".", "./"} else href.removeprefix("./")
        pages.append(path)
    pages.append("404.html")
    unique = list(dict.fromkeys(pages))
    assert len(unique) > 10, unique
    for path in unique:
        target = built_site / path / "index.html" if not path.endswith(".html") else \
            built_site / path
        assert target.is_file(), f"{path} is linked but not built"
    return unique


def settle(page: Page) -> None:
    """Wait until the page has finished loading and every calculator engine has started."""
    page.wait_for_load_state("load")
    # The whole-guide print page's forms are hidden and never started (they are for paper).
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-result]')]"
        ".filter(r => !r.closest('#print-site-page'))"
        ".every(r => r.dataset.state !== 'loading')")


def wait_for_state(page: Page, name: str, state: str) -> None:
    page.locator(f"form[data-calculator='{name}'] [data-result][data-state={state}]").wait_for()


def open_all_details(page: Page) -> None:
    """Open every <details> ("More options"), so that the controls inside are checked too."""
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")


# ---- axe-core -----------------------------------------------------------------------------

def test_axe_finds_no_violation_on_any_page(page: Page, watch: Watch, built_site: Path) -> None:
    found: dict[str, list[dict[str, Any]]] = {}
    for path in site_pages(built_site):
        page.goto(path or "./")
        settle(page)
        if violations := axe_violations(page):
            found[path or "/"] = violations
    assert found == {}, "axe-core found violations:\n" + describe_violations(found)
    assert_clean(watch)


def test_axe_finds_no_violation_in_results_and_errors(page: Page, watch: Watch,
                                                      built_site: Path) -> None:
    # One result per calculator (its example), grouped by the page the form lives on.
    results = examples_by_page(built_site)
    assert {name for forms in results.values() for name, _ in forms} == set(CALCULATORS)
    found: dict[str, list[dict[str, Any]]] = {}
    for path, forms in results.items():
        page.goto(path)
        settle(page)
        for name, inputs in forms:
            fill_form(page, name, inputs)
            wait_for_state(page, name, "done")
        open_all_details(page)
        if violations := axe_violations(page):
            found[f"{path} (results)"] = violations
    # The error state: a result first, then a bad weight replaces it.
    page.goto("prophylaxis/")
    settle(page)
    fill_form(page, "prophylaxis", example("prophylaxis"))
    wait_for_state(page, "prophylaxis", "done")
    fill_form(page, "prophylaxis", {"weight_kg": "abc"})
    wait_for_state(page, "prophylaxis", "error")
    if violations := axe_violations(page):
        found["prophylaxis/ (input error)"] = violations
    assert found == {}, "axe-core found violations:\n" + describe_violations(found)
    assert_clean(watch)


def test_axe_core_is_not_shipped(built_site: Path) -> None:
    assert AXE.is_file(), "npm ci installs axe-core (package.json devDependencies)"
    assert not [p for p in built_site.rglob("*") if "axe" in p.name.lower()]


# ---- our own colours ----------------------------------------------------------------------

# A sample of every text colour cmvig.css sets, including states a page rarely shows (an overdue
# review, a warning, an unverified fact), on the page and inside a note.
SAMPLES = """
<p class="cmvig-hint">A hint under a field.</p>
<p class="cmvig-field-error">Weight (kg): must be more than 0.</p>
<div class="cmvig-result" data-state="error"><p>Not calculated: correct “Weight (kg)”.</p></div>
<div class="cmvig-result md-typeset" data-state="done">
  <div class="cmvig-answer"><p><strong>Dose 1: </strong>
    <span data-quantity="mg">10,500 mg</span></p></div>
  <div class="cmvig-warnings"><p><strong>Warning: </strong>above the label maximum.</p></div>
  <div class="cmvig-notes"><p class="cmvig-notes-title">Notes</p>
    <ul><li>A quiet note.</li></ul></div>
</div>
<p class="cmvig-review">Reviewed 2026-01-01.</p>
<p><span class="cmvig-off-label">off-label</span>
   <span class="cmvig-unverified-badge">unverified</span>
   <span class="cmvig-case-setting">heart</span></p>
<p class="cmvig-reference-note">A note on a reference.</p>
<p class="cmvig-overdue">Review overdue since 2026-01-01.</p>
<div class="cmvig-field"><label>Weight <input value="70"></label>
  <label>Organ <select><option>Kidney</option></select></label></div>
<div class="cmvig-table-filter"><label>Filter <input value="Chou"></label>
  <span class="cmvig-table-count">1 of 5 rows shown</span></div>
<aside class="cmvig-disclaimer"><p>A disclaimer.</p></aside>
<p><span class="cmvig-hazard-kind">wrong dose</span> <span class="cmvig-hazard-open">Open</span></p>
"""


def colour_classes() -> set[str]:
    """The .cmvig-* classes in the selectors of cmvig.css rules that set a text colour."""
    css = re.sub(r"/\*.*?\*/", "", (ROOT / "site_src" / "stylesheets" / "cmvig.css")
                 .read_text(encoding="utf-8"), flags=re.S)
    found: set[str] = set()
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        if re.search(r"(?<![-\w])color\s*:", body):
            found.update(re.findall(r"\.(cmvig-[\w-]+)", selector))
    return found


def test_our_colours_meet_aa_contrast(page: Page, watch: Watch) -> None:
    sampled = set(re.findall(r'class="([\w-]+)"', SAMPLES))
    assert colour_classes() <= sampled, "add a sample of the new colour class to SAMPLES"
    page.goto("prophylaxis/")
    page.evaluate(
        """(html) => {
          const samples = document.createElement("section");
          samples.id = "cmvig-samples";
          samples.innerHTML = html + '<div class="admonition note">' +
            `<p class="admonition-title">Note</p>${html}</div>`;
          document.querySelector("article").append(samples);
        }""", SAMPLES)
    inject_axe(page)
    result = page.evaluate(
        """async () => {
          const r = await axe.run("#cmvig-samples", { runOnly: ["color-contrast"] });
          return { checked: r.passes.flatMap((p) => p.nodes).length + r.violations.length,
                   violations: r.violations.flatMap((v) => v.nodes.map((n) =>
                     `${n.target.join(" ")}: ${n.any.map((c) => c.message).join("; ")}`)) };
        }""")
    assert result["violations"] == []
    assert result["checked"] > 20
    assert_clean(watch)


# ---- forms: labels, errors, focus ---------------------------------------------------------

def test_every_form_control_has_a_label(page: Page, watch: Watch, built_site: Path) -> None:
    unlabelled: list[str] = []
    for path in examples_by_page(built_site):  # every page with a calculator
        page.goto(path)
        unlabelled += [f"{path} {name}" for name in page.evaluate(
            """() => [...document.querySelectorAll(
                   "main input:not([type=hidden]), main select, main textarea")]
                 .filter((c) => c.labels.length === 0 && !c.getAttribute("aria-label")
                                && !c.getAttribute("aria-labelledby"))
                 .map((c) => c.name || c.id || c.outerHTML)""")]
    assert unlabelled == []
    assert_clean(watch)


def test_input_error_is_tied_to_its_field(page: Page, watch: Watch) -> None:
    page.goto("prophylaxis/")
    fill_form(page, "prophylaxis", {**example("prophylaxis"), "weight_kg": "-5"})
    wait_for_state(page, "prophylaxis", "error")
    weight = page.locator("form[data-calculator=prophylaxis] [name=weight_kg]")
    assert weight.get_attribute("aria-invalid") == "true"
    described = (weight.get_attribute("aria-describedby") or "").split()
    messages = [page.locator(f"[id='{ref}']").inner_text() for ref in described]
    assert any("Weight (kg)" in message for message in messages), messages
    # Fixing the value clears the error and the mark.
    fill_form(page, "prophylaxis", {"weight_kg": "70"})
    wait_for_state(page, "prophylaxis", "done")
    assert weight.get_attribute("aria-invalid") is None
    assert_clean(watch)


FOCUS_STYLE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const visible = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 1)
    || (s.boxShadow && s.boxShadow !== "none");
  return { tag: e.tagName.toLowerCase(), name: e.name || e.getAttribute("href") || e.className,
           outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, visible };
}"""


def test_keyboard_focus_is_visible(page: Page, watch: Watch) -> None:
    page.goto("prophylaxis/")
    settle(page)
    seen: dict[str, int] = defaultdict(int)
    hidden: list[dict[str, Any]] = []
    for _ in range(120):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_STYLE)
        if focused is None:
            continue
        seen[focused["tag"]] += 1
        if not focused["visible"]:
            hidden.append(focused)
    assert {"a", "input", "select", "button"} <= set(seen), dict(seen)
    assert hidden == [], hidden
    assert_clean(watch)


# ---- 375 px: nothing scrolls sideways -----------------------------------------------------

OVERFLOWING = """(width) => [...document.querySelectorAll("body *")].filter((e) => {
  const box = e.getBoundingClientRect();
  if (box.width === 0 || box.right <= width + 0.5) return false;
  for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
    const x = getComputedStyle(p).overflowX;
    if (x === "auto" || x === "scroll" || x === "hidden" || x === "clip") return false;
  }
  return true;
}).slice(0, 8).map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} `
                          + `right=${Math.round(e.getBoundingClientRect().right)}`)"""


@dataclass
class PhoneTour:
    """Every page at 375 px, visited once by both phone tests (a visit starts every calculator
    engine on the page, the slowest step): axe-core's violations as the page first shows, then,
    with every <details> open, whether the page scrolls sideways and, if so, what sticks out."""

    axe: dict[str, list[dict[str, Any]]]
    overflow: dict[str, Any]
    pages: int
    watch: Watch


def check_width(page: Page, where: str, shots: Path, problems: dict[str, Any]) -> None:
    """Record ``where`` in ``problems`` if the page is wider than the phone, with a screenshot."""
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE_WIDTH:
        page.screenshot(path=shots / f"{re.sub(r'[^a-z0-9]+', '-', where.lower()).strip('-')}.png",
                        full_page=True)
        problems[where] = {"scrollWidth": width,
                           "elements": page.evaluate(OVERFLOWING, PHONE_WIDTH)}


@pytest.fixture(scope="module")
def phone_tour(warm_context: BrowserContext, base_url: str, built_site: Path,
               tmp_path_factory: pytest.TempPathFactory) -> PhoneTour:
    shots = tmp_path_factory.mktemp("phone")
    tour = PhoneTour(axe={}, overflow={}, pages=0, watch=Watch())
    with warm_page(warm_context, base_url, tour.watch) as phone:
        phone.set_viewport_size({"width": PHONE_WIDTH, "height": 812})
        for path in site_pages(built_site):
            phone.goto(path or "./")
            settle(phone)
            # The narrow layout differs (drawer, header, scrolling tables): axe checks it too.
            if violations := axe_violations(phone):
                tour.axe[path or "/"] = violations
            open_all_details(phone)
            check_width(phone, path or "home", shots, tour.overflow)
            tour.pages += 1
        # A schedule (a wide table) in a result: it scrolls inside its own wrapper, not the page.
        phone.goto("prophylaxis/")
        settle(phone)
        fill_form(phone, "prophylaxis", example("prophylaxis"))
        wait_for_state(phone, "prophylaxis", "done")
        check_width(phone, "prophylaxis result", shots, tour.overflow)
    return tour


def test_axe_finds_no_violation_at_375px(phone_tour: PhoneTour) -> None:
    assert phone_tour.pages > 10
    assert phone_tour.axe == {}, ("axe-core found violations at 375 px:\n"
                                  + describe_violations(phone_tour.axe))
    assert_clean(phone_tour.watch)


def test_nothing_overflows_at_375px(phone_tour: PhoneTour) -> None:
    assert phone_tour.pages > 10
    assert phone_tour.overflow == {}, phone_tour.overflow
    assert_clean(phone_tour.watch)
