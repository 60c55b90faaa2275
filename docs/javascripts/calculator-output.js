// CMVIG Guide: what a clinician takes away from a calculator result. Hand-written, not generated.
// Imported by calculators.js. Everything here works on the page only: the link keeps the inputs
// after the "#", which browsers never send to a server; files are made in the browser.
//
//   actionsBar(form, name, result, hasTable)  buttons: Print, Copy as text, Download CSV, Calendar (.ics),
//                                   Link to this calculation
//   restoreFromLink(form)           fills the form from a #calculate:NAME?... link; true if it did

const LINK_PREFIX = "#calculate:";

function button(label, onClick) {
  const node = document.createElement("button");
  node.type = "button";
  node.className = "md-button cmvig-action";
  node.textContent = label;
  node.addEventListener("click", onClick);
  return node;
}

/** The form's inputs as [label, value] pairs, as the reader sees them. */
function inputsShown(form) {
  const pairs = [];
  for (const control of form.querySelectorAll("input[name], select[name]")) {
    const label = form.querySelector(`label[for="${CSS.escape(control.id)}"]`)?.textContent.trim() ?? control.name;
    let value = control.value;
    if (control.type === "checkbox") value = control.checked ? "yes" : "no";
    else if (control.tagName === "SELECT") value = control.selectedOptions[0]?.textContent ?? "";
    if (value.trim() !== "") pairs.push([label, value.trim()]);
  }
  return pairs;
}

/** The result region as plain text: paragraphs and list items as lines, tables tab-separated. */
function resultText(region) {
  const lines = [];
  for (const node of region.children) {
    const table = node.matches("table") ? node : node.querySelector("table");
    if (table) {
      const caption = table.querySelector("caption")?.textContent.trim();
      if (caption) lines.push(caption);
      for (const row of table.querySelectorAll("tr")) {
        lines.push([...row.cells].map((cell) => cell.textContent.trim()).join("\t"));
      }
    } else if (node.matches("ul, ol")) {
      for (const item of node.querySelectorAll("li")) lines.push(`- ${item.textContent.trim()}`);
    } else if (node.textContent.trim()) {
      lines.push(node.textContent.trim());
    }
  }
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

function plainText(form, region) {
  const title = form.querySelector("legend")?.textContent.trim() ?? "";
  return [
    `CMVIG Guide: ${title}`,
    ...inputsShown(form).map(([label, value]) => `${label}: ${value}`),
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

function csv(region) {
  const table = region.querySelector("table");
  if (!table) return null;
  const quote = (text) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  return [...table.querySelectorAll("tr")]
    .map((row) => [...row.cells].map((cell) => quote(cell.textContent.trim())).join(","))
    .join("\r\n") + "\r\n";
}

/** An iCalendar file with one all-day event per dated dose (RFC 5545). */
function calendar(name, result) {
  const doses = (result.doses ?? []).filter((dose) => dose.date);
  if (!doses.length) return null;
  const now = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const product = result.product_name ?? "CMVIG";
  const escapeText = (text) => text.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\n/g, "\\n");
  const events = doses.map((dose) => {
    const day = dose.date.replaceAll("-", "");
    const summary = `CMVIG dose ${dose.number}: ${dose.vials?.rounded_mg ?? dose.dose_mg} mg ${product}`;
    return [
      "BEGIN:VEVENT",
      `UID:cmvig-${name}-${day}-${dose.number}@cmvig-guide`,
      `DTSTAMP:${now}`,
      `DTSTART;VALUE=DATE:${day}`,
      `SUMMARY:${escapeText(summary)}`,
      `DESCRIPTION:${escapeText("Calculated with CMVIG Guide; check against the order and the label.")}`,
      "END:VEVENT",
    ].join("\r\n");
  });
  return ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//CMVIG Guide//Calculators//EN",
    "CALSCALE:GREGORIAN", ...events, "END:VCALENDAR", ""].join("\r\n");
}

function linkFor(form, name) {
  const params = new URLSearchParams();
  for (const control of form.querySelectorAll("input[name], select[name]")) {
    const value = control.type === "checkbox" ? (control.checked ? "true" : "false") : control.value;
    if (value !== "") params.set(control.name, value);
  }
  const url = new URL(location.href);
  url.hash = `${LINK_PREFIX.slice(1)}${name}?${params}`;
  return url.href;
}

/** Fill the form from a #calculate:NAME?… link. Returns true when the link was for this form. */
export function restoreFromLink(form) {
  const name = form.dataset.calculator;
  if (!location.hash.startsWith(`${LINK_PREFIX}${name}?`)) return false;
  const params = new URLSearchParams(location.hash.slice(LINK_PREFIX.length + name.length + 1));
  for (const [key, value] of params) {
    const control = form.elements.namedItem(key);
    if (!(control instanceof HTMLInputElement || control instanceof HTMLSelectElement)) continue;
    if (control.type === "checkbox") control.checked = value === "true";
    else control.value = value;
    if (!control.checkVisibility?.()) control.closest("details")?.setAttribute("open", "");
  }
  form.scrollIntoView({ block: "start" });
  return true;
}

function printResult(form, region) {
  const s = stamp();
  const sheet = document.createElement("section");
  sheet.id = "cmvig-print";
  const heading = document.createElement("h1");
  heading.textContent = `CMVIG Guide: ${form.querySelector("legend")?.textContent.trim() ?? ""}`;
  const inputs = document.createElement("table");
  for (const [label, value] of inputsShown(form)) {
    const row = inputs.insertRow();
    const th = document.createElement("th");
    th.textContent = label;
    row.append(th);
    row.insertCell().textContent = value;
  }
  const result = region.cloneNode(true);
  result.querySelector(".cmvig-actions")?.remove();
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
  sheet.append(heading, inputs, result, stampText, disclaimer, signatures);
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

/** The row of output buttons under a result; `hasTable`: the result shows a table (for CSV). */
export function actionsBar(form, name, result, hasTable) {
  const region = form.querySelector("[data-result]");
  const bar = document.createElement("div");
  bar.className = "cmvig-actions";
  const status = document.createElement("p");
  status.className = "cmvig-action-status";
  status.setAttribute("role", "status");
  const file = `cmvig-${name}-${new Date().toISOString().slice(0, 10)}`;
  bar.append(button("Print for the chart", () => printResult(form, region)));
  bar.append(button("Copy as text", async () => {
    try {
      await navigator.clipboard.writeText(plainText(form, region));
      say(region, "Copied.");
    } catch {
      say(region, "This browser did not allow copying; select the result and copy it instead.");
    }
  }));
  if (hasTable) {
    bar.append(button("Download CSV", () => download(`${file}.csv`, "text/csv", csv(region))));
  }
  const ics = calendar(name, result);
  if (ics) bar.append(button("Add dates to a calendar (.ics)", () => download(`${file}.ics`, "text/calendar", ics)));
  bar.append(button("Link to this calculation", async () => {
    const href = linkFor(form, name);
    history.replaceState(history.state, "", href);
    try {
      await navigator.clipboard.writeText(href);
      say(region, "Link copied. The inputs are in the part after #, which is never sent to the server.");
    } catch {
      say(region, "The address bar now holds the link. The inputs after # are never sent to the server.");
    }
  }));
  return [bar, status];
}

// Exposed for tests: the text, CSV and calendar built from the current result.
export const forTests = { plainText, csv, calendar, linkFor, resultText };
