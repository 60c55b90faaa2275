"""Every calculator's answer is in view on a phone and on a desktop (issue 15, item 1).

At 390 px and 1366 px wide, each calculator's example result (the inputs the screenshots and the
end-to-end tests use) must open with its answer box, and every dose, volume, vial and rate figure
(``[data-quantity=mg|ml|vials|rate]``, the README's DOM contract) must lie inside the viewport and
inside the result region, which is the text column: a table wider than the column hides its last
columns behind a sideways scroll with no cue. The page itself must not scroll sideways, and the
theme's "Back to top" button must not cover the text.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from calculators.registry import CALCULATORS
from tests.e2e.helpers import WIDTHS, Watch, assert_clean, example, fill_form

# Tests here need no fresh browser: they share the worker's warm context (e2e/conftest.py).
pytestmark = pytest.mark.browser_context("warm")

# The figures a nurse acts on, by calculator: each must be shown at least once.
QUANTITIES = {
    "prophylaxis": {"mg", "ml", "vials"},
    "regimen": {"mg", "ml", "vials"},
    "units": {"mg", "ml", "vials"},
    "infusion": {"rate", "mg", "ml"},
}

# What lies outside the viewport or the result region, and what scrolls sideways.
MEASURE = """(region) => {
  const width = document.documentElement.clientWidth;
  const box = region.getBoundingClientRect();
  const outside = [];
  for (const cell of region.querySelectorAll("[data-quantity]")) {
    const r = cell.getBoundingClientRect();
    const where = `${cell.dataset.quantity} "${cell.textContent.trim()}" at ` +
      `${Math.round(r.left)}..${Math.round(r.right)}`;
    const column = `${Math.round(box.left)}..${Math.round(box.right)}`;
    if (r.width === 0 || r.height === 0) outside.push(`${where}: not shown`);
    else if (r.left < 0 || r.right > width) outside.push(`${where}: outside the viewport`);
    else if (r.left < box.left - 0.5 || r.right > box.right + 0.5) {
      outside.push(`${where}: outside the text column ${column}`);
    }
  }
  return {
    kinds: [...new Set([...region.querySelectorAll("[data-quantity]")]
      .map((c) => c.dataset.quantity))],
    first: region.firstElementChild?.className ?? "",
    outside,
    pageScroll: document.documentElement.scrollWidth - width,
    scrolled: [...region.querySelectorAll("*")].filter((e) => e.scrollWidth > e.clientWidth + 1 &&
      ["auto", "scroll"].includes(getComputedStyle(e).overflowX)).map((e) => e.className),
  };
}"""


@pytest.mark.parametrize(("width", "height"), WIDTHS.values(), ids=list(WIDTHS))
@pytest.mark.parametrize("name", list(CALCULATORS))
def test_every_figure_to_act_on_is_in_view(page: Page, watch: Watch, width: int, height: int,
                                           calculator_paths: dict[str, str], name: str) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(calculator_paths[name])
    fill_form(page, name, example(name))
    region = page.locator(f"form[data-calculator='{name}'] [data-result][data-state=done]")
    region.wait_for()
    found = region.evaluate(MEASURE)
    assert found["first"] == "cmvig-answer", f"{name}: the result opens with {found['first']!r}"
    assert set(found["kinds"]) >= QUANTITIES.get(name, set()), found["kinds"]
    assert found["outside"] == [], f"{name} at {width} px: {found['outside']}"
    assert found["scrolled"] == [], f"{name} at {width} px scrolls inside {found['scrolled']}"
    assert found["pageScroll"] <= 0, f"the page scrolls sideways by {found['pageScroll']} px"
    assert_clean(watch)


@pytest.mark.parametrize(("width", "height"), WIDTHS.values(), ids=list(WIDTHS))
def test_back_to_top_never_covers_the_text(page: Page, watch: Watch, width: int,
                                           height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto("treatment/")
    # mkdocs-material shows the button when the reader scrolls back up.
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -600)
    page.wait_for_timeout(500)
    overlap = page.evaluate("""() => {
      const button = document.querySelector(".md-top");
      const text = document.querySelector(".md-content__inner");
      if (!button || button.hidden || getComputedStyle(button).display === "none") return null;
      const [b, t] = [button.getBoundingClientRect(), text.getBoundingClientRect()];
      return b.left < t.right && b.right > t.left && b.top < t.bottom && b.bottom > t.top
        ? `button ${Math.round(b.left)}..${Math.round(b.right)} over text ${Math.round(t.left)}..` +
          `${Math.round(t.right)}` : "";
    }""")
    if width >= 1220:  # beside the text column: it must be shown there, and not over the text
        assert overlap is not None, "the button did not appear after scrolling back up"
    assert not overlap, overlap
    assert_clean(watch)
