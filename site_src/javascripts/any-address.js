// CMVIG Guide: lets one build of the site work from any address (host, port and sub-path).
// Hand-written, not generated. Loaded as a classic script BEFORE mkdocs-material's bundle
// (site_src/theme/main.html, block scripts), because the bundle asks for the sitemap as it starts.
//
// Why: mkdocs-material 9.8's instant navigation follows a link only if sitemap.xml lists it, and
// it compares whole URLs. The sitemap's URLs are written at build time from site_url; the theme
// swaps in the page's scheme and host name but keeps their port and path. Served anywhere else
// (another port, /guides/cmvig/), no link would match and every click would reload the page and
// restart the calculators' Python runtime. So when the theme reads the sitemap, its URLs are
// moved from the address the site was built for to the address this copy is served from.
(() => {
  "use strict";

  /** Replace the built-for root (the shortest <loc>, the home page) with `root`. */
  function moveSitemap(xml, root) {
    const locs = [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((match) => match[1].trim());
    if (locs.length === 0) return xml;
    const builtRoot = locs.reduce((a, b) => (b.length < a.length ? b : a));
    return xml.replace(/<loc>([^<]*)<\/loc>/g, (whole, loc) => {
      const trimmed = loc.trim();
      return trimmed.startsWith(builtRoot) ? `<loc>${root}${trimmed.slice(builtRoot.length)}</loc>` : whole;
    });
  }

  /**
   * Rewrite the response of one sitemap request. The theme asks for a Blob and reads
   * `response` in its own "load" listener; this listener is added first (from open()), reads the
   * text, and hands the theme a Blob of the moved sitemap instead.
   */
  function moveOnLoad(request, root) {
    let wanted = "";
    Object.defineProperty(request, "responseType", {
      configurable: true,
      get: () => wanted,
      set: (value) => { wanted = value; }, // the real type stays "" (text), so it can be read
    });
    request.addEventListener("load", () => {
      if (request.status < 200 || request.status >= 300) return;
      const moved = moveSitemap(request.responseText, root);
      Object.defineProperty(request, "response", {
        configurable: true,
        value: wanted === "blob" ? new Blob([moved], { type: "application/xml" }) : moved,
      });
    });
  }

  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    const target = new URL(String(url), location.href);
    if (String(method).toUpperCase() === "GET" && target.origin === location.origin &&
        target.pathname.endsWith("/sitemap.xml")) {
      moveOnLoad(this, new URL(".", target).href);
    }
    return open.call(this, method, url, ...rest);
  };
})();
