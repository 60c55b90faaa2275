"""Search snippets come from the pages' text, never from calculator forms; pages for IT sit in
the footer, not in the clinical navigation."""

from __future__ import annotations

import json
import re
from pathlib import Path

# Words that only a calculator form or a table's filter box holds.
FORM_WORDS = ("Hospital default", "More options", "Filter rows")


def test_search_index_holds_no_form_text(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    assert any(d["location"].startswith("prophylaxis/") for d in docs)
    leaked = [(d["location"], word) for d in docs for word in FORM_WORDS
              if word in d["text"] or word in d["title"]]
    assert leaked == []


def _primary_nav(page: str) -> str:
    found = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>', page, re.S)
    assert found
    return found.group(0)


def test_self_test_is_in_the_footer_not_the_clinical_navigation(built_site: Path) -> None:
    for name in ("index.html", "treatment/index.html"):
        page = (built_site / name).read_text(encoding="utf-8")
        assert "Self-test for IT" not in _primary_nav(page), name
        footer = page[page.index('<footer class="md-footer">'):]
        assert re.search(r'<a href="[./]*self-test/">Self-test for IT</a>', footer), name
    assert (built_site / "self-test" / "index.html").is_file()
