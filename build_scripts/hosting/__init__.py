"""Serving the built site: the rules every web server follows, the local server, the
configurations for the intranet's servers. Nothing here builds; the build only ships
``web.config`` (:func:`build_scripts.hosting.rules.copy_web_config`) and the policy module for
the self-test page (:func:`build_scripts.hosting.security.write_policy_module`).

- :mod:`build_scripts.hosting.rules` -- media types, cache lifetimes, compression, hidden files.
- :mod:`build_scripts.hosting.security` -- the security headers every response carries (the
  Content Security Policy).
- :mod:`build_scripts.hosting.serve` -- serve ``site/`` on 127.0.0.1 with those headers and types
  (``./dev serve``, the end-to-end tests, the benchmark).
- ``deploy/`` -- the same rules for nginx (``nginx.conf``), Apache httpd (``apache-httpd.conf``)
  and IIS (``web.config``).
"""
