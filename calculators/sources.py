"""Where each rule comes from.

Every dosing number in the package names a key of :data:`SOURCES`; results carry those keys so the
site can show, and link, the source of each number. Keys are stable: pages and tests cite them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Source", "SOURCES", "source"]


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    short: str
    citation: str


SOURCES: dict[str, Source] = {
    s.key: s
    for s in (
        Source(
            key="cmvig-monograph",
            short="CMV Ig monograph",
            citation="Cytomegalovirus Immunoglobulin (CMV Ig) drug monograph: Dosage, adult IV, "
            "prophylaxis of CMV disease.",
        ),
        Source(
            key="cytogam-label",
            short="CytoGam prescribing information",
            citation="CytoGam (cytomegalovirus immune globulin intravenous, human) US prescribing "
            "information, Kamada; DailyMed, updated 2023-02-28.",
        ),
    )
}


def source(key: str) -> Source:
    """Return the source registered under ``key``; a typo here is a programming error."""
    return SOURCES[key]
