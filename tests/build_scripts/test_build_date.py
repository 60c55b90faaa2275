"""The build's only date is the commit's (or SOURCE_DATE_EPOCH's), never the build day's."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from build_scripts.build_date import source_date_epoch
from tests.conftest import ROOT


def test_the_commit_time_of_head(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    head = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
                          capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("not a git checkout")
    assert source_date_epoch(ROOT) == head.stdout.strip()


def test_the_environment_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert source_date_epoch(ROOT) == "1767225600"


def test_none_outside_a_git_checkout(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert source_date_epoch(tmp_path) is None
