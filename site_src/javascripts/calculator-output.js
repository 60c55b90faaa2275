// CMVIG Guide: what a clinician takes away from a calculator result. Hand-written, not generated.
// Imported by calculators.js. Everything here works on the page only: the link keeps the inputs
// after the "#", which browsers never send to a server; files are made in the browser.
//
// What leaves the screen is what was computed: every output is made from the inputs that
// produced the result (the exact text the core was given, units included: "154 lb"), never from
// the form as it is now; a changed input marks the result out of date and disables the buttons
// (calculators.js). Each input is shown as entered and, for a unit other than the field's own,
// as converted ("154 lb = 69.9 kg").
//
//   usePrecision(table)              the core's display precision per quantity (calculators/
//                                    display.py), sent by the worker once it is ready
//   figure(value, quantity)          a quantity as every screen, sheet and file shows it:
//                                    "10,478" (mg), "209.6" (mL), "21" (mL/h), "69.9" (kg)
//                                    (the core writes a result's own figures; this shows an
//                                    input converted from its unit, and the calendar's)
//   dateText(iso)                    a date as every screen, sheet and file shows it:
//                                    "Mon 5 Jan 2026"
//   formInputs(form)                 the form's inputs as the core receives them (units included)
//   actionsBar(form, name, result, hasTable, inputs)  buttons: Print, Copy as text, Download CSV,
//                                    Calendar (.ics), Link to this calculation
//   disableActions(region)           the buttons of an out-of-date result stop working
//   restoreFromLink(form)            fills the form from a #calculate:NAME?... link and removes
//                                    the link from the address bar; true if it did

// The core's table of quantity -> {step, rounding} (calculators/display.py): stated once, there.
let precision = null;
export function usePrecision(table) {
  precision = table;
}

const ROUNDING = {
  "half-up": (x) => Math.sign(x) * Math.round(Math.abs(x)),
  down: Math.floor,
  up: Math.ceil,
};

/** `value` rounded and grouped as the core's display precision says for `quantity`. */
export function figure(value, quantity) {
  const rule = precision?.[quantity];
  if (!rule) throw new Error(`no display precision for "${quantity}"`);
  const digits = String(rule.step).split(".")[1]?.length ?? 0;
  // toPrecision(12) drops binary noise first (20.95 / 0.1 is 209.49999…), as the core's decimals have none.
  const steps = ROUNDING[rule.rounding](Number((value / rule.step).toPrecision(12)));
  return grouped(digits).format(Number((steps * rule.step).toFixed(digits)));
}

// One formatter per number of decimals: making one per figure was most of a redraw's time.
const formatters = new Map();
function grouped(digits) {
  if (!formatters.has(digits)) {
    formatters.set(digits, new Intl.NumberFormat("en-GB", { maximumFractionDigits: digits }));
  }
  return formatters.get(digits);
}

// A number typed with a unit is shown converted into the field's own unit, as that quantity.
const QUANTITY_OF_UNIT = { kg: "kg", cm: "cm", mg: "mg" };

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** An ISO date (YYYY-MM-DD) with its weekday, "Mon 5 Jan 2026": the calendar date as given,
 * whatever this computer's time zone. Anything else is returned as it is. */
export function dateText(iso) {
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso));
  if (!parts) return String(iso);
  const [year, month, day] = parts.slice(1).map(Number);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return `${WEEKDAYS[weekday]} ${day} ${MONTHS[month - 1]} ${year}`;
}

const LINK_PREFIX = "#calculate:";

function button(label, onClick) {
  const node = document.createElement("button");
  node.type = "button";
  node.className = "md-button cmvig-action";
  node.textContent = label;
  node.addEventListener("click", onClick);
  return node;
}

/**
 * The form's inputs as the core receives them, by parameter name. Checkboxes send nothing when
 * unticked: "false" is sent so the core never guesses. A unit chosen beside a number ("lb")
 * travels in the number's own text ("154 lb"), which the core converts.
 */
export function formInputs(form) {
  const data = Object.fromEntries(new FormData(form));
  for (const box of form.querySelectorAll("input[type=checkbox][name]")) data[box.name] = box.checked ? "true" : "false";
  for (const unit of form.querySelectorAll("select[data-unit-for]")) {
    const name = unit.dataset.unitFor;
    if (unit.selectedIndex > 0 && String(data[name] ?? "").trim() !== "") data[name] = `${data[name]} ${unit.value}`;
  }
  return data;
}

/** The unit select beside field `name`, or null. */
const unitSelect = (form, name) => form.querySelector(`select[data-unit-for="${CSS.escape(name)}"]`);

/** "154 lb" -> ["154", option lb] when the unit is one the field's select offers; else [text, null]. */
function splitUnit(select, text) {
  const found = select && /^(.*\S)\s+(\S+)$/.exec(text.trim());
  const option = found && [...select.options].find((o) => o.value.toLowerCase() === found[2].toLowerCase());
  return option ? [found[1], option] : [text.trim(), null];
}

/** One input as the reader should see it: "154 lb = 69.9 kg", "70 kg", "Kidney", "yes". */
function shownValue(form, control, raw) {
  if (control.type === "checkbox") return raw === "true" ? "yes" : "no";
  if (control.type === "date") return dateText(raw);
  if (control.tagName === "SELECT") {
    return [...control.options].find((o) => o.value === raw)?.textContent.trim() ?? raw;
  }
  const select = unitSelect(form, control.name);
  if (!select) return raw;
  const own = select.options[0].value;
  const [typed, option] = splitUnit(select, raw);
  if (!option || option.index === 0) return `${typed} ${own}`;
  const plain = typed.replace(",", ".");
  const factor = Number(option.dataset.factor);
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(plain) && factor
    ? `${typed} ${option.value} = ${figure(Number(plain) * factor, QUANTITY_OF_UNIT[own])} ${own}`
    : `${typed} ${option.value}`;
}

/** The inputs that produced a result as [label, value] pairs, in the form's order. */
function inputsShown(form, inputs) {
  const pairs = [];
  for (const control of form.querySelectorAll("input[name], select[name]")) {
    const raw = String(inputs[control.name] ?? "").trim();
    if (raw === "") continue;
    const label = form.querySelector(`label[for="${CSS.escape(control.id)}"]`)?.textContent.trim() ?? control.name;
    pairs.push([label, shownValue(form, control, raw)]);
  }
  return pairs;
}

/** The result region as plain text: paragraphs and list items as lines, tables tab-separated
 * (every table of a part: the infusion-rate plans hold two); boxes (the answer, the warnings,
 * the notes) line by line. */
function resultText(region) {
  const lines = [];
  const add = (node) => {
    if (node.matches(".cmvig-actions, .cmvig-action-status, .cmvig-link, .cmvig-stale")) return;
    const tables = node.matches("table") ? [node] : [...node.querySelectorAll("table")];
    if (tables.length) {
      const heading = node.querySelector(":scope > summary")?.textContent.trim();
      if (heading) lines.push(heading);
      for (const table of tables) {
        const caption = table.querySelector("caption")?.textContent.trim();
        if (caption) lines.push(caption);
        for (const row of table.querySelectorAll("tr")) {
          lines.push([...row.cells].map((cell) => cell.textContent.trim()).join("\t"));
        }
      }
    } else if (node.matches("ul, ol")) {
      for (const item of node.querySelectorAll("li")) lines.push(`- ${item.textContent.trim()}`);
    } else if (node.matches("div") && node.children.length) {
      for (const child of node.children) add(child);
    } else if (node.textContent.trim()) {
      lines.push(node.textContent.trim());
    }
  };
  for (const node of region.children) add(node);
  return lines.join("\n");
}

function stamp() {
  const review = document.querySelector(".cmvig-review")?.dataset ?? {};
  return {
    when: new Date().toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" }),
    core: review.coreVersion ?? "?",
    content: review.contentVersion ?? "?",
    page: review.pageVersion ?? "?",
    reviewed: review.lastReviewed ?? "?",
    institution: review.institution ?? "",
  };
}

function stampLine(s) {
  return `Calculated ${s.when} with CMVIG Guide (calculator core ${s.core}, content ${s.content}, ` +
    `page version ${s.page}, last reviewed ${s.reviewed})${s.institution ? `, ${s.institution}` : ""}.`;
}

function plainText(form, region, inputs) {
  const title = form.querySelector("legend")?.textContent.trim() ?? "";
  return [
    `CMVIG Guide: ${title}`,
    ...inputsShown(form, inputs).map(([label, value]) => `${label}: ${value}`),
    "",
    resultText(region),
    "",
    stampLine(stamp()),
    "Check every dose against the product label and your local protocol.",
  ].join("\n");
}

function download(filename, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The result's tables as CSV (the first as it is; each further one after an empty row and its
 * caption, such as the infusion-rate plans), then the inputs and the stamp: UTF-8 with a
 * byte-order mark (so Excel reads "×" and "µ"), every row as wide as the widest (a cell spanning
 * columns is followed by empty cells), lines ending CRLF (RFC 4180).
 */
function csv(form, region, inputs) {
  const tables = [...region.querySelectorAll("table")];
  if (!tables.length) return null;
  const quote = (text) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const rowsOf = (table) => [...table.querySelectorAll("tr")].map((row) => [...row.cells].flatMap((cell) =>
    [cell.textContent.trim(), ...Array(Math.max(cell.colSpan, 1) - 1).fill("")]));
  const rows = rowsOf(tables[0]);
  for (const table of tables.slice(1)) {
    rows.push([], [table.querySelector("caption")?.textContent.trim() ?? ""], ...rowsOf(table));
  }
  rows.push([], ["Input", "Value"], ...inputsShown(form, inputs), [], [stampLine(stamp())]);
  const width = Math.max(...rows.map((row) => row.length));
  return "\uFEFF" + rows.map((row) => [...row, ...Array(width - row.length).fill("")].map(quote).join(","))
    .join("\r\n") + "\r\n";
}

/** How many octets UTF-8 takes for one character (one code point), as TextEncoder would give;
 * worked out, not encoded, because every result folds its calendar lines character by character. */
function utf8Length(character) {
  const point = character.codePointAt(0);
  return point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4;
}

/** An RFC 5545 content line folded at 75 octets (UTF-8), never inside a character. */
function fold(line) {
  const parts = [];
  let current = "";
  let octets = 0;
  for (const character of line) {
    const size = utf8Length(character);
    // Continuation lines start with a space, which counts towards their 75 octets.
    if (octets + size > 75) {
      parts.push(current);
      current = " ";
      octets = 1;
    }
    current += character;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n");
}

/** The doses of a result that have a date: what a calendar file holds. */
function datedDoses(result) {
  return (result.doses ?? []).filter((dose) => dose.date);
}

/** An iCalendar file with one all-day event per dated dose (RFC 5545), figures as on screen;
 * offered only for a result with dated doses (actionsBar). */
function calendar(form, name, result, inputs) {
  const doses = datedDoses(result);
  const now = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const product = result.product_name ?? "CMVIG";
  const escapeText = (text) => text.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\n/g, "\\n");
  const given = inputsShown(form, inputs).map(([label, value]) => `${label}: ${value}`).join("\n");
  const events = doses.map((dose) => {
    const day = dose.date.replaceAll("-", "");
    const prepare = dose.vials?.rounded_mg ?? dose.dose_mg;
    const summary = `CMVIG dose ${dose.number}: ${figure(prepare, "mg")} mg ${product}`;
    const description = `Dose ${dose.number}, ${dateText(dose.date)}: ${figure(dose.dose_mg, "mg")} mg calculated, ` +
      `${figure(prepare, "mg")} mg to prepare, ${figure(dose.volume_ml, "ml")} mL.\n${given}\n` +
      "Calculated with CMVIG Guide; check against the order and the label.";
    return [
      "BEGIN:VEVENT",
      `UID:cmvig-${name}-${day}-${dose.number}@cmvig-guide`,
      `DTSTAMP:${now}`,
      `DTSTART;VALUE=DATE:${day}`,
      `SUMMARY:${escapeText(summary)}`,
      `DESCRIPTION:${escapeText(description)}`,
      "END:VEVENT",
    ].map(fold).join("\r\n");
  });
  return ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//CMVIG Guide//Calculators//EN",
    "CALSCALE:GREGORIAN", ...events, "END:VCALENDAR", ""].join("\r\n");
}

/** The link that reproduces a calculation: the inputs exactly as the core got them ("154 lb"). */
function linkFor(name, inputs) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(inputs)) {
    if (String(value) !== "") params.set(key, value);
  }
  const url = new URL(location.href);
  url.hash = `${LINK_PREFIX.slice(1)}${name}?${params}`;
  return url.href;
}

/**
 * Fill the form from a #calculate:NAME?… link, then take the link out of the address bar (the
 * inputs stay in the form, not in the address). Returns true when the link was for this form.
 */
export function restoreFromLink(form) {
  const name = form.dataset.calculator;
  if (!location.hash.startsWith(`${LINK_PREFIX}${name}?`)) return false;
  const params = new URLSearchParams(location.hash.slice(LINK_PREFIX.length + name.length + 1));
  history.replaceState(history.state, "", location.pathname + location.search);
  for (const [key, value] of params) {
    const control = form.elements.namedItem(key);
    if (!(control instanceof HTMLInputElement || control instanceof HTMLSelectElement)) continue;
    if (control.type === "checkbox") {
      control.checked = value === "true";
    } else {
      const select = unitSelect(form, key);
      const [figure, option] = splitUnit(select, value);
      control.value = option ? figure : value;
      if (select) select.selectedIndex = option ? option.index : 0;
    }
    if (!control.checkVisibility?.()) control.closest("details")?.setAttribute("open", "");
  }
  form.scrollIntoView({ block: "start" });
  return true;
}

/** Empty boxes to write or stick in on paper: nothing is stored or filled in by the site. */
function sheetBoxes() {
  const boxes = document.createElement("div");
  boxes.className = "cmvig-sheet-boxes";
  for (const label of ["Patient label", "Prescriber", "Product lot"]) {
    const box = document.createElement("div");
    box.className = "cmvig-sheet-box";
    const name = document.createElement("p");
    name.textContent = label;
    box.append(name);
    boxes.append(box);
  }
  return boxes;
}

function printResult(form, region, inputs) {
  const s = stamp();
  const sheet = document.createElement("section");
  sheet.id = "cmvig-print";
  const heading = document.createElement("h1");
  heading.textContent = `CMVIG Guide: ${form.querySelector("legend")?.textContent.trim() ?? ""}`;
  const given = document.createElement("table");
  for (const [label, value] of inputsShown(form, inputs)) {
    const row = given.insertRow();
    const th = document.createElement("th");
    th.textContent = label;
    row.append(th);
    row.insertCell().textContent = value;
  }
  const result = region.cloneNode(true);
  for (const extra of result.querySelectorAll(".cmvig-actions, .cmvig-action-status, .cmvig-link")) extra.remove();
  // Folded parts of the result (the infusion-rate plan for the first and later doses) print.
  for (const folded of result.querySelectorAll("details")) folded.open = true;
  const stampText = document.createElement("p");
  stampText.textContent = stampLine(s);
  const disclaimer = document.createElement("p");
  disclaimer.textContent = document.querySelector(".cmvig-disclaimer")?.textContent.trim() ??
    "Guidance for professionals; it does not replace the product label or local protocols.";
  const signatures = document.createElement("div");
  signatures.className = "cmvig-signatures";
  for (const role of ["Calculated by", "Independently checked by"]) {
    const line = document.createElement("p");
    line.textContent = `${role}: ______________________  Signature: ____________  Date and time: ____________`;
    signatures.append(line);
  }
  sheet.append(heading, sheetBoxes(), given, result, stampText, disclaimer, signatures);
  document.body.append(sheet);
  document.body.classList.add("cmvig-printing");
  const cleanUp = () => {
    sheet.remove();
    document.body.classList.remove("cmvig-printing");
  };
  addEventListener("afterprint", cleanUp, { once: true });
  print();
}

function say(region, text) {
  const note = region.querySelector(".cmvig-action-status");
  if (note) note.textContent = text;
}

/** The row of output buttons under a result; `hasTable`: the result shows a table (for CSV);
 * `inputs`: the inputs that produced it (formInputs at the time it was asked for). */
export function actionsBar(form, name, result, hasTable, inputs) {
  const region = form.querySelector("[data-result]");
  const bar = document.createElement("div");
  bar.className = "cmvig-actions";
  const status = document.createElement("p");
  status.className = "cmvig-action-status";
  status.setAttribute("role", "status");
  const file = `cmvig-${name}-${new Date().toISOString().slice(0, 10)}`;
  bar.append(button("Print for the chart", () => printResult(form, region, inputs)));
  bar.append(button("Copy as text", async () => {
    try {
      await navigator.clipboard.writeText(plainText(form, region, inputs));
      say(region, "Copied.");
    } catch {
      say(region, "This browser did not allow copying; select the result and copy it instead.");
    }
  }));
  if (hasTable) {
    bar.append(button("Download CSV", () => download(`${file}.csv`, "text/csv;charset=utf-8", csv(form, region, inputs))));
  }
  // Whether there is a calendar to offer, without writing it: it is written when asked for.
  if (datedDoses(result).length) {
    bar.append(button("Add dates to a calendar (.ics)", () =>
      download(`${file}.ics`, "text/calendar;charset=utf-8", calendar(form, name, result, inputs))));
  }
  // Shown for the reader to copy, never written into the address bar (nor so into the
  // browser's history): the inputs are a patient's.
  const shown = document.createElement("input");
  shown.type = "text";
  shown.readOnly = true;
  shown.className = "cmvig-link";
  shown.hidden = true;
  shown.setAttribute("aria-label", "Link to this calculation");
  bar.append(button("Link to this calculation", async () => {
    shown.value = linkFor(name, inputs);
    shown.hidden = false;
    shown.select();
    try {
      await navigator.clipboard.writeText(shown.value);
      say(region, "Link copied. The inputs are in the part after #, which is never sent to the server.");
    } catch {
      say(region, "Copy the link shown below. The inputs after # are never sent to the server.");
    }
  }));
  return [bar, status, shown];
}

/** The buttons of a result that no longer matches its inputs stop working; the link goes. */
export function disableActions(region) {
  for (const action of region.querySelectorAll(".cmvig-action")) action.disabled = true;
  for (const link of region.querySelectorAll(".cmvig-link")) link.remove();
  say(region, "");
}

// Exposed for tests: the text, CSV and calendar built from the current result.
export const forTests = { plainText, csv, calendar, linkFor, resultText, fold, inputsShown };
