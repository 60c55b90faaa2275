// List what a JavaScript file makes the browser fetch by itself, found by parsing it with acorn
// (not by pattern matching): static and dynamic imports, re-exports, importScripts(), new
// Worker()/SharedWorker(), and fetch() with a literal URL.
// Usage: node build_scripts/js_fetches.mjs FILE...   Prints JSON: {file: [{kind, url}], ...}.
// Used by build_scripts/external_refs.py; a file acorn cannot parse is reported as an error.
import { readFileSync } from "node:fs";
import * as acorn from "acorn";
import * as walk from "acorn-walk";

function literal(node) {
  if (!node) return null;
  if (node.type === "Literal" && typeof node.value === "string") return node.value;
  if (node.type === "TemplateLiteral" && node.expressions.length === 0) return node.quasis[0].value.cooked;
  // `new URL("x", import.meta.url)` and `new URL("https://...")`: the first argument is the URL.
  if (node.type === "NewExpression" && node.callee.name === "URL") return literal(node.arguments[0]);
  return null;
}

function calleeName(node) {
  if (node.type === "Identifier") return node.name;
  if (node.type === "MemberExpression" && !node.computed) return node.property.name;
  return null;
}

const report = {};
for (const file of process.argv.slice(2)) {
  const code = readFileSync(file, "utf8");
  const found = [];
  let tree;
  try {
    tree = acorn.parse(code, { ecmaVersion: "latest", sourceType: "module", allowHashBang: true });
  } catch {
    tree = acorn.parse(code, { ecmaVersion: "latest", sourceType: "script", allowHashBang: true });
  }
  const add = (kind, node) => found.push({ kind, url: literal(node) });
  walk.simple(tree, {
    ImportDeclaration: (n) => add("import", n.source),
    ExportAllDeclaration: (n) => add("import", n.source),
    ExportNamedDeclaration: (n) => n.source && add("import", n.source),
    ImportExpression: (n) => add("dynamic import", n.source),
    CallExpression: (n) => {
      const name = calleeName(n.callee);
      if (name === "importScripts") for (const arg of n.arguments) add("importScripts", arg);
      if (name === "fetch" && literal(n.arguments[0]) !== null) add("fetch", n.arguments[0]);
    },
    NewExpression: (n) => {
      const name = calleeName(n.callee);
      if (name === "Worker" || name === "SharedWorker") add(name, n.arguments[0]);
    },
  });
  report[file] = found;
}
process.stdout.write(JSON.stringify(report));
