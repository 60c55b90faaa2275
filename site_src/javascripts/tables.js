// CMVIG Guide: the page's tables. Hand-written, not generated.
// Loaded on every page (mkdocs.yml extra_javascript, a module, so once per tab); on every
// instant-navigation page swap (mkdocs-material's document$) it
// - makes the evidence tables (data-cmvig-table) sortable and filterable: only if the page has
//   one, it loads the vendored tablesort (assets/vendor/tablesort/, copied from the pinned npm
//   package by build_scripts/vendor.py);
// - labels each cell of the pages' plain tables with its column's name, so that a phone shows
//   each row as a card with no column off to the side (cmvig.css);
// - lets keyboard users reach a table that still scrolls sideways.
// Without JavaScript the tables are complete, scroll sideways where they are too wide, and the
// filter boxes stay hidden.

const VENDOR = new URL("../assets/vendor/tablesort/", import.meta.url);
const SCRIPTS = ["tablesort.min.js", "tablesort.number.min.js"]; // in this order
let loading = null;

/** Load tablesort once per tab (classic scripts: it defines window.Tablesort). */
function loadTablesort() {
  if (!loading) {
    loading = SCRIPTS.reduce(
      (previous, name) =>
        previous.then(
          () =>
            new Promise((resolve, reject) => {
              const script = document.createElement("script");
              script.src = new URL(name, VENDOR).href;
              script.onload = resolve;
              script.onerror = () => reject(new Error(`could not load ${name}`));
              document.head.append(script);
            }),
        ),
      Promise.resolve(),
    );
    loading.catch(() => (loading = null)); // try again on the next page
  }
  return loading;
}

/** Show the filter box above `table` and hide the rows that do not contain its text. */
function bindFilter(table) {
  const box = table.closest(".cmvig-evidence")?.querySelector(".cmvig-table-filter");
  if (!box) return;
  const input = box.querySelector("input");
  const count = box.querySelector(".cmvig-table-count");
  const rows = Array.from(table.tBodies[0]?.rows ?? []);
  // With no row matching, a line in the table's place says so (the count beside the box may be
  // out of sight), and the table keeps its height while a filter is typed: a page that shrank
  // under the reader would scroll up and bring the theme's "Back to top" button over the box.
  const wrap = table.closest(".cmvig-evidence");
  const empty = document.createElement("p");
  empty.className = "cmvig-table-empty";
  empty.hidden = true;
  const notes = wrap.querySelector(".cmvig-table-notes");
  if (notes) notes.before(empty);
  else wrap.append(empty);
  const apply = () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length && !wrap.style.minHeight) wrap.style.minHeight = `${wrap.offsetHeight}px`;
    if (!words.length) wrap.style.minHeight = "";
    let shown = 0;
    for (const row of rows) {
      const text = row.textContent.toLowerCase();
      const match = words.every((word) => text.includes(word));
      row.hidden = !match;
      if (match) shown += 1;
    }
    count.textContent = words.length ? `${shown} of ${rows.length} rows shown` : `${rows.length} rows`;
    empty.hidden = shown > 0;
    empty.textContent = `No row contains “${input.value.trim()}”: 0 of ${rows.length} rows shown.`;
  };
  input.addEventListener("input", apply);
  box.hidden = false;
  apply();
}

function bindPage() {
  const tables = Array.from(document.querySelectorAll("table[data-cmvig-table]"))
    .filter((table) => !table.dataset.cmvigBound);
  if (!tables.length) return;
  for (const table of tables) {
    table.dataset.cmvigBound = "true";
    bindFilter(table);
  }
  loadTablesort()
    .then(() => tables.forEach((table) => new window.Tablesort(table)))
    .catch((error) => console.warn("Tables stay unsorted:", error.message));
}

/** Label each cell of a plain table (one header row, three columns or more, no cell spanning
 *  two) with its column's name, and mark the table data-cmvig-stack: on a phone cmvig.css shows
 *  each row as a card, every cell under its column's name. Tables drawn with their own labels
 *  (evidence tables, the hazard log, calculator results) are left as they are. */
function labelColumns() {
  for (const table of document.querySelectorAll(".md-content table:not([data-cmvig-stack])")) {
    const header = table.tHead?.rows;
    if (header?.length !== 1 || table.querySelector("[data-label]")) continue;
    const names = Array.from(header[0].cells, (cell) => cell.textContent.trim());
    const rows = Array.from(table.tBodies).flatMap((body) => Array.from(body.rows));
    const spans = (row) => Array.from(row.cells).some((cell) => cell.colSpan > 1 || cell.rowSpan > 1);
    if (names.length < 3 || [header[0], ...rows].some(spans)
        || rows.some((row) => row.cells.length !== names.length)) continue;
    for (const row of rows) {
      Array.from(row.cells).forEach((cell, column) => (cell.dataset.label = names[column]));
    }
    table.dataset.cmvigStack = "";
  }
}

/** The name of a scrolling table: its caption, else the heading above it. */
function tableName(wrap) {
  const caption = wrap.querySelector("caption")?.textContent.trim();
  if (caption) return caption;
  for (let node = wrap.previousElementSibling; node; node = node.previousElementSibling) {
    if (/^H[1-6]$/.test(node.tagName)) return `Table: ${node.textContent.replace("¶", "").trim()}`;
  }
  return "Table";
}

/** A table wider than the column scrolls inside its wrapper (mkdocs-material's, or a result's):
 *  while it does, keyboard users must be able to reach the wrapper to scroll it (WCAG 2.1.1;
 *  axe-core: scrollable-region-focusable), and a focusable region needs a name. Wrappers that
 *  carry their own tabindex (calculator results) are left alone. */
function reachScrollingTables() {
  for (const wrap of document.querySelectorAll(".md-typeset__scrollwrap")) {
    const ours = "cmvigScroll" in wrap.dataset;
    if (wrap.hasAttribute("tabindex") && !ours) continue;
    if (wrap.scrollWidth > wrap.clientWidth) {
      if (!ours) {
        wrap.dataset.cmvigScroll = "";
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", tableName(wrap));
      }
    } else if (ours) {
      delete wrap.dataset.cmvigScroll;
      for (const name of ["tabindex", "role", "aria-label"]) wrap.removeAttribute(name);
    }
  }
}

let resizing = null;
window.addEventListener("resize", () => {
  cancelAnimationFrame(resizing);
  resizing = requestAnimationFrame(reachScrollingTables);
});

// mkdocs-material wraps the page's tables on the same page swap: look once it has.
const onPage = () => {
  bindPage();
  labelColumns();
  requestAnimationFrame(reachScrollingTables);
};
if (typeof document$ !== "undefined") document$.subscribe(onPage);
else onPage();
