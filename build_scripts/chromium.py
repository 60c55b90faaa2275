"""Debian's Chromium as this project drives it: the benchmark, the browser tests and the
screenshots all launch this executable with these flags (set by the team's rules: headless, as
root in a container, and with nothing reaching the network behind the test's back)."""

from __future__ import annotations

__all__ = ["CHROMIUM", "CHROMIUM_FLAGS"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
