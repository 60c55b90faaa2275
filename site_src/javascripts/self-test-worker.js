// CMVIG Guide self-test: a module Web Worker, started by self-test.js the way the calculators
// start theirs. Hand-written, not generated. It answers with its own URL (import.meta exists only
// in modules, so a browser that ran it as a classic script fails instead) and with the sum that
// a tiny WebAssembly module computes in here, where the calculators' Python runtime runs too.

addEventListener("message", async ({ data }) => {
  try {
    const { instance } = await WebAssembly.instantiate(new Uint8Array(data.wasm));
    postMessage({ ok: true, url: import.meta.url, sum: instance.exports.add(2, 3) });
  } catch (error) {
    postMessage({ ok: false, message: String(error?.message ?? error) });
  }
});
