// CMVIG Guide: keeps a theme's shadow-DOM styles working under the strict Content-Security-Policy.
// Hand-written, not generated. Loaded as a classic script BEFORE the theme's bundle
// (site_src/theme/main.html, block scripts).
//
// Why: Zensical's search dialog (0.0.73) draws itself in a shadow root and appends its stylesheet
// there as a <style> element, made by its bundle at run time. The site's policy (style-src
// 'self', build_scripts/hosting/security.py) blocks every <style> element, so the dialog would be
// unstyled and the console would report a violation; build_scripts/csp.py can only move styles
// that are in the built files. A constructed stylesheet (CSSOM) is not an inline style: a <style>
// element appended to a shadow root is adopted as one instead, with the same rules. MkDocs +
// Material appends none, so there this does nothing.
(() => {
  "use strict";

  const append = ShadowRoot.prototype.appendChild;
  ShadowRoot.prototype.appendChild = function appendChild(node) {
    if (!(node instanceof HTMLStyleElement)) return append.call(this, node);
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(node.textContent ?? "");
    this.adoptedStyleSheets = [...this.adoptedStyleSheets, sheet];
    return node;
  };
})();
