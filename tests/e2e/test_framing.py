"""No other site can frame a page of the guide (issue 14, item 3).

A page on another origin (a second server on another port of 127.0.0.1) frames a pre-filled
calculator; Chromium must refuse to show it (``frame-ancestors 'self'`` and ``X-Frame-Options``),
while the site itself may still frame its own pages.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Frame, Page

from tests.e2e.helpers import example

LINK = f"prophylaxis/#calculate:prophylaxis?{urlencode(example('prophylaxis'))}"


@pytest.fixture
def other_origin(tmp_path: Path, base_url: str) -> Iterator[str]:
    """A page on another port that frames the calculator."""
    (tmp_path / "index.html").write_text(
        f'<!doctype html><title>elsewhere</title><iframe src="{base_url}{LINK}"></iframe>')
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


def framed(page: Page) -> Frame:
    (child,) = page.main_frame.child_frames
    return child


def shows_the_calculator(frame: Frame) -> bool:
    try:
        return bool(frame.evaluate("document.querySelector('form[data-calculator]') !== null"))
    except Exception:  # noqa: BLE001 - an error page Playwright cannot evaluate in: not shown
        return False


def test_another_origin_cannot_frame_a_page(browser: Browser, other_origin: str,
                                            base_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda m: "frame" in m.text.lower() and blocked.append(m.text))
    page.goto(other_origin)
    page.wait_for_timeout(1500)
    frame = framed(page)
    assert not shows_the_calculator(frame), frame.url
    assert not frame.url.startswith(base_url) or frame.url == base_url + LINK
    assert blocked, "Chromium did not report the refused frame"
    context.close()


@pytest.mark.browser_context("warm")
def test_the_site_may_frame_its_own_pages(page: Page) -> None:
    # frame-ancestors 'self', not 'none': the policy refuses others, not the site itself.
    page.goto("./")
    page.evaluate(f"""() => new Promise((resolve) => {{
        const frame = document.createElement("iframe");
        frame.src = {LINK!r};
        frame.addEventListener("load", resolve);
        document.body.append(frame);
    }})""")
    assert shows_the_calculator(framed(page))
