// The floor page's script (a file, not inline: the benchmark serves with the site's CSP).
const worker = new Worker(new URL(`floor-worker.mjs${location.search}`, import.meta.url), { type: "module" });
worker.addEventListener("message", ({ data }) => {
  window.__floor = { ...data, ms: performance.now() };
  document.getElementById("answer").textContent = String(data.answer ?? data.error);
});
worker.addEventListener("error", (event) => {
  window.__floor = { error: String(event.message), ms: performance.now() };
});
