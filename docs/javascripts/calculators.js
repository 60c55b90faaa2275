// CMVIG Guide: binds every <form data-calculator> to one Pyodide Web Worker per tab.
// Hand-written, not generated. Loaded once per tab as a module (mkdocs.yml extra_javascript);
// forms are bound on every instant-navigation page swap through mkdocs-material's document$.
//
// The DOM contract (used by tests and by checks outside the suite):
//   form[data-calculator=NAME]   NAME is the core's calculator name (and CLI subcommand);
//   inputs named as the core function's parameters;
//   [data-result] with data-state = loading | ready | done | stale | error ("stale": a result
//   whose inputs have changed since; it is marked out of date and its buttons are disabled);
//   each dose row of a schedule is a <tr data-dose-mg="...">.
//   <html data-engine-start=snapshot|full> once the engine is ready: how the worker started.

import { actionsBar, dateText, disableActions, formInputs, number, restoreFromLink } from "./calculator-output.js";

const START_TIMEOUT_MS = 90_000;
const REPLY_TIMEOUT_MS = 30_000;
const DEBOUNCE_MS = 250;

let engine = null;
const boundForms = new WeakSet();

/** The engine could not start or stopped: its message is meant for the reader as it is. */
class EngineError extends Error {}

const stoppedMessage = (detail) => `The calculator engine stopped unexpectedly (${detail}). ` +
  "Reload the page to start it again; if this keeps happening, tell the site's administrator.";

/** Why this browser cannot run the calculators at all, or null if it can. */
function unsupportedReason() {
  if (location.protocol === "file:") {
    return "The calculators cannot run from a page opened as a file. Open the site through its web address.";
  }
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
    return "This browser does not allow WebAssembly or Web Workers, which the calculators need.";
  }
  return null;
}

/** Start the worker once per tab; later calls return the same engine. */
function startEngine() {
  if (engine) return engine;
  const pending = new Map();
  const progressListeners = new Set();
  let lastProgress = null;
  let nextId = 1;
  let settle;
  const ready = new Promise((resolve, reject) => (settle = { resolve, reject }));
  ready.catch(() => {}); // each form shows the failure itself

  const reason = unsupportedReason();
  let worker = null;
  let watchdog = null;
  let started = false;
  const fail = (message) => {
    clearTimeout(watchdog);
    worker?.terminate();
    for (const request of pending.values()) request.reject(new EngineError(message));
    pending.clear();
    settle.reject(new EngineError(message));
    engine = null; // the next page that needs it starts afresh
  };

  if (reason) {
    fail(reason);
  } else {
    worker = new Worker(new URL("calculator-worker.js", import.meta.url), {
      type: "module",
      name: "cmvig-calculators",
    });
    // A .wasm served with the wrong MIME type makes Pyodide hang with no error: never spin forever.
    watchdog = setTimeout(
      () => fail(`The calculator engine did not start within ${START_TIMEOUT_MS / 1000} seconds. ` +
        "Reload the page; if this keeps happening, tell the site's administrator."),
      START_TIMEOUT_MS,
    );
    worker.addEventListener("message", ({ data }) => {
      if (data.type === "progress") {
        lastProgress = data.text;
        for (const listener of progressListeners) listener(data.text);
      } else if (data.type === "ready") {
        clearTimeout(watchdog);
        started = true;
        document.documentElement.dataset.engineStart = data.snapshot ? "snapshot" : "full";
        settle.resolve();
        // offline.js then asks the service worker to keep the runtime just loaded.
        document.dispatchEvent(new Event("cmvig:engine-ready"));
      } else if (data.type === "failed") {
        fail(`The calculator engine could not start: ${data.message}`);
      } else if (data.type === "stopped") {
        fail(stoppedMessage(data.message));
      } else if (data.type === "reply") {
        pending.get(data.id)?.resolve(data.reply);
        pending.delete(data.id);
      }
    });
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      fail(started
        ? stoppedMessage(event.message || "no message")
        : "The calculator engine could not be loaded (a file of it is missing or blocked). " +
          "The guidance on this page is still correct.");
    });
  }

  const current = {
    ready,
    /** Call `listener(text)` with each start-up step, starting with the latest one. */
    onProgress(listener) {
      progressListeners.add(listener);
      if (lastProgress) listener(lastProgress);
      ready.finally(() => progressListeners.delete(listener)).catch(() => {});
    },
    run(name, params) {
      return ready.then(() => new Promise((resolve, reject) => {
        const id = nextId++;
        // A calculation takes milliseconds; a worker that does not answer is stuck: say so.
        const timer = setTimeout(() => fail(`The calculator engine did not answer within ` +
          `${REPLY_TIMEOUT_MS / 1000} seconds. Reload the page; if this keeps happening, tell the ` +
          "site's administrator."), REPLY_TIMEOUT_MS);
        const settled = (action) => (value) => { clearTimeout(timer); action(value); };
        pending.set(id, { resolve: settled(resolve), reject: settled(reject) });
        worker.postMessage({ type: "run", id, name, params });
      }));
    },
  };
  if (!reason) engine = current;
  return current;
}

// ---- presenting results -------------------------------------------------------------------

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

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

// "How this was calculated": the formula with the numbers put in, for each calculator.
const HOW = {
  prophylaxis: (r) => `Dose = mg/kg × dosing weight (first dose: ${number(r.doses[0].mg_per_kg)} × ` +
    `${number(r.weight_kg)} kg = ${number(r.doses[0].dose_mg)} mg); volume = dose ÷ ` +
    `${number(r.mg_per_ml)} mg/mL (${number(r.doses[0].volume_ml)} mL); vials under rounding "${r.rounding}".`,
  regimen: (r) => {
    const d = r.doses[0];
    return d.mg_per_kg === null
      ? `Fixed dose from the source: ${number(d.dose_mg)} mg; volume = dose ÷ ${number(r.mg_per_ml)} mg/mL.`
      : `Dose = mg/kg × dosing weight (first dose: ${number(d.mg_per_kg)} × ${number(r.weight_kg)} kg = ` +
        `${number(d.dose_mg)} mg); volume = dose ÷ ${number(r.mg_per_ml)} mg/mL.`;
  },
  units: (r) => `mL = mg ÷ ${number(r.mg_per_ml)} mg/mL` +
    (r.units_per_ml === null ? "." : `; U = mL × ${number(r.units_per_ml)} U/mL.`),
  infusion: (r) => `Rate (mL/h) = mg/kg/h × ${number(r.weight_kg)} kg ÷ ${number(r.mg_per_ml)} mg/mL, ` +
    `never above ${number(r.max_rate_ml_h)} mL/h.`,
  "body-weight": (r) => `Ideal (Devine) = ${r.sex === "male" ? "50" : "45.5"} kg + 2.3 kg per inch over ` +
    `60 in (${number(r.height_cm)} cm = ${number(r.height_cm / 2.54)} in); adjusted = ideal + 0.4 × ` +
    `(actual − ideal); BMI = kg ÷ m².`,
  "viral-load": (r) => `log10 of ${number(r.copies_per_ml ?? 0)} copies/mL; change = current − previous ` +
    "log10; fold change = current ÷ previous.",
  atg: (r) => `Group by the study's definition: ${r.definition}.`,
  criteria: (r) => `${r.met.length} of ${r.criteria.length} criteria met: each ticked box, and ` +
    "(iii) also from a viral load above 5.0 log10, rising, on antivirals, with symptoms.",
  crcl: (r) => r.formula,
};

const howLine = (name, result) => element("p", { class: "cmvig-how" },
  element("strong", {}, "How this was calculated: "), HOW[name](result));

function list(className, items) {
  return items.length ? element("ul", { class: className }, ...items.map((item) => element("li", {}, item))) : "";
}

// Inputs accepted outside their expected range (the registry's input_warnings) come first.
const allWarnings = (result) => [...(result.input_warnings ?? []), ...(result.warnings ?? [])];
const warnings = (result) => list("cmvig-warnings", allWarnings(result).map((w) => `Warning: ${w}`));
const notes = (result) => list("cmvig-notes", result.notes ?? []);
const paragraph = (text, className = "") => element("p", className ? { class: className } : {}, text);

function weightLine(weight) {
  const basis = { actual: "actual", ideal: "ideal (Devine)", adjusted: "adjusted" }[weight.basis];
  return paragraph(`Dosing weight: ${number(weight.dosing_kg)} kg, ${basis} body weight` +
    (weight.basis === "actual" ? "." : ` (actual ${number(weight.actual_kg)} kg).`), "cmvig-basis");
}

/** A table with a caption; `columns` are [heading, cell(row), numeric?]; rows may set attributes. */
function dataTable(captionText, columns, rows, rowAttributes = () => ({}), footer = null) {
  const head = element("tr", {}, ...columns.map(([heading, , numeric]) =>
    element("th", { scope: "col", class: numeric ? "cmvig-number" : "" }, heading)));
  const body = rows.map((row) => element("tr", rowAttributes(row), ...columns.map(([, cell, numeric]) =>
    element("td", { class: numeric ? "cmvig-number" : "" }, cell(row)))));
  // No class on the table, so mkdocs-material styles it like every other table on the site.
  const table = element("table", {}, element("caption", {}, captionText), element("thead", {}, head),
    element("tbody", {}, ...body), footer ? element("tfoot", {}, footer) : "");
  // A table wider than the column scrolls inside this wrapper: keyboard users must reach it
  // (tabindex), and a focusable region needs a name (the caption's text).
  return element("div", { class: "md-typeset__scrollwrap", tabindex: "0", role: "region", "aria-label": captionText },
    element("div", { class: "md-typeset__table" }, table));
}

// The vials to open, and what is left to discard, apart from the dose to give.
const vialText = (plan) => plan.vials.map((v) => `${v.count} × ${number(v.vial_ml)} mL`).join(" + ") +
  (plan.left_over_ml > 0 ? `; discard ${number(plan.left_over_ml)} mL` : "");
const prepared = (plan) => number(plan.rounded_mg) + (plan.difference_pct
  ? ` (${plan.difference_pct > 0 ? "+" : ""}${number(plan.difference_pct)} %)` : "");

function scheduleTable(captionText, doses, when, totals) {
  const columns = [
    ["Dose", (d) => String(d.number)],
    ["Date", (d) => element("time", { datetime: d.date }, dateText(d.date))],
    ["When", when],
    ["mg/kg", (d) => (d.mg_per_kg === null ? "fixed" : number(d.mg_per_kg)), true],
    ["Dose (mg)", (d) => number(d.dose_mg), true],
    ["Volume (mL)", (d) => number(d.volume_ml), true],
    ["To give (mg)", (d) => prepared(d.vials), true],
    ["Vials to open", (d) => vialText(d.vials), true],
  ];
  const footer = element("tr", { class: "cmvig-total" },
    element("th", { scope: "row", colspan: "4" }, "Total"),
    element("td", { class: "cmvig-number" }, number(totals.mg)),
    element("td", { class: "cmvig-number" }, number(totals.ml)),
    element("td", { class: "cmvig-number" }, number(totals.rounded_mg)),
    element("td", { class: "cmvig-number" }, `${totals.vials} vials`));
  return dataTable(captionText, columns, doses, (d) => ({ "data-dose-mg": String(d.dose_mg) }), footer);
}

/**
 * The label's infusion-rate plans at the patient's weight (the core's rate_plans: first and later
 * infusions, or one for every infusion), folded under the schedule; the print sheet unfolds them.
 */
function ratePlans(result) {
  if (!result.rate_plans?.length) return "";
  const heading = { first: "First infusion", later: "Later infusions", every: "Every infusion" };
  const tables = result.rate_plans.map((plan) => dataTable(
    `${heading[plan.infusions]}: ${result.product_name}, ${number(result.weight?.actual_kg ?? result.dosing_weight.actual_kg)} kg`, [
      ["Step", (s) => String(s.number)],
      ["From minute", (s) => number(s.start_min), true],
      ["For (min)", (s) => (s.duration_min === null ? "until done" : number(s.duration_min)), true],
      ["mL/h", (s) => `${s.rate_is_limit ? "up to " : ""}${number(s.rate_ml_h)}${s.capped ? " (capped)" : ""}`, true],
      ["Instruction", (s) => s.instruction],
    ], plan.steps));
  return element("details", { class: "cmvig-rate-plans" },
    element("summary", {}, "Infusion-rate plan for the first and later doses (label rates, actual weight)"),
    ...tables);
}

const yesNo = (value) => (value === null || value === undefined ? "—" : value ? "yes" : "no");

/** Where the regimen was used and what kind of source reports it (data on the core's regimen). */
const settingLine = (result) => element("p", { class: "cmvig-evidence" },
  element("strong", {}, "For: "), `${result.setting_label}. `,
  element("strong", {}, "Evidence: "), `${result.evidence}.`);

const RENDERERS = {
  prophylaxis(result, form) {
    const caption = `${result.product_name} prophylaxis: ${result.organ} transplant on ` +
      `${dateText(result.transplant_date)}, ${number(result.weight_kg)} kg, ${number(result.mg_per_ml)} mg/mL, ` +
      `rounding: ${result.rounding}`;
    const when = (d) => (d.day === 0 ? "transplant day" : d.week !== null ? `week ${d.week}` : `day ${d.day}`);
    return [
      warnings(result), weightLine(result.weight),
      scheduleTable(caption, result.doses, when, { mg: result.total_mg, ml: result.total_ml,
        rounded_mg: result.total_rounded_mg, vials: result.total_vials }),
      paragraph(`Rule: ${result.rule}`, "cmvig-rule"), ratePlans(result), notes(result),
      sourcesLine(form, result.sources),
    ];
  },

  regimen(result, form) {
    const caption = `${result.title}: ${result.product_name}, ${number(result.weight_kg)} kg, ` +
      `from ${dateText(result.start_date)}, rounding: ${result.rounding}`;
    const options = result.options.map((o) => element("li", {},
      `${o.label}: ${number(o.dose_mg)} mg (${number(o.volume_ml)} mL), ${o.frequency}` +
      (o.dates.length ? ` — ${o.dates.map(dateText).join(", ")}` : "") + `. Source wording: “${o.quote.text}”`));
    return [
      settingLine(result),
      warnings(result), weightLine(result.dosing_weight),
      scheduleTable(caption, result.doses, (d) => `day ${d.day}: ${d.phase}`, { mg: result.total_mg,
        ml: result.total_ml, rounded_mg: result.total_rounded_mg, vials: result.total_vials }),
      result.course_complete ? "" : paragraph("The source leaves the number of doses open: the totals cover the doses shown only."),
      options.length ? element("div", {}, paragraph("Options the source offers (not included above):"),
        element("ul", {}, ...options)) : "",
      paragraph(`How the source's wording was read: ${result.reading}`, "cmvig-rule"),
      list("cmvig-quotes", result.wording.map((q) => `“${q.text}”`)),
      ratePlans(result), notes(result), sourcesLine(form, result.sources),
    ];
  },

  units(result, form) {
    const plan = result.vial_plan;
    return [
      warnings(result),
      dataTable(`${number(result.amount)} ${result.unit} of ${result.product_name}`, [
        ["mg", (r) => number(r.mg), true],
        ["Units (U)", (r) => (r.units === null ? "not labelled" : number(r.units)), true],
        ["mL", (r) => number(r.ml), true],
        ["To give (mg)", () => prepared(plan), true],
        ["Vials to open", () => vialText(plan), true],
      ], [result]),
      notes(result), sourcesLine(form, result.sources),
    ];
  },

  infusion(result, form) {
    const columns = [
      ["Step", (s) => String(s.number)],
      ["From minute", (s) => number(s.start_min), true],
      ["For (min)", (s) => (s.duration_min === null ? "until done" : number(s.duration_min)), true],
      ["mg/kg/h", (s) => number(s.rate_mg_per_kg_h), true],
      ["mL/h", (s) => `${s.rate_is_limit ? "up to " : ""}${number(s.rate_ml_h)}${s.capped ? " (capped)" : ""}`, true],
      ["Instruction", (s) => s.instruction],
    ];
    return [
      warnings(result),
      dataTable(`${result.product_name}, ${number(result.weight_kg)} kg, ` +
        `${result.first_infusion ? "first" : "later"} infusion`, columns, result.steps),
      result.duration_min === null ? "" : paragraph(
        `${number(result.dose_mg)} mg (${number(result.dose_ml)} mL) takes ${number(result.duration_min)} minutes. ${result.duration_method}`),
      sourcesLine(form, result.sources),
    ];
  },

  "body-weight"(result, form) {
    return [
      warnings(result),
      dataTable(`${number(result.weight_kg)} kg, ${number(result.height_cm)} cm, ${result.sex}`, [
        ["Ideal body weight (kg)", (r) => number(r.ibw_kg), true],
        ["Adjusted body weight (kg)", (r) => number(r.adjbw_kg), true],
        ["BMI (kg/m²)", (r) => number(r.bmi), true],
      ], [result]),
      sourcesLine(form, result.sources),
    ];
  },

  "viral-load"(result, form) {
    const rows = [["Current", result.current], ["Previous", result.previous]].filter(([, m]) => m);
    const flags = result.flags.map((f) => element("li", {},
      `${f.threshold}: ${f.met === null ? "needs a previous result" : f.met ? "met" : "not met"}. ${f.note}`));
    return [
      warnings(result),
      dataTable("CMV DNA", [
        ["Result", ([label]) => label],
        ["copies/mL", ([, m]) => number(m.copies_per_ml_display), true],
        ["log10", ([, m]) => (m.log10_display === null ? "not detected" : number(m.log10_display)), true],
      ], rows),
      result.log10_change_display === null ? "" : paragraph(
        `Change: ${result.log10_change_display > 0 ? "+" : ""}${number(result.log10_change_display)} log10` +
        (result.fold_change_display === null ? "" : `, ${number(result.fold_change_display)}-fold`) + "."),
      element("ul", { class: "cmvig-flags" }, ...flags),
      notes(result), sourcesLine(form, result.sources),
    ];
  },

  atg(result, form) {
    const figure = (f) => (f === null ? "—" : f.printed);
    return [
      warnings(result),
      paragraph(`ATG group: ${result.group} (${result.definition})` +
        (result.start ? `; CMV-IVIG start: ${result.start} (day ${result.days_from_viremia}).` : ".")),
      // Both starts, always (the study's comparison); the patient's row is marked.
      dataTable("What the HSCT study found for this group, early and late start", [
        ["Start", (o) => (o.start === result.start ? `${o.start} (this patient)` : o.start)],
        ["Two-week response", (o) => figure(o.two_week_response_rate)],
        ["Median days to CMV-DNA conversion", (o) => figure(o.median_days_to_conversion)],
        ["Reactivation", (o) => figure(o.reactivation_rate)],
      ], result.outcomes, (o) => (o.start === result.start ? { class: "cmvig-patient-row", "aria-current": "true" } : {})),
      notes(result), sourcesLine(form, result.sources),
    ];
  },

  criteria(result, form) {
    return [
      warnings(result),
      paragraph(result.reason),
      dataTable("Criteria for considering CMVIG (thoracic review)", [
        ["No.", (c) => (c.numeral ? `(${c.numeral})` : "—")],
        ["Criterion", (c) => c.label],
        ["Met", (c) => yesNo(c.met)],
        ["Source wording", (c) => `“${c.quote}”`],
      ], result.criteria),
      sourcesLine(form, result.sources),
    ];
  },

  crcl(result, form) {
    // Each dose as the table gives it, then in mg (ganciclovir: for the weight the result names).
    const dose = (text, mg, perKg) => (text === null ? "no dose in the table"
      : mg === null ? text : perKg ? `${number(mg)} mg (${text})` : text);
    const drug = (d, perKg) => [d.drug, d.row ?? "—", dose(d.induction, d.induction_mg, perKg),
      dose(d.maintenance, d.maintenance_mg, perKg)];
    return [
      element("p", { class: "cmvig-crcl" }, "Creatinine clearance (Cockcroft–Gault): ",
        element("strong", {}, `${number(result.crcl_ml_min_rounded)} mL/min`),
        result.crcl_applies ? "" : " (for information only: on haemodialysis)"),
      warnings(result),
      paragraph(result.formula, "cmvig-rule"),
      dataTable(result.crcl_applies ? "Antiviral doses for this clearance (label tables)"
        : "Antiviral doses on haemodialysis (label tables)", [
        ["Drug", (r) => r[0]], ["CrCl row (mL/min)", (r) => r[1]],
        ["Induction", (r) => r[2]], ["Maintenance / prevention", (r) => r[3]],
      ], [drug(result.ganciclovir, true), drug(result.valganciclovir, false)]),
      // The notes say which weight the mg are for, and why there is no tablet count.
      notes(result), sourcesLine(form, result.sources),
    ];
  },
};

// ---- binding forms ------------------------------------------------------------------------

function setState(region, state, ...content) {
  region.dataset.state = state;
  region.replaceChildren(...content);
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

function showInputError(form, region, error, fromSubmit) {
  const control = error.field ? form.elements.namedItem(error.field) : null;
  if (control instanceof Element) {
    control.setAttribute("aria-invalid", "true");
    const slot = form.querySelector(`#${CSS.escape(control.id)}-error`);
    if (slot) slot.textContent = error.message;
    // After Calculate, take the reader to what needs fixing (opening "More options" if it is
    // there); while typing, leave the cursor where it is.
    if (fromSubmit) {
      const options = control.closest("details");
      if (options) options.open = true;
      control.focus();
    }
  }
  setState(region, "error", element("p", {}, error.message));
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
      const shown = RENDERERS[name](reply.result, form).filter((node) => node !== "");
      const hasTable = shown.some((node) => node.matches?.("table") || node.querySelector?.("table"));
      setState(region, "done", ...shown, howLine(name, reply.result),
        ...actionsBar(form, name, reply.result, hasTable, inputs));
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

// A small programmatic door for tests and benchmarks: same worker, same core.
window.cmvigCalculators = { run: (name, params) => startEngine().run(name, params) };

if (typeof document$ !== "undefined") document$.subscribe(bindPage);
else bindPage();
