// CMVIG Guide: binds every <form data-calculator> to the calculator engine and renders its
// results. Hand-written, not generated. Loaded once per tab as a module (mkdocs.yml
// extra_javascript); forms are bound on every instant-navigation page swap through
// mkdocs-material's document$. The engine (one Pyodide per browser, shared by its tabs) is
// reached through calculator-client.js. What a result shows is described by the core (each
// result type's blocks and explanation, gathered by calculators/presenters.py) and drawn here;
// what leaves the screen is made in calculator-output.js.
//
// The DOM contract (used by tests and by checks outside the suite):
//   form[data-calculator=NAME]   NAME is the core's calculator name (and CLI subcommand);
//   inputs named as the core function's parameters;
//   [data-result] with data-state = loading | ready | done | stale | error ("stale": a result
//   whose inputs have changed since; it is marked out of date and its buttons are disabled);
//   each dose row of a schedule is a <tr data-dose-mg="...">;
//   a result opens with .cmvig-answer; hazards in .cmvig-warnings, quiet notes in .cmvig-notes;
//   figures to act on carry data-quantity = mg | ml | vials | rate (README, "The DOM contract").
//   <html data-engine-start=snapshot|full> once the engine is ready: how the worker started
//   (calculator-client.js, which also sets data-engine-worker=shared|dedicated).

import { actionsBar, disableActions, formInputs, restoreFromLink, usePrecision } from "./calculator-output.js";
import { connectEngine, EngineError } from "./calculator-client.js";
import { keyed, replaced, updateChildren } from "./keyed-update.js";

const DEBOUNCE_MS = 250;

const boundForms = new WeakSet();

/** This tab's engine (calculator-client.js), its figures shown with the core's precision. */
function startEngine() {
  const current = connectEngine();
  current.ready.then(({ precision }) => usePrecision(precision), () => {});
  return current;
}

// ---- presenting results -------------------------------------------------------------------
// The core says what a result shows (each result type's blocks, of calculators/layout.py, gathered
// by calculators/presenters.py), every figure already written with its precision, and how it was
// calculated; this draws those blocks and knows no calculator, formula or dose. A result reads:
// the answer a nurse acts on, first (.cmvig-answer); then the hazards, in one style that stands
// out (.cmvig-warnings); then the detail (tables whose cells carry
// data-quantity="mg|ml|vials|rate" and data-label, so a phone shows each row as a card led by
// those figures); then the quiet notes (.cmvig-notes), the sources and how it was calculated.

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

/** Inline text: plain strings, figures marked with their quantity (data-quantity, so tests and
 * phones can find them), bold lead-ins, dates. */
function inline(part) {
  if (typeof part === "string") return part;
  if (part.quantity) return element("span", { "data-quantity": part.quantity }, part.text);
  if (part.date) return element("time", { datetime: part.date }, part.text);
  return part.strong ? element("strong", {}, part.text) : part.text;
}
const parts = (list) => list.map(inline);
const styled = (style) => (style ? { class: `cmvig-${style}` } : {});

/** "Sources: …", each a link to its entry on the references page. */
function sourcesLine(form, keys) {
  const names = JSON.parse(form.dataset.sources ?? "{}");
  const references = document.querySelector(".md-nav a[href$='references/']")?.href;
  const items = keys.flatMap((key, index) => {
    const text = names[key] ?? key;
    const link = references ? element("a", { href: `${references}#${key}` }, text) : text;
    return index ? ["; ", link] : [link];
  });
  return element("p", { class: "cmvig-sources" }, "Sources: ", ...items, ".");
}

/**
 * A table with a caption. A column's `quantity` (mg, ml, vials, rate) marks the figures a phone's
 * card shows first, `lead` the cells that name the row (first on a card), `wide` text that takes a
 * card's whole width. A row's key is how a recompute finds it again (keyed-update.js); a dose row
 * carries its dose (data-dose-mg), the patient's row is marked.
 */
function dataTable({ caption, columns, rows, total }) {
  const numeric = (c) => (c.numeric || c.quantity ? "cmvig-number" : "");
  const head = element("tr", {}, ...columns.map((c) => element("th", { scope: "col", class: numeric(c) }, c.head)));
  const cellAttributes = (c) => ({
    class: numeric(c), "data-label": c.head,
    ...(c.quantity ? { "data-quantity": c.quantity } : {}),
    ...(c.lead ? { "data-lead": "" } : {}), ...(c.wide ? { "data-wide": "" } : {}),
  });
  const rowAttributes = (row) => ({
    ...(row.dose_mg === null ? {} : { "data-dose-mg": String(row.dose_mg) }),
    ...(row.marked ? { class: "cmvig-patient-row", "aria-current": "true" } : {}),
  });
  const body = rows.map((row) => {
    const tr = element("tr", rowAttributes(row),
      ...row.cells.map((cell, index) => element("td", cellAttributes(columns[index]), ...parts(cell))));
    return row.key === null ? tr : keyed(tr, row.key);
  });
  const footer = total && element("tr", { class: "cmvig-total" },
    element("th", { scope: "row", colspan: String(total.span) }, total.label),
    ...total.cells.map((cell, index) => element("td", cellAttributes(columns[total.span + index]), ...parts(cell))));
  // No class on the table, so mkdocs-material styles it like every other table on the site.
  const table = element("table", {}, element("caption", {}, caption), element("thead", {}, head),
    element("tbody", {}, ...body), footer ? element("tfoot", {}, footer) : "");
  // Should a table still be wider than the column, it scrolls inside this wrapper: keyboard users
  // must reach it (tabindex), and a focusable region needs a name (the caption's text).
  return element("div", { class: "md-typeset__scrollwrap", tabindex: "0", role: "region", "aria-label": caption },
    element("div", { class: "md-typeset__table" }, table));
}

const list = (block) => element("ul", block.heading ? {} : styled(block.style),
  ...block.items.map((item) => element("li", {}, ...parts(item))));

/** Each kind of block (calculators/layout.py) as HTML. */
const DRAW = {
  box: (block) => element("div", styled(block.style), ...block.lines.map((line) => element("p", {}, ...parts(line)))),
  line: (block) => element("p", styled(block.style), ...parts(block.parts)),
  items: (block) => (block.heading
    ? element("div", styled(block.style),
      element("p", block.style ? { class: `cmvig-${block.style}-title` } : {}, block.heading), list(block))
    : list(block)),
  table: dataTable,
  folded: (block) => element("details", styled(block.style), element("summary", {}, block.summary),
    ...block.blocks.map(draw)),
  sources: (block, form) => sourcesLine(form, block.keys),
};

function draw(block, form) {
  return DRAW[block.kind](block, form);
}

// Hazards: inputs outside their expected range (the registry's input_warnings), then the core's
// warnings; counted for the one-line summary a screen reader hears.
const allWarnings = (result) => [...(result.input_warnings ?? []), ...(result.warnings ?? [])];

// ---- binding forms ------------------------------------------------------------------------

function setState(region, state, ...content) {
  region.dataset.state = state;
  region.replaceChildren(...content);
}

/**
 * Show a result: only what differs from the one on screen is written (keyed-update.js), so a
 * recompute repaints the changed figures, not the whole result. The out-of-date notes go.
 */
function showResult(region, nodes) {
  region.dataset.state = "done";
  for (const note of region.querySelectorAll(":scope > .cmvig-stale")) note.remove();
  updateChildren(region, nodes.map((node) => (typeof node === "string" ? document.createTextNode(node) : node)));
}

function clearFieldErrors(form) {
  for (const control of form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
  for (const message of form.querySelectorAll(".cmvig-field-error")) message.textContent = "";
}

/**
 * Say `text` once to screen readers. The result region itself is not live: re-reading a whole
 * dose table on every keystroke would drown the reader, so a short summary is announced instead.
 */
function announce(form, text) {
  // The form's template holds the status element (site_src/templates/calculator_form.html.j2).
  const live = form.querySelector(".cmvig-announce");
  if (live) live.textContent = text;
}

/**
 * An input error is shown once: beside its field, the result region only pointing to that field.
 * While typing, a field folded away under "More options" is left folded and its message goes in
 * the result region instead, as does a message that names no field of this form, and one about a
 * field still empty (not reached yet): a message appearing beside it would move every field
 * below it under the reader's pointer or finger, on the way to a checkbox such as haemodialysis.
 */
function showInputError(form, region, error, fromSubmit) {
  const control = error.field ? form.elements.namedItem(error.field) : null;
  if (!(control instanceof Element)) {
    setState(region, "error", element("p", {}, error.message));
    announce(form, `Not calculated: ${error.message}`);
    return;
  }
  // Not reached yet while typing: neither marked invalid nor given the message beside it (below).
  const reached = fromSubmit || !(typeof control.value === "string" && control.value.trim() === "");
  if (reached) control.setAttribute("aria-invalid", "true");
  // After Calculate, take the reader to what needs fixing, opening "More options" if it is
  // there; while typing, leave the cursor (and the form) as it is.
  if (fromSubmit) {
    const options = control.closest("details");
    if (options) options.open = true;
    control.focus();
  }
  const slot = form.querySelector(`#${CSS.escape(control.id)}-error`);
  if (slot && control.checkVisibility() && reached) {
    slot.textContent = error.message;
    const label = form.querySelector(`label[for="${CSS.escape(control.id)}"]`)?.textContent.trim() ?? error.field;
    setState(region, "error", element("p", {}, `Not calculated: correct “${label}” (see the message beside it).`));
  } else {
    setState(region, "error", element("p", {}, error.message));
  }
  announce(form, `Not calculated: ${error.message}`);
}

/** When the engine cannot run, open this page's build-time dose tables and point to them. */
function offerFallback(region, message) {
  const tables = [...document.querySelectorAll(".cmvig-fallback")];
  for (const details of document.querySelectorAll(".cmvig-fallback-details")) details.open = true;
  const content = [element("p", {}, message)];
  if (tables.length) {
    content.push(element("p", {}, "The dose tables on this page still work: ",
      element("a", { href: `#${tables[0].id}` }, "go to the dose table"),
      " (worked out by the same calculator when the site was built)."));
  }
  setState(region, "error", ...content);
}

/** This computer's date as YYYY-MM-DD (local, not UTC: just after midnight is still today). */
function localToday() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Each "Today" button beside a date sets that field to this computer's date, as typing would. */
function bindTodayButtons(form) {
  for (const button of form.querySelectorAll("button[data-today-for]")) {
    button.addEventListener("click", () => {
      const field = form.elements.namedItem(button.dataset.todayFor);
      field.value = localToday();
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }
}

function bindForm(form) {
  if (boundForms.has(form)) return;
  boundForms.add(form);
  bindTodayButtons(form);
  const name = form.dataset.calculator;
  const region = form.querySelector("[data-result]");
  const current = startEngine();
  let latest = 0;
  let timer = null;
  // The inputs that produced the result on screen (null when none is shown): a result is bound
  // to them, and marked out of date the moment the form says anything else.
  let shownInputs = null;
  const sameInputs = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const markIfOutOfDate = () => {
    if (region.dataset.state !== "done" || sameInputs(formInputs(form), shownInputs)) return;
    region.dataset.state = "stale";
    const note = (text) => element("p", { class: "cmvig-stale" }, element("strong", {}, "Out of date: "), text);
    // Said above the result and again beside its (now disabled) buttons, below a long table.
    region.prepend(note("the inputs have changed since this result was calculated. It cannot be " +
      "printed, copied or shared until it is calculated again."));
    region.querySelector(".cmvig-actions")?.before(note("calculate again to print, copy or share."));
    disableActions(region);
    announce(form, "Result out of date: the inputs have changed.");
  };
  // Compute as you type once every required field has something in it, and (for forms of
  // optional inputs, such as viral load) once something has been typed at all.
  const typed = () => [...form.querySelectorAll("input[type=text], input[type=date]")];
  const complete = () => [...form.querySelectorAll("[required]")].every((c) => c.value.trim() !== "") &&
    (typed().length === 0 || typed().some((c) => c.value.trim() !== ""));

  async function compute(fromSubmit = false) {
    const request = ++latest;
    const inputs = formInputs(form);
    try {
      const reply = await current.run(name, inputs);
      if (request !== latest) return; // a newer input has been sent; show only its answer
      clearFieldErrors(form);
      shownInputs = null;
      if (!reply.ok) {
        showInputError(form, region, reply.error, fromSubmit);
        return;
      }
      const shown = reply.display.map((block) => draw(block, form));
      const hasTable = shown.some((node) => node.matches("table") || node.querySelector("table"));
      showResult(region, [...shown, ...actionsBar(form, name, reply.result, hasTable, inputs).map(replaced)]);
      shownInputs = inputs;
      markIfOutOfDate(); // typed into while it was being calculated
      const warned = allWarnings(reply.result).length;
      announce(form, `Result updated${warned ? `, with ${warned} warning${warned > 1 ? "s" : ""}` : ""}.`);
    } catch (failure) {
      // The engine failed, or presenting the answer did: never leave a blank or a stale answer.
      if (request !== latest) return;
      shownInputs = null;
      const message = failure instanceof EngineError ? failure.message
        : `Something went wrong and no result can be shown (${failure?.message ?? failure}). ` +
          "Do not rely on this calculator now; tell the site's administrator.";
      offerFallback(region, message);
      announce(form, message);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    compute(true);
  });
  form.addEventListener("input", () => {
    clearTimeout(timer);
    markIfOutOfDate();
    if (complete()) timer = setTimeout(compute, DEBOUNCE_MS);
  });
  form.addEventListener("change", markIfOutOfDate);
  // A link's inputs fill the form at once (and leave the address bar); computed once ready.
  const fromLink = restoreFromLink(form);
  current.onProgress((text) => {
    if (region.dataset.state === "loading") {
      setState(region, "loading", element("p", {}, text),
        element("p", {}, "Nothing you type leaves this computer."));
    }
  });
  current.ready.then(
    () => {
      if (region.dataset.state === "loading") {
        setState(region, "ready", element("p", {}, "Ready. Fill in every field to see the result."));
      }
      if (fromLink || complete()) compute();
    },
    (failure) => offerFallback(region, failure.message),
  );
}

function bindPage() {
  for (const form of document.querySelectorAll("form[data-calculator]")) {
    // The whole-guide print page renames inputs; its forms are for paper, not for calculating.
    if (!form.closest("#print-site-page")) bindForm(form);
  }
}

// A small programmatic door for tests and benchmarks: same worker, same core, the core's answer
// as the registry gives it ({ok, result} or {ok, error}); what the page draws of it is its own.
window.cmvigCalculators = {
  run: (name, params) => startEngine().run(name, params).then(({ display, ...answer }) => answer),
};

if (typeof document$ !== "undefined") document$.subscribe(bindPage);
else bindPage();
