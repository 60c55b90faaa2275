"""The built site: generated pages, the calculator's DOM contract, a self-contained Pyodide."""

from __future__ import annotations

import hashlib
import html.parser
import json
import re
from pathlib import Path

from build_scripts.build import docs_lock
from build_scripts.external_refs import external_references, site_references
from build_scripts.runtime import engine_id
from tests.conftest import ROOT


class _Forms(html.parser.HTMLParser):
    """Collects calculator forms with their named controls and result regions."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, object]] = {}
        self._form: dict[str, object] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and a.get("data-calculator"):
            self._form = {"controls": {}, "results": []}
            self.forms[str(a["data-calculator"])] = self._form
        if self._form is None:
            return
        controls = self._form["controls"]
        assert isinstance(controls, dict)
        if tag in {"input", "select"} and a.get("name"):
            controls[a["name"]] = {"tag": tag, "type": a.get("type"), "options": [],
                                   "required": "required" in a
                                   or a.get("aria-required") == "true"}
            self._select = a["name"] if tag == "select" else None
        if tag == "option" and self._select:
            controls[self._select]["options"].append(a.get("value"))
        if "data-result" in a:
            results = self._form["results"]
            assert isinstance(results, list)
            results.append(a.get("data-state"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def _forms(page: Path) -> dict[str, dict[str, object]]:
    parser = _Forms()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.forms


def test_prophylaxis_form_follows_the_dom_contract(built_site: Path) -> None:
    forms = _forms(built_site / "prophylaxis" / "index.html")
    form = forms["prophylaxis"]
    controls = form["controls"]
    assert isinstance(controls, dict)
    # Every input is named as the core's parameter; the three the schedule needs are required.
    from calculators.registry import CALCULATORS

    assert set(controls) == {f.name for f in CALCULATORS["prophylaxis"].fields}
    assert {name for name, c in controls.items() if c["required"]} == {
        "weight_kg", "organ", "transplant_date"}
    # Text, not type=number: the core must see exactly what was typed (decimal comma, 'abc').
    assert controls["weight_kg"]["type"] == "text"
    assert controls["transplant_date"]["type"] == "date"
    # Issue 15: a required choice starts empty, so an untouched form sends no organ.
    assert controls["organ"]["options"] == ["", "kidney", "liver", "lung", "pancreas", "heart"]
    assert form["results"] == ["loading"]


def test_home_page_has_no_calculator(built_site: Path) -> None:
    assert _forms(built_site / "index.html") == {}


class _HeadScripts(html.parser.HTMLParser):
    """The module scripts and module preloads of a page's <head>."""

    def __init__(self) -> None:
        super().__init__()
        self.in_head = False
        self.scripts: list[dict[str, str | None]] = []
        self.preloads: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.in_head = self.in_head or tag == "head"
        if self.in_head and tag == "script" and a.get("type") == "module":
            self.scripts.append(a)
        if self.in_head and tag == "link" and a.get("rel") == "modulepreload":
            self.preloads.append(a.get("href"))

    def handle_endtag(self, tag: str) -> None:
        self.in_head = self.in_head and tag != "head"


def test_only_pages_with_a_calculator_form_start_the_engine_from_their_head(
        built_site: Path) -> None:
    # Issue 16, cold start: the engine starts while the page is parsed, on the pages that need it
    # (the whole-guide print page's forms are for paper); guidance pages load no engine at all.
    starting = []
    for page in sorted(built_site.rglob("index.html")):
        head = _HeadScripts()
        head.feed(page.read_text(encoding="utf-8"))
        up = "../" * (len(page.relative_to(built_site).parts) - 1)
        engine_start = {"type": "module", "async": None, "src": f"{up}javascripts/engine-start.js"}
        has_form = bool(_forms(page)) and page.parent.name != "print_page"
        assert (engine_start in head.scripts) == has_form, page
        if has_form:
            starting.append(page.parent.name)
            # Fetched alongside it, not one after the other.
            assert head.preloads == [f"{up}javascripts/calculator-client.js",
                                     f"{up}assets/runtime.mjs"], page
        else:
            assert head.preloads == [], page
    assert {"prophylaxis", "treatment", "hsct"} <= set(starting)


def test_generated_pages_say_they_are_generated(built_site: Path) -> None:
    with docs_lock(ROOT, shared=True):  # not while another test's build rewrites docs/
        listed = (ROOT / "docs" / ".generated").read_text().split()
        pages = [ROOT / name for name in listed
                 if name.endswith(".md") and not name.startswith("docs/includes/")]
        content_pages = {p.name for p in (ROOT / "site_src" / "pages").glob("*.md")}
        assert {p.name for p in pages} == content_pages | {
            "references.md", "glossary.md", "changelog.md", "print_page.md"}
        for page in pages:
            assert "GENERATED by build_scripts from site_src/" in page.read_text()


def test_site_loads_nothing_from_outside(built_site: Path) -> None:
    refs = site_references(built_site)
    # The scan is real: it sees the site's own stylesheets, scripts, worker and Pyodide import.
    kinds = {ref.kind for ref in refs}
    assert {"<link rel=stylesheet>", "<script src>", "import", "Worker", "css url()"} <= kinds
    assert external_references(built_site) == []


def test_no_web_fonts(built_site: Path) -> None:
    assert not [p for p in built_site.rglob("*") if p.suffix in {".woff", ".woff2", ".ttf"}]


def test_pyodide_runtime_is_vendored_from_the_pinned_npm_package(built_site: Path) -> None:
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]["pyodide"]
    locked = json.loads((ROOT / "package-lock.json").read_text())
    assert locked["packages"]["node_modules/pyodide"]["version"] == pinned
    npm = ROOT / "node_modules" / "pyodide"
    # In a folder named for the version, so that servers may cache it for good.
    assert [p.name for p in (built_site / "assets" / "pyodide").iterdir()] == [pinned]
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"):
        shipped = built_site / "assets" / "pyodide" / pinned / name
        assert shipped.read_bytes() == (npm / name).read_bytes(), name
    # The npm package's own lock (hundreds of CDN packages) must not be shipped.
    assert not list((built_site / "assets" / "pyodide").rglob("pyodide-lock.json"))


def test_site_lock_lists_only_the_shipped_wheel_with_its_hash(built_site: Path) -> None:
    (wheels,) = (built_site / "assets" / "wheels").iterdir()
    lock = json.loads((wheels / "pyodide-lock.json").read_text())
    assert list(lock["packages"]) == ["calculators"]
    entry = lock["packages"]["calculators"]
    wheel = wheels / entry["file_name"]
    assert (entry["file_name"].startswith("calculators-")
            and not entry["file_name"].startswith("http"))
    assert entry["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    # The folder is named for the wheel's hash, so that servers may cache it for good.
    assert wheels.name == entry["sha256"][:12]
    npm_info = json.loads((ROOT / "node_modules/pyodide/pyodide-lock.json").read_text())["info"]
    assert lock["info"] == npm_info


def test_runtime_module_names_the_shipped_folders(built_site: Path) -> None:
    module = (built_site / "assets" / "runtime.mjs").read_text()
    constants = dict(re.findall(r'^export const (\w+) = "([^"]*)";$', module, re.MULTILINE))
    assert module.startswith("// GENERATED by build_scripts/runtime.py")
    assert constants.keys() == {"PYODIDE_DIR", "WHEELS_DIR", "SNAPSHOT", "ENGINE"}
    assert (built_site / "assets" / constants["PYODIDE_DIR"] / "pyodide.asm.wasm").is_file()
    assert (built_site / "assets" / constants["WHEELS_DIR"] / "pyodide-lock.json").is_file()
    # The memory snapshot sits in the versioned wheels folder (build_scripts/snapshot.py).
    assert constants["SNAPSHOT"].startswith(constants["WHEELS_DIR"])
    assert (built_site / "assets" / constants["SNAPSHOT"]).is_file()
    worker = (built_site / "javascripts" / "calculator-worker.js").read_text()
    assert 'from "../assets/runtime.mjs"' in worker
    # The engine's name covers the settings and the worker's code as the site ships them.
    assert constants["ENGINE"] == engine_id(built_site / "assets", {
        key: value for key, value in constants.items() if key != "ENGINE"})


def test_self_test_recommends_the_one_policy(built_site: Path) -> None:
    # self-test.js kept its own copy of the policy; it now imports what security.py wrote.
    from build_scripts.hosting.security import CONTENT_SECURITY_POLICY, FRAME_OPTIONS

    module = (built_site / "assets" / "security.mjs").read_text()
    constants = dict(re.findall(r'^export const (\w+) = "([^"]*)";$', module, re.MULTILINE))
    assert constants == {"CONTENT_SECURITY_POLICY": CONTENT_SECURITY_POLICY,
                         "FRAME_OPTIONS": FRAME_OPTIONS}
    script = (built_site / "javascripts" / "self-test.js").read_text()
    assert 'from "../assets/security.mjs"' in script
    assert "default-src 'self'; script-src" not in script  # no copy of its own


def test_iis_web_config_is_shipped_in_the_site_root(built_site: Path) -> None:
    shipped = (built_site / "web.config").read_bytes()
    assert shipped == (ROOT / "build_scripts" / "hosting" / "deploy" / "web.config").read_bytes()


def test_regimens_are_grouped_by_setting_in_the_dropdown(built_site: Path) -> None:
    # Issue 15: <optgroup> per setting, derived from the regimens' data (calculators.regimens);
    # the monograph's pneumonitis course is under stem-cell transplant and says so itself.
    page = (built_site / "treatment" / "index.html").read_text(encoding="utf-8")
    select = re.search(r'<select[^>]*name="regimen".*?</select>', page, re.DOTALL)
    assert select is not None
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select.group(0), re.DOTALL)
    values = {label: re.findall(r'<option value="([^"]+)"', body) for label, body in groups}
    assert list(values) == ["Thoracic transplant (heart, lung)", "Stem-cell transplant (HSCT)"]
    assert values["Stem-cell transplant (HSCT)"] == ["pneumonitis-label", "zhang-2021-hsct"]
    assert ('<option value="pneumonitis-label">Severe CMV pneumonitis after stem-cell transplant '
            '(CMV Ig monograph) — Drug monograph, off-label use</option>') in select.group(0)
    # A required choice starts empty: an untouched form chooses no regimen.
    assert re.search(r'name="regimen"[^>]* required[^>]*>\s*<option value="" selected>Choose…',
                     select.group(0))
