"""The web-server configurations in build_scripts/hosting/deploy/ say what the preview server
does: the same Content Security Policy, the media types Pyodide needs, the same cache classes,
compression.
(tests/e2e/test_nginx.py runs the nginx one for real.)"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from build_scripts.hosting.rules import (
    CACHE_FOREVER,
    COMPRESSIBLE_TYPES,
    DEPLOY_DIR,
    MEDIA_TYPES,
    cache_control,
    copy_web_config,
    is_hidden,
)
from build_scripts.hosting.security import CONTENT_SECURITY_POLICY, security_headers

NGINX = DEPLOY_DIR / "nginx.conf"
APACHE = DEPLOY_DIR / "apache-httpd.conf"
IIS = DEPLOY_DIR / "web.config"
NEEDED_TYPES = {".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
                ".whl": "application/zip", ".json": "application/json"}
# Paths inside the site, and whether they may be cached for good.
SAMPLES = {
    "assets/pyodide/314.0.7/pyodide.asm.wasm": True,
    "assets/pyodide/314.0.7/python_stdlib.zip": True,
    "assets/wheels/0123456789ab/calculators-0.1.0-py3-none-any.whl": True,
    "assets/wheels/0123456789ab/pyodide-lock.json": True,
    "assets/javascripts/bundle.a5f9d56c.min.js": True,
    "assets/javascripts/bundle.a5f9d56c.min.js.map": True,
    "assets/javascripts/workers/search.a7633da7.min.js": True,
    "assets/stylesheets/main.57a0d79d.min.css": True,
    "assets/stylesheets/palette.fb2fffe2.min.css": True,
    "index.html": False,
    "prophylaxis/index.html": False,
    "assets/runtime.mjs": False,
    "assets/calculator-settings.json": False,
    "javascripts/calculator-worker.js": False,
    "stylesheets/cmvig.css": False,
    "assets/javascripts/lunr/min/lunr.de.min.js": False,
    "assets/wheels/pyodide-lock.json": False,
    "sitemap.xml": False,
}
# Paths inside the site, and whether no server may answer them with a file (issue 14).
HIDDEN_SAMPLES = {
    ".env": True, ".git/config": True, "assets/.htaccess": True, "web.config": True,
    "Web.Config": True, "a/web.config": True, "web.config/x": True,
    "index.html": False, "prophylaxis/index.html": False, "assets/runtime.mjs": False,
    "web.configs": False, "my.web.config": False, "assets/pyodide/314.0.7/pyodide.asm.wasm": False,
}


def _bare(media_type: str) -> str:
    return media_type.split(";")[0].strip()


def test_local_server_rules_cover_the_samples() -> None:
    for path, forever in SAMPLES.items():
        assert (cache_control(path) == CACHE_FOREVER) is forever, path
    for extension, media_type in NEEDED_TYPES.items():
        assert _bare(MEDIA_TYPES[extension]) == media_type


@pytest.mark.parametrize("config", [NGINX, APACHE, IIS], ids=lambda p: p.name)
def test_every_config_names_the_same_policy_and_headers(config: Path) -> None:
    text = config.read_text()
    policies = re.findall(r"default-src[^\"]*", text)
    assert policies and set(policies) == {CONTENT_SECURITY_POLICY}
    for name, value in security_headers().items():
        assert name in text and value in text, name
    assert "X-Frame-Options" in text and "SAMEORIGIN" in text
    assert "/srv/cmvig-guide/site" in text or config == IIS


def test_hidden_paths() -> None:
    for path, hidden in HIDDEN_SAMPLES.items():
        assert is_hidden(path) is hidden, path


def test_nginx_and_apache_deny_the_hidden_paths() -> None:
    nginx = re.search(r'location ~\* "([^"]+)" \{\s*return 404;', NGINX.read_text())
    apache = re.search(r'RedirectMatch 404 "\(\?i\)(\S+)"', APACHE.read_text())
    assert nginx and apache
    for path, hidden in HIDDEN_SAMPLES.items():
        url = "/guides/cmvig/" + path
        assert bool(re.search(nginx.group(1), url, re.IGNORECASE)) is hidden, path
        assert bool(re.search(apache.group(1), url, re.IGNORECASE)) is hidden, path
    # nginx takes the first regular expression that matches: the denial comes before the cache one.
    text = NGINX.read_text()
    assert text.index('location ~* "/(') < text.index('location ~ "/assets/')


def test_iis_denies_the_hidden_paths() -> None:
    root = ElementTree.parse(IIS).getroot()
    filtering = root.find("system.webServer/security/requestFiltering")
    assert filtering is not None
    segments = [e.get("segment") for e in filtering.iterfind("hiddenSegments/add")]
    sequences = [e.get("sequence") for e in filtering.iterfind("denyUrlSequences/add")]
    assert segments == ["web.config"] and sequences == ["/."]
    for path, hidden in HIDDEN_SAMPLES.items():
        denied = "/." in "/" + path or "web.config" in path.lower().split("/")
        assert denied is hidden, path


def test_nginx_config() -> None:
    text = NGINX.read_text()
    assert "location /guides/cmvig/ {" in text
    assert "alias /srv/cmvig-guide/site/;" in text
    assert "error_page 404 /guides/cmvig/404.html;" in text
    types = re.search(r"types \{(.*?)\}", text, re.DOTALL)
    assert types
    by_extension = {}
    for line in types.group(1).strip().splitlines():
        media_type, *extensions = line.strip().rstrip(";").split()
        by_extension.update({f".{ext}": media_type for ext in extensions})
    assert {ext: _bare(t) for ext, t in MEDIA_TYPES.items()} == by_extension | {
        ".ics": "text/calendar", ".csv": "text/csv"}  # made in the browser, not served
    gzip_types = re.search(r"gzip_types ([^;]*);", text)
    assert gzip_types
    assert set(gzip_types.group(1).split()) | {"text/html"} == COMPRESSIBLE_TYPES - {
        "text/calendar", "text/csv"}
    # The cache classes: the nested location's pattern sorts the samples as the server does.
    pattern = re.search(r'location ~ "([^"]+)"', text)
    assert pattern
    for path, forever in SAMPLES.items():
        assert bool(re.search(pattern.group(1), "/guides/cmvig/" + path)) is forever, path
    # nginx forgets a level's add_header lines where a nested level has its own: both repeat all.
    csp_line = f'add_header Content-Security-Policy "{CONTENT_SECURITY_POLICY}" always;'
    assert text.count(csp_line) == 2
    assert f'add_header Cache-Control "{CACHE_FOREVER}" always;' in text
    assert 'add_header Cache-Control "no-cache" always;' in text


def test_apache_config() -> None:
    text = APACHE.read_text()
    assert 'Alias "/guides/cmvig/" "/srv/cmvig-guide/site/"' in text
    assert '<Directory "/srv/cmvig-guide/site">' in text
    added = {}
    for media_type, extensions in re.findall(r"^\s*AddType (\S+) (.*)$", text, re.MULTILINE):
        added.update({ext: media_type for ext in extensions.split()})
    for extension, media_type in NEEDED_TYPES.items():
        assert added[extension] == media_type, extension
    deflated = re.search(r"AddOutputFilterByType DEFLATE (.*)$", text, re.MULTILINE)
    assert deflated
    assert set(deflated.group(1).split()) == COMPRESSIBLE_TYPES - {"text/calendar", "text/csv"}
    pattern = re.search(r'<If "%\{REQUEST_URI\} =~ m#(.+)#">', text)
    assert pattern
    for path, forever in SAMPLES.items():
        assert bool(re.search(pattern.group(1), "/guides/cmvig/" + path)) is forever, path
    assert f'Header always set Cache-Control "{CACHE_FOREVER}"' in text
    assert 'Header always set Cache-Control "no-cache"' in text


def test_iis_web_config() -> None:
    root = ElementTree.parse(IIS).getroot()
    static = root.find("system.webServer/staticContent")
    assert static is not None
    mapped = {}
    removed = set()
    for element in static:
        if element.tag == "remove":
            removed.add(element.get("fileExtension"))
        elif element.tag == "mimeMap":
            extension = element.get("fileExtension")
            # Removed first, or a server that maps it already stops with error 500.19.
            assert extension in removed, extension
            mapped[extension] = element.get("mimeType")
    for extension, media_type in NEEDED_TYPES.items():
        assert mapped[extension] == media_type, extension
    assert mapped[".webmanifest"] == "application/manifest+json"
    client_cache = static.find("clientCache")
    assert client_cache is not None and client_cache.get("cacheControlMode") == "DisableCache"
    headers = {h.get("name"): h.get("value")
               for h in root.iterfind("system.webServer/httpProtocol/customHeaders/add")}
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    compression = root.find("system.webServer/urlCompression")
    assert compression is not None and compression.get("doStaticCompression") == "true"
    forever = {location.get("path"): location.find("system.webServer/staticContent/clientCache")
               for location in root.iterfind("location")}
    assert set(forever) == {"assets/pyodide", "assets/wheels"}
    for cache in forever.values():
        assert cache is not None
        assert (cache.get("cacheControlMode"), cache.get("cacheControlMaxAge"),
                cache.get("cacheControlCustom")) == ("UseMaxAge", "365.00:00:00",
                                                     "public, immutable")


def test_web_config_is_copied_into_the_site_root(tmp_path: Path) -> None:
    assert copy_web_config(tmp_path) == tmp_path / "web.config"
    assert (tmp_path / "web.config").read_bytes() == IIS.read_bytes()
