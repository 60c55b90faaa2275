// CMVIG Guide: binds every <form data-calculator> to one Pyodide Web Worker per tab.
// Hand-written, not generated. Loaded once per tab as a module (mkdocs.yml extra_javascript);
// forms are bound on every instant-navigation page swap through mkdocs-material's document$.
//
// The DOM contract (used by tests and by checks outside the suite):
//   form[data-calculator=NAME]   NAME is the core's calculator name (and CLI subcommand);
//   inputs named as the core function's parameters;
//   [data-result] with data-state = loading | ready | done | error;
//   each dose row of a schedule is a <tr data-dose-mg="...">.

const START_TIMEOUT_MS = 90_000;
const DEBOUNCE_MS = 250;

let engine = null;
const boundForms = new WeakSet();

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
  let nextId = 1;
  let settle;
  const ready = new Promise((resolve, reject) => (settle = { resolve, reject }));
  ready.catch(() => {}); // each form shows the failure itself

  const reason = unsupportedReason();
  let worker = null;
  let watchdog = null;
  const fail = (message) => {
    clearTimeout(watchdog);
    worker?.terminate();
    for (const request of pending.values()) request.reject(new Error(message));
    pending.clear();
    settle.reject(new Error(message));
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
      if (data.type === "ready") {
        clearTimeout(watchdog);
        settle.resolve();
      } else if (data.type === "failed") {
        fail(`The calculator engine could not start: ${data.message}`);
      } else if (data.type === "reply") {
        pending.get(data.id)?.resolve(data.reply);
        pending.delete(data.id);
      }
    });
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      fail("The calculator engine could not be loaded (a file of it is missing or blocked). " +
        "The guidance on this page is still correct.");
    });
  }

  const current = {
    ready,
    run(name, params) {
      return ready.then(() => new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ type: "run", id, name, params });
      }));
    },
  };
  if (!reason) engine = current;
  return current;
}

// ---- presenting results -------------------------------------------------------------------

const numberFormat = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 3 });
const number = (value) => numberFormat.format(value);

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

function sourcesLine(form, keys) {
  const names = JSON.parse(form.dataset.sources ?? "{}");
  return element("p", { class: "cmvig-sources" },
    `Source: ${keys.map((key) => names[key] ?? key).join("; ")}.`);
}

function list(className, items) {
  return items.length ? element("ul", { class: className }, ...items.map((item) => element("li", {}, item))) : "";
}

function weightLine(weight) {
  const basis = { actual: "actual", ideal: "ideal (Devine)", adjusted: "adjusted" }[weight.basis];
  return element("p", { class: "cmvig-basis" },
    `Dosing weight: ${number(weight.dosing_kg)} kg, ${basis} body weight` +
    (weight.basis === "actual" ? "." : ` (actual ${number(weight.actual_kg)} kg).`));
}

function scheduleTable(captionText, doses, totals) {
  const headings = ["Dose", "Date", "When", "mg/kg", "Dose (mg)", "Volume (mL)", "To prepare (mg)",
    "Vials", "Running total (mg)"];
  const head = element("tr", {}, ...headings.map((text, index) =>
    element("th", { scope: "col", class: index >= 3 ? "cmvig-number" : "" }, text)));
  const rows = doses.map((dose) => element("tr", { "data-dose-mg": String(dose.dose_mg) },
    element("td", {}, String(dose.number)),
    element("td", {}, element("time", { datetime: dose.date }, dose.date)),
    element("td", {}, dose.day === 0 ? "transplant day" : dose.week !== null ? `week ${dose.week}` : `day ${dose.day}`),
    element("td", { class: "cmvig-number" }, number(dose.mg_per_kg)),
    element("td", { class: "cmvig-number" }, number(dose.dose_mg)),
    element("td", { class: "cmvig-number" }, number(dose.volume_ml)),
    element("td", { class: "cmvig-number" }, number(dose.vials.rounded_mg) +
      (dose.vials.difference_pct ? ` (${dose.vials.difference_pct > 0 ? "+" : ""}${number(dose.vials.difference_pct)} %)` : "")),
    element("td", { class: "cmvig-number" }, dose.vials.vials.map((v) => `${v.count} × ${number(v.vial_ml)} mL`).join(" + ")),
    element("td", { class: "cmvig-number" }, number(dose.cumulative_mg)),
  ));
  const total = element("tr", { class: "cmvig-total" },
    element("th", { scope: "row", colspan: "4" }, "Total"),
    element("td", { class: "cmvig-number" }, number(totals.mg)),
    element("td", { class: "cmvig-number" }, number(totals.ml)),
    element("td", { class: "cmvig-number" }, number(totals.rounded_mg)),
    element("td", { class: "cmvig-number" }, `${totals.vials} vials`),
    element("td", {}, ""),
  );
  // No class on the table, so mkdocs-material styles it like every other table on the site.
  const table = element("table", {}, element("caption", {}, captionText), element("thead", {}, head),
    element("tbody", {}, ...rows), element("tfoot", {}, total));
  return element("div", { class: "md-typeset__scrollwrap" }, element("div", { class: "md-typeset__table" }, table));
}

const RENDERERS = {
  prophylaxis(result, form) {
    const caption = `${result.product_name} prophylaxis: ${result.organ} transplant on ` +
      `${result.transplant_date}, ${number(result.weight_kg)} kg, ${number(result.mg_per_ml)} mg/mL, ` +
      `rounding: ${result.rounding}`;
    return [
      list("cmvig-warnings", result.warnings.map((w) => `Warning: ${w}`)),
      weightLine(result.weight),
      scheduleTable(caption, result.doses, { mg: result.total_mg, ml: result.total_ml,
        rounded_mg: result.total_rounded_mg, vials: result.total_vials }),
      element("p", { class: "cmvig-rule" }, `Rule: ${result.rule}`),
      list("cmvig-notes", result.notes),
      sourcesLine(form, result.sources),
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

function showInputError(form, region, error) {
  const control = error.field ? form.elements.namedItem(error.field) : null;
  if (control instanceof Element) {
    control.setAttribute("aria-invalid", "true");
    const slot = form.querySelector(`#${CSS.escape(control.id)}-error`);
    if (slot) slot.textContent = error.message;
  }
  setState(region, "error", element("p", {}, error.message));
}

function bindForm(form) {
  if (boundForms.has(form)) return;
  boundForms.add(form);
  const name = form.dataset.calculator;
  const region = form.querySelector("[data-result]");
  const current = startEngine();
  let latest = 0;
  let timer = null;

  const values = () => Object.fromEntries(new FormData(form));
  // Compute as you type only once every required field has something in it.
  const complete = () => [...form.querySelectorAll("[required]")].every((c) => c.value.trim() !== "");

  async function compute() {
    const request = ++latest;
    let reply;
    try {
      reply = await current.run(name, values());
    } catch (failure) {
      setState(region, "error", element("p", {}, failure.message));
      return;
    }
    if (request !== latest) return; // a newer input has been sent; show only its answer
    clearFieldErrors(form);
    if (reply.ok) setState(region, "done", ...RENDERERS[name](reply.result, form));
    else showInputError(form, region, reply.error);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    compute();
  });
  form.addEventListener("input", () => {
    clearTimeout(timer);
    if (complete()) timer = setTimeout(compute, DEBOUNCE_MS);
  });
  current.ready.then(
    () => {
      if (region.dataset.state === "loading") {
        setState(region, "ready", element("p", {}, "Ready. Fill in every field to see the result."));
      }
      if (complete()) compute();
    },
    (failure) => setState(region, "error", element("p", {}, failure.message)),
  );
}

function bindPage() {
  for (const form of document.querySelectorAll("form[data-calculator]")) bindForm(form);
}

// A small programmatic door for tests and benchmarks: same worker, same core.
window.cmvigCalculators = { run: (name, params) => startEngine().run(name, params) };

if (typeof document$ !== "undefined") document$.subscribe(bindPage);
else bindPage();
