// CMVIG Guide: is the server sending Pyodide's WebAssembly with the right type? Hand-written.
//
// A server that sends the .wasm file as anything but `application/wasm` makes Pyodide's streaming
// compile fail, and Pyodide then waits for ever without an error. The worker asks first, with a
// HEAD request (no body: the file is ~10 MB), and stops with a message saying what to fix.

const WANTED = "application/wasm";

/**
 * Resolve to null when `url` is served as application/wasm (or the answer cannot be had, e.g.
 * offline with the file cached: then Pyodide's own loading decides), else to a message for the
 * reader and the site's administrator.
 */
export async function wasmTypeProblem(url) {
  let response;
  try {
    response = await fetch(url, { method: "HEAD" });
  } catch {
    return null;
  }
  if (response.status === 404) {
    return `The calculator engine's file ${new URL(url).pathname} is missing on the server (HTTP 404). ` +
      "Tell the site's administrator: copy the whole built site, including assets/pyodide/.";
  }
  if (!response.ok) return null; // e.g. a server refusing HEAD; loading itself will tell
  const type = (response.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type === WANTED) return null;
  return `The calculator engine cannot start: the web server sends its WebAssembly file ` +
    `(${new URL(url).pathname.split("/").pop()}) as "${type || "no type"}" instead of "${WANTED}". ` +
    "Tell the site's administrator: map the .wasm extension to application/wasm " +
    "(nginx: types { application/wasm wasm; }; Apache: AddType application/wasm .wasm; " +
    "IIS: a mimeMap for .wasm in web.config). The site's self-test page checks this.";
}
