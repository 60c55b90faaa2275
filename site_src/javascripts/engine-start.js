// CMVIG Guide: starts the calculator engine from the head of a page that holds a calculator form
// (site_src/theme/main.html), while the rest of the page is still arriving. Hand-written, not
// generated. calculators.js, which runs once the page is parsed, then joins the same engine
// (connectEngine returns one engine per tab) and binds the forms to it.
//
// Measured (README, "Performance"): on a cold visit the engine started this way is ready sooner
// than when the page's deferred scripts start it, as the worker fetches and compiles Pyodide
// while the page parses. Guidance pages never load this file: they load no Pyodide at all.
import { connectEngine } from "./calculator-client.js";

connectEngine();
