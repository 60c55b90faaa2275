"""The page's hand-written JavaScript knows no calculator and no rule (issue 12, item 4).

What a result shows and how it was calculated are written by the core
(``calculators.presenters``); the page draws them with one generic renderer. So no script names a
calculator, states a formula's constant or keeps its own copy of the Content Security Policy
(``self-test.js`` imports the one ``build_scripts.hosting.security`` writes into
``assets/security.mjs``).
Before this issue ``calculators.js`` held a renderer and a "how this was calculated" text per
calculator (Devine's 50 and 45.5 kg, 2.3 kg per inch, 2.54 cm per inch, the factor 0.4).
"""

from __future__ import annotations

import re
from decimal import Decimal

from build_scripts.hosting.security import CONTENT_SECURITY_POLICY
from calculators import body_weight, viral_load
from calculators.registry import CALCULATORS
from tests.conftest import ROOT

# The hand-written browser code (the build copies it into docs/javascripts/).
SCRIPTS = ROOT / "site_src" / "javascripts"

# The core's constants a formula of the page once restated. DEVINE_FROM_INCHES (60) is left out:
# 60 is also the minutes of an hour, which the page's duration() uses.
CONSTANTS: tuple[Decimal, ...] = (
    *body_weight.DEVINE_BASE_KG.values(), body_weight.DEVINE_KG_PER_INCH,
    body_weight.CM_PER_INCH, body_weight.ADJUSTMENT_FACTOR, body_weight.LB_IN_KG,
    viral_load.SCHULZ_PCR_LOG10,
)


def code(source: str) -> str:
    """``source`` without its comments (what runs, not what explains it)."""
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.DOTALL)
    return re.sub(r"(?<![:\\])//.*$", "", source, flags=re.MULTILINE)


def rules_in(source: str) -> list[str]:
    """The calculator names and the core's constants ``source``'s code states."""
    running = code(source)
    names = [name for name in CALCULATORS
             if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", running)]
    constants = [str(value) for value in CONSTANTS
                 if re.search(rf"(?<![\w.]){re.escape(str(value))}(?![\w.])", running)]
    return names + constants


def test_the_rule_finder_finds_names_and_constants() -> None:
    # The old renderer's own lines.
    assert rules_in('const HOW = { "body-weight": (r) => `${r.sex === "male" ? "50" : "45.5"} '
                    'kg + 2.3 kg per inch (${r.height_cm / 2.54} in); 0.4 × ...` };') == [
        "body-weight", "50", "45.5", "2.3", "2.54", "0.4"]
    assert rules_in("const RENDERERS = { prophylaxis(result, form) {} };") == ["prophylaxis"]
    assert rules_in("// the prophylaxis form, 45.5 kg\nconst x = 1;") == []


def test_no_script_names_a_calculator_or_restates_a_constant() -> None:
    scripts = sorted(SCRIPTS.glob("*.js"))
    assert any(path.name == "calculators.js" for path in scripts)
    found = {path.name: rules_in(path.read_text(encoding="utf-8")) for path in scripts}
    assert {name: rules for name, rules in found.items() if rules} == {}


def test_self_test_keeps_no_copy_of_the_policy() -> None:
    script = (SCRIPTS / "self-test.js").read_text(encoding="utf-8")
    assert 'from "../assets/security.mjs"' in script
    directives = [d.strip() for d in CONTENT_SECURITY_POLICY.split(";")]
    assert len(directives) > 3
    assert [d for d in directives if d in script] == []
