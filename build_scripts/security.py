"""The security headers every response of the site carries, wherever it is served.

The Content Security Policy lets the pages load scripts, styles, workers, images and data from
the site alone, with one addition: ``'wasm-unsafe-eval'``, without which Pyodide cannot start (it
compiles WebAssembly). Nothing inline is allowed: the build moves the themes' inline scripts,
styles and ``data:`` icons into files (:mod:`build_scripts.csp`). The local server
(:mod:`build_scripts.serve`) sends these headers, and the web-server configurations in
``build_scripts/deploy/`` must name the same policy (a test checks).
"""

from __future__ import annotations

__all__ = ["CONTENT_SECURITY_POLICY", "security_headers"]

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; "
    "style-src 'self'"
)


def security_headers(csp: bool = True) -> dict[str, str]:
    """Header name -> value; without the policy if ``csp`` is false (to diagnose a page)."""
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }
    if csp:
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return headers
