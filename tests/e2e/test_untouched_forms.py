"""An untouched form never yields a clinical conclusion (issue 15, item 2).

For every calculator on the site, its page is opened and Calculate pressed with nothing typed,
ticked or chosen: the answer must be a message naming a field (the field marked invalid, the
message beside it), the same field the core names for no input (so the command line says the
same), never a result. And every input a calculator needs to answer is in view: "More options"
holds only fields the core may do without.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from calculators import registry
from calculators.errors import InputError
from tests.e2e.helpers import Watch, assert_clean

# Tests here need no fresh browser: they share the worker's warm context (e2e/conftest.py).
pytestmark = pytest.mark.browser_context("warm")


def core_refusal(name: str) -> InputError:
    with pytest.raises(InputError) as caught:
        registry.run(name, {})
    return caught.value


@pytest.mark.parametrize("name", sorted(registry.CALCULATORS))
def test_calculate_on_an_untouched_form_names_a_field(
        page: Page, watch: Watch, calculator_paths: dict[str, str], name: str) -> None:
    assert name in calculator_paths, f"no page of the site has the {name} calculator's form"
    refusal = core_refusal(name)
    page.goto(calculator_paths[name])
    form = page.locator(f"form[data-calculator='{name}']")
    form.locator("[data-result][data-state=ready]").wait_for()
    form.locator("button[type=submit]").click()
    page.wait_for_function(
        "(f) => ['done', 'error'].includes(f.querySelector('[data-result]').dataset.state)",
        arg=form.element_handle())
    shown = form.evaluate("""(f) => ({
        state: f.querySelector('[data-result]').dataset.state,
        text: f.querySelector('[data-result]').innerText,
        invalid: [...f.querySelectorAll('[aria-invalid=true]')].map((c) => [c.name,
            f.querySelector('#' + CSS.escape(c.id) + '-error')?.textContent ?? '']),
        focused: document.activeElement?.name ?? null,
    })""")
    assert shown["state"] == "error", f"{name}: an untouched form gave a result: {shown['text']}"
    assert shown["invalid"] == [[refusal.field, refusal.message]], shown
    assert shown["focused"] == refusal.field
    # The criteria form, untouched, asks for the boxes: it never reads as "no criterion met".
    assert "criterion met" not in shown["text"] and "Consider CMVIG" not in shown["text"]
    assert_clean(watch)


@pytest.mark.parametrize("name", sorted(registry.CALCULATORS))
def test_every_input_the_core_needs_is_in_view(
        page: Page, calculator_paths: dict[str, str], name: str) -> None:
    page.goto(calculator_paths[name])
    form = page.locator(f"form[data-calculator='{name}']")
    under_more_options = set(form.locator("details.cmvig-options [name]").evaluate_all(
        "controls => controls.map((c) => c.name)"))
    fields = registry.CALCULATORS[name].fields
    assert {f.name for f in fields if f.in_view} & under_more_options == set()
    assert {f.name for f in fields if not f.in_view} == under_more_options
    for field in (f for f in fields if f.in_view):
        assert form.locator(f"[name='{field.name}']").is_visible(), field.name
