// CMVIG Guide: binds every <form data-calculator> to the calculator engine and renders its
// results. Hand-written, not generated. Loaded once per tab as a module (mkdocs.yml
// extra_javascript); forms are bound on every instant-navigation page swap through
// mkdocs-material's document$. The engine (one Pyodide per browser, shared by its tabs) is
// reached through calculator-client.js; what is shown is made here and in calculator-output.js.
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

import {
  actionsBar, dateText, disableActions, duration, figure, formInputs, number, restoreFromLink,
  usePrecision,
} from "./calculator-output.js";
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
// A result reads: the answer a nurse acts on, first (.cmvig-answer); then the hazards, in one
// style that stands out (.cmvig-warnings: the core's `warnings` and `input_warnings`); then the
// detail (tables whose cells carry data-quantity="mg|ml|vials|rate" and data-label, so a phone
// shows each row as a card led by those figures); then the quiet notes (the core's `notes`).
// Every figure is shown by its quantity with the core's precision (figure(), duration()).

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

/** A figure marked with its quantity (mg, ml, vials, rate), so tests and phones can find it. */
const quantity = (kind, text) => element("span", { "data-quantity": kind }, text);

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

const mg = (value) => `${figure(value, "mg")} mg`;
const ml = (value) => `${figure(value, "ml")} mL`;
const kg = (value) => `${figure(value, "kg")} kg`;
const mlh = (value) => `${figure(value, "rate_ml_h")} mL/h`;

// "How this was calculated": the formula with the numbers put in, for each calculator.
const HOW = {
  prophylaxis: (r) => `Dose = mg/kg × dosing weight (first dose: ${figure(r.doses[0].mg_per_kg, "mg_per_kg")} × ` +
    `${kg(r.weight_kg)} = ${mg(r.doses[0].dose_mg)}); volume = dose ÷ ` +
    `${number(r.mg_per_ml)} mg/mL (${ml(r.doses[0].volume_ml)}); vials under rounding "${r.rounding}".`,
  regimen: (r) => {
    const d = r.doses[0];
    return d.mg_per_kg === null
      ? `Fixed dose from the source: ${mg(d.dose_mg)}; volume = dose ÷ ${number(r.mg_per_ml)} mg/mL.`
      : `Dose = mg/kg × dosing weight (first dose: ${figure(d.mg_per_kg, "mg_per_kg")} × ${kg(r.weight_kg)} = ` +
        `${mg(d.dose_mg)}); volume = dose ÷ ${number(r.mg_per_ml)} mg/mL.`;
  },
  units: (r) => `mL = mg ÷ ${number(r.mg_per_ml)} mg/mL` +
    (r.units_per_ml === null ? "." : `; U = mL × ${number(r.units_per_ml)} U/mL.`),
  infusion: (r) => `Rate (mL/h) = mg/kg/h × ${kg(r.weight_kg)} ÷ ${number(r.mg_per_ml)} mg/mL, ` +
    (r.max_rate_ml_h === null ? "" : `never above ${mlh(r.max_rate_ml_h)}, `) +
    "rounded down to whole mL/h.",
  "body-weight": (r) => `Ideal (Devine) = ${r.sex === "male" ? "50" : "45.5"} kg + 2.3 kg per inch over ` +
    `60 in (${figure(r.height_cm, "cm")} cm = ${figure(r.height_cm / 2.54, "cm")} in); adjusted = ideal + 0.4 × ` +
    `(actual − ideal); BMI = kg ÷ m².`,
  "viral-load": (r) => `log10 of ${figure(r.copies_per_ml ?? 0, "copies")} copies/mL; change = current − previous ` +
    "log10; fold change = current ÷ previous.",
  atg: (r) => `Group by the study's definition: ${r.definition}.`,
  criteria: (r) => `${r.met.length} of ${r.criteria.length} criteria met: each ticked box, and ` +
    "(iii) also from a viral load above 5.0 log10, rising, on antivirals, with symptoms.",
  crcl: (r) => r.formula,
};

const howLine = (name, result) => element("p", { class: "cmvig-how" },
  element("strong", {}, "How this was calculated: "), HOW[name](result));

/** The answer box: one line per figure a nurse acts on; each line is [text or node, …]. */
const answer = (...lines) => element("div", { class: "cmvig-answer" },
  ...lines.filter(Boolean).map((parts) => element("p", {}, ...parts)));

// Hazards stand out, in one style: inputs outside their expected range (the registry's
// input_warnings), then the core's warnings (label maximum, off-label, what cannot be met).
const allWarnings = (result) => [...(result.input_warnings ?? []), ...(result.warnings ?? [])];
function warnings(result) {
  const found = allWarnings(result);
  return found.length ? element("div", { class: "cmvig-warnings" },
    ...found.map((w) => element("p", {}, element("strong", {}, "Warning: "), w))) : "";
}
// Notes: true of this answer, and shown only when their condition holds (the core decides);
// quiet, at the end.
function notes(result, ...more) {
  const items = [...more.filter(Boolean), ...(result.notes ?? [])];
  return items.length ? element("div", { class: "cmvig-notes" }, element("p", { class: "cmvig-notes-title" }, "Notes"),
    element("ul", {}, ...items.map((item) => element("li", {}, item)))) : "";
}
const paragraph = (text, className = "") => element("p", className ? { class: className } : {}, text);

function weightLine(weight) {
  const basis = { actual: "actual", ideal: "ideal (Devine)", adjusted: "adjusted" }[weight.basis];
  return paragraph(`Dosing weight: ${kg(weight.dosing_kg)}, ${basis} body weight` +
    (weight.basis === "actual" ? "." : ` (actual ${kg(weight.actual_kg)}).`), "cmvig-basis");
}

/**
 * A table with a caption. `columns` are {head, cell(row), quantity?, numeric?, lead?, wide?}:
 * `quantity` (mg, ml, vials, rate) marks the figures a phone's card shows first, `lead` the cells
 * that name the row (first on a card), `wide` text that takes a card's whole width. Rows may set
 * attributes, and a key (`rowKey`) by which a recompute finds the row to update (keyed-update.js).
 */
function dataTable(captionText, columns, rows, rowAttributes = () => ({}), footer = null, rowKey = null) {
  const numeric = (c) => (c.numeric || c.quantity ? "cmvig-number" : "");
  const head = element("tr", {}, ...columns.map((c) => element("th", { scope: "col", class: numeric(c) }, c.head)));
  const cellAttributes = (c) => ({
    class: numeric(c), "data-label": c.head,
    ...(c.quantity ? { "data-quantity": c.quantity } : {}),
    ...(c.lead ? { "data-lead": "" } : {}), ...(c.wide ? { "data-wide": "" } : {}),
  });
  const body = rows.map((row) => {
    const tr = element("tr", rowAttributes(row), ...columns.map((c) => element("td", cellAttributes(c), c.cell(row))));
    return rowKey ? keyed(tr, rowKey(row)) : tr;
  });
  // No class on the table, so mkdocs-material styles it like every other table on the site.
  const table = element("table", {}, element("caption", {}, captionText), element("thead", {}, head),
    element("tbody", {}, ...body), footer ? element("tfoot", {}, footer(cellAttributes)) : "");
  // Should a table still be wider than the column, it scrolls inside this wrapper: keyboard users
  // must reach it (tabindex), and a focusable region needs a name (the caption's text).
  return element("div", { class: "md-typeset__scrollwrap", tabindex: "0", role: "region", "aria-label": captionText },
    element("div", { class: "md-typeset__table" }, table));
}

// The vials to open, and what is left to discard, apart from the dose to give.
const vialText = (plan) => plan.vials.map((v) => `${v.count} × ${number(v.vial_ml)} mL`).join(" + ") +
  (plan.left_over_ml > 0 ? `; discard ${ml(plan.left_over_ml)}` : "");
const vialsShort = (plan) => (plan.vials.length === 1
  ? `${plan.vial_count} vial${plan.vial_count === 1 ? "" : "s"} (${number(plan.vials[0].vial_ml)} mL)`
  : `${plan.vials.map((v) => `${v.count} × ${number(v.vial_ml)} mL`).join(" + ")} vials`);
const prepared = (plan) => figure(plan.rounded_mg, "mg") + (plan.difference_pct
  ? ` (${plan.difference_pct > 0 ? "+" : ""}${figure(plan.difference_pct, "percent")} %)` : "");
const rounded = (dose) => dose.vials.rounded_mg !== dose.dose_mg;

/** "10,500 mg = 210 mL = 5 vials (50 mL)": the dose to give, its volume and the vials to open. */
const doseParts = (plan) => [
  quantity("mg", mg(plan.rounded_mg)), " = ", quantity("ml", ml(plan.rounded_ml)), " = ",
  quantity("vials", vialsShort(plan)),
  plan.left_over_ml > 0 ? `; discard ${ml(plan.left_over_ml)}` : "",
];

/** The answer for a dated schedule: one line per run of equal doses, then the course. */
function scheduleAnswer(doses, totals) {
  const runs = [];
  for (const dose of doses) {
    const last = runs.at(-1);
    if (last && last.at(-1).vials.rounded_mg === dose.vials.rounded_mg) last.push(dose);
    else runs.push([dose]);
  }
  const named = (run) => (run.length === 1 ? `Dose ${run[0].number}`
    : `Doses ${run[0].number}–${run.at(-1).number}`);
  return answer(
    ...runs.map((run) => [element("strong", {}, `${named(run)}: `), ...doseParts(run[0].vials)]),
    [`Course: ${doses.length} dose${doses.length === 1 ? "" : "s"}, ${mg(totals.rounded_mg)}, ` +
      `${totals.vials} vials.`],
  );
}

function scheduleTable(captionText, doses, when, totals) {
  // "To give (mg)" only where a dose was rounded to whole vials: otherwise it repeats the dose.
  const anyRounded = doses.some(rounded);
  const columns = [
    { head: "Dose", cell: (d) => String(d.number), lead: true },
    { head: "Date", cell: (d) => element("time", { datetime: d.date }, dateText(d.date)), lead: true },
    { head: "When", cell: when, lead: true },
    { head: "mg/kg", cell: (d) => (d.mg_per_kg === null ? "fixed" : figure(d.mg_per_kg, "mg_per_kg")), numeric: true },
    { head: "Dose (mg)", cell: (d) => figure(d.dose_mg, "mg"), quantity: "mg" },
    { head: "Volume (mL)", cell: (d) => figure(d.volume_ml, "ml"), quantity: "ml" },
    ...(anyRounded ? [{ head: "To give (mg)", cell: (d) => prepared(d.vials), quantity: "mg" }] : []),
    { head: "Vials to open", cell: (d) => vialText(d.vials), quantity: "vials" },
  ];
  const footer = (attributes) => element("tr", { class: "cmvig-total" },
    element("th", { scope: "row", colspan: "4" }, "Total"),
    element("td", attributes(columns[4]), figure(totals.mg, "mg")),
    element("td", attributes(columns[5]), figure(totals.ml, "ml")),
    ...(anyRounded ? [element("td", attributes(columns[6]), figure(totals.rounded_mg, "mg"))] : []),
    element("td", attributes(columns.at(-1)), `${totals.vials} vials`));
  // Each dose row is found again by its number when the schedule is recomputed.
  return dataTable(captionText, columns, doses, (d) => ({ "data-dose-mg": String(d.dose_mg) }), footer,
    (d) => `dose ${d.number}`);
}

/**
 * The label's infusion-rate plans at the patient's weight (the core's rate_plans: first and later
 * infusions, or one for every infusion), folded under the schedule; the print sheet unfolds them.
 */
function ratePlans(result) {
  if (!result.rate_plans?.length) return "";
  const heading = { first: "First infusion", later: "Later infusions", every: "Every infusion" };
  const weight = result.weight?.actual_kg ?? result.dosing_weight.actual_kg;
  const tables = result.rate_plans.map((plan) => dataTable(
    `${heading[plan.infusions]}: ${result.product_name}, ${kg(weight)}`, stepColumns(), plan.steps));
  return element("details", { class: "cmvig-rate-plans" },
    element("summary", {}, "Infusion-rate plan for the first and later doses (label rates, actual weight)"),
    ...tables);
}

/** A rate step's pump rate: "up to 75 mL/h (capped)". */
const rateText = (s) => `${s.rate_is_limit ? "up to " : ""}${mlh(s.rate_ml_h)}${s.capped ? " (capped)" : ""}`;

/** The columns of an infusion-rate plan (the infusion calculator's, and the schedules' plans). */
const stepColumns = () => [
  { head: "Step", cell: (s) => String(s.number), lead: true },
  { head: "From", cell: (s) => duration(s.start_min), lead: true, numeric: true },
  { head: "For", cell: (s) => (s.duration_min === null ? "until done" : duration(s.duration_min)),
    lead: true, numeric: true },
  { head: "Rate (mL/h)", cell: (s) => rateText(s), quantity: "rate" },
  // In the unit the label speaks in (CytoGam mg/kg/h, Cytotect CP mL/kg/h).
  { head: "Label rate", cell: (s) => (s.label_rate_unit === "mL/kg/h"
    ? `${figure(s.rate_ml_per_kg_h, "ml_per_kg_h")} mL/kg/h` : `${figure(s.rate_mg_per_kg_h, "mg_per_kg_h")} mg/kg/h`), numeric: true },
  { head: "Instruction", cell: (s) => s.instruction, wide: true },
];

const yesNo = (value) => (value === null || value === undefined ? "—" : value ? "yes" : "no");

/** Where the regimen was used and what kind of source reports it (data on the core's regimen). */
const settingLine = (result) => element("p", { class: "cmvig-evidence" },
  element("strong", {}, "For: "), `${result.setting_label}. `,
  element("strong", {}, "Evidence: "), `${result.evidence}.`);

const RENDERERS = {
  prophylaxis(result, form) {
    const caption = `${result.product_name} prophylaxis: ${result.organ} transplant on ` +
      `${dateText(result.transplant_date)}, ${kg(result.weight_kg)}, ${number(result.mg_per_ml)} mg/mL, ` +
      `rounding: ${result.rounding}`;
    const when = (d) => (d.day === 0 ? "transplant day" : d.week !== null ? `week ${d.week}` : `day ${d.day}`);
    const totals = { mg: result.total_mg, ml: result.total_ml, rounded_mg: result.total_rounded_mg,
      vials: result.total_vials };
    return [
      scheduleAnswer(result.doses, totals), warnings(result), weightLine(result.weight),
      scheduleTable(caption, result.doses, when, totals),
      paragraph(`Rule: ${result.rule}`, "cmvig-rule"), ratePlans(result), notes(result),
      sourcesLine(form, result.sources),
    ];
  },

  regimen(result, form) {
    const caption = `${result.title}: ${result.product_name}, ${kg(result.weight_kg)}, ` +
      `from ${dateText(result.start_date)}, rounding: ${result.rounding}`;
    const options = result.options.map((o) => element("li", {},
      `${o.label}: ${mg(o.dose_mg)} (${ml(o.volume_ml)}), ${o.frequency}` +
      (o.dates.length ? ` — ${o.dates.map(dateText).join(", ")}` : "") + `. Source wording: “${o.quote.text}”`));
    const totals = { mg: result.total_mg, ml: result.total_ml, rounded_mg: result.total_rounded_mg,
      vials: result.total_vials };
    return [
      scheduleAnswer(result.doses, totals), settingLine(result), warnings(result),
      weightLine(result.dosing_weight),
      scheduleTable(caption, result.doses, (d) => `day ${d.day}: ${d.phase}`, totals),
      result.course_complete ? "" : paragraph("The source leaves the number of doses open: the totals cover the doses shown only."),
      options.length ? element("div", {}, paragraph("Options the source offers (not included above):"),
        element("ul", {}, ...options)) : "",
      list("cmvig-quotes", result.wording.map((q) => `“${q.text}”`)),
      ratePlans(result), notes(result), sourcesLine(form, result.sources),
    ];
  },

  units(result, form) {
    const plan = result.vial_plan;
    return [
      answer([result.units === null ? "" : `${figure(result.units, "units")} U = `,
        ...doseParts(plan)]),
      warnings(result),
      dataTable(`${number(result.amount)} ${result.unit} of ${result.product_name}`, [
        { head: "mg", cell: (r) => figure(r.mg, "mg"), quantity: "mg" },
        { head: "Units (U)", cell: (r) => (r.units === null ? "not labelled" : figure(r.units, "units")), numeric: true },
        { head: "mL", cell: (r) => figure(r.ml, "ml"), quantity: "ml" },
        ...(plan.rounded_mg !== plan.calculated_mg
          ? [{ head: "To give (mg)", cell: () => prepared(plan), quantity: "mg" }] : []),
        { head: "Vials to open", cell: () => vialText(plan), quantity: "vials" },
      ], [result]),
      notes(result), sourcesLine(form, result.sources),
    ];
  },

  infusion(result, form) {
    const [first, ...later] = result.steps;
    return [
      answer(
        [element("strong", {}, "Start at "), quantity("rate", mlh(first.rate_ml_h)),
          ...later.map((s) => [`; from ${duration(s.start_min)}, `, quantity("rate", rateText(s))]).flat()],
        result.dose_mg === null ? null : [quantity("mg", mg(result.dose_mg)), " = ", quantity("ml", ml(result.dose_ml)),
          result.duration_min === null ? "" : `: takes ${duration(result.duration_min)} at these rates`],
      ),
      warnings(result),
      dataTable(`${result.product_name}, ${kg(result.weight_kg)}, ` +
        `${result.first_infusion ? "first" : "later"} infusion`, stepColumns(), result.steps),
      notes(result, result.dose_mg === null ? null : result.duration_method),
      sourcesLine(form, result.sources),
    ];
  },

  "body-weight"(result, form) {
    return [
      answer([`Ideal ${kg(result.ibw_kg)}; adjusted ${kg(result.adjbw_kg)}; BMI ${figure(result.bmi, "bmi")} kg/m²`]),
      warnings(result),
      dataTable(`${kg(result.weight_kg)}, ${figure(result.height_cm, "cm")} cm, ${result.sex}`, [
        { head: "Ideal body weight (kg)", cell: (r) => figure(r.ibw_kg, "kg"), numeric: true },
        { head: "Adjusted body weight (kg)", cell: (r) => figure(r.adjbw_kg, "kg"), numeric: true },
        { head: "BMI (kg/m²)", cell: (r) => figure(r.bmi, "bmi"), numeric: true },
      ], [result]),
      sourcesLine(form, result.sources),
    ];
  },

  "viral-load"(result, form) {
    const rows = [["Current", result.current], ["Previous", result.previous]].filter(([, m]) => m);
    const log10 = (m) => (m.log10_display === null ? "not detected" : figure(m.log10_display, "log10"));
    const change = result.log10_change_display === null ? "" :
      `${result.log10_change_display > 0 ? "+" : ""}${figure(result.log10_change_display, "log10")} log10` +
      (result.fold_change_display === null ? "" : `, ${figure(result.fold_change_display, "fold")}-fold`);
    const flags = result.flags.map((f) => element("li", {},
      `${f.threshold}: ${f.met === null ? "needs a previous result" : f.met ? "met" : "not met"}. ${f.note}`));
    return [
      answer([`${figure(result.current.copies_per_ml_display, "copies")} copies/mL = ${log10(result.current)} log10` +
        (change ? `; change ${change}` : "")]),
      warnings(result),
      dataTable("CMV DNA", [
        { head: "Result", cell: ([label]) => label },
        { head: "copies/mL", cell: ([, m]) => figure(m.copies_per_ml_display, "copies"), numeric: true },
        { head: "log10", cell: ([, m]) => log10(m), numeric: true },
      ], rows),
      element("ul", { class: "cmvig-flags" }, ...flags),
      notes(result), sourcesLine(form, result.sources),
    ];
  },

  atg(result, form) {
    const shown = (f) => (f === null ? "—" : f.printed);
    return [
      answer([`ATG group: ${result.group} dose (${result.definition})` +
        (result.start ? `; CMV-IVIG start: ${result.start}` : "")]),
      warnings(result),
      // Both starts, always (the study's comparison); the patient's row is marked.
      dataTable("What the HSCT study found for this group, early and late start", [
        { head: "Start", cell: (o) => (o.start === result.start ? `${o.start} (this patient)` : o.start), lead: true },
        { head: "Two-week response", cell: (o) => shown(o.two_week_response_rate) },
        { head: "Median days to CMV-DNA conversion", cell: (o) => shown(o.median_days_to_conversion) },
        { head: "Reactivation", cell: (o) => shown(o.reactivation_rate) },
      ], result.outcomes,
      (o) => (o.start === result.start ? { class: "cmvig-patient-row", "aria-current": "true" } : {})),
      notes(result), sourcesLine(form, result.sources),
    ];
  },

  criteria(result, form) {
    return [
      answer([result.reason]),
      warnings(result),
      dataTable("Criteria for considering CMVIG (thoracic review)", [
        { head: "No.", cell: (c) => (c.numeral ? `(${c.numeral})` : "—"), lead: true },
        { head: "Criterion", cell: (c) => c.label, wide: true },
        { head: "Met", cell: (c) => yesNo(c.met), lead: true },
        { head: "Source wording", cell: (c) => `“${c.quote}”`, wide: true },
      ], result.criteria),
      notes(result), sourcesLine(form, result.sources),
    ];
  },

  crcl(result, form) {
    // Each dose as the table gives it, then in mg (ganciclovir: for the weight the result names).
    const dose = (text, mg, perKg) => (text === null ? "no dose in the table"
      : mg === null ? text : perKg ? `${figure(mg, "mg")} mg (${text})` : text);
    const drug = (d, perKg) => [d.drug, d.row ?? "—", dose(d.induction, d.induction_mg, perKg),
      dose(d.maintenance, d.maintenance_mg, perKg)];
    return [
      answer(["Creatinine clearance (Cockcroft–Gault): ",
        element("strong", {}, `${figure(result.crcl_ml_min_rounded, "ml_min")} mL/min`),
        result.crcl_applies ? "" : " (for information only: on haemodialysis)"]),
      warnings(result),
      dataTable(result.crcl_applies ? "Antiviral doses for this clearance (label tables)"
        : "Antiviral doses on haemodialysis (label tables)", [
        { head: "Drug", cell: (r) => r[0], lead: true }, { head: "CrCl row (mL/min)", cell: (r) => r[1], lead: true },
        { head: "Induction", cell: (r) => r[2] }, { head: "Maintenance / prevention", cell: (r) => r[3] },
      ], [drug(result.ganciclovir, true), drug(result.valganciclovir, false)]),
      // The notes say which weight the mg are for, and why there is no tablet count.
      notes(result), sourcesLine(form, result.sources),
    ];
  },
};

function list(className, items) {
  return items.length ? element("ul", { class: className }, ...items.map((item) => element("li", {}, item))) : "";
}

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
 * the result region instead, as does a message that names no field of this form.
 */
function showInputError(form, region, error, fromSubmit) {
  const control = error.field ? form.elements.namedItem(error.field) : null;
  if (!(control instanceof Element)) {
    setState(region, "error", element("p", {}, error.message));
    announce(form, `Not calculated: ${error.message}`);
    return;
  }
  control.setAttribute("aria-invalid", "true");
  // After Calculate, take the reader to what needs fixing, opening "More options" if it is
  // there; while typing, leave the cursor (and the form) as it is.
  if (fromSubmit) {
    const options = control.closest("details");
    if (options) options.open = true;
    control.focus();
  }
  const slot = form.querySelector(`#${CSS.escape(control.id)}-error`);
  if (slot && control.checkVisibility()) {
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
      const shown = RENDERERS[name](reply.result, form).filter((node) => node !== "");
      const hasTable = shown.some((node) => node.matches?.("table") || node.querySelector?.("table"));
      showResult(region, [...shown, howLine(name, reply.result),
        ...actionsBar(form, name, reply.result, hasTable, inputs).map(replaced)]);
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
