"""SVG snapshots of the key screens at 80×24 and 120×40 (cursor blink off, bundled examples)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from tui.app.app import GovReportApp
from tui.core.formats import CellRef
from tui.core.session import DraftSession

from ..conftest import HUAIAN, TONGJIANG

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
FIXED_TIME = 1_767_000_000  # 2025-12-29 09:20 UTC


@pytest.fixture
def drafts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A drafts folder named `drafts` (a stable path on screen) with both examples, fixed times."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(DraftSession, "clock", staticmethod(lambda: FIXED_TIME))
    folder = Path("drafts")
    folder.mkdir()
    for i, source in enumerate((TONGJIANG, HUAIAN)):
        target = folder / source.name
        shutil.copy(source, target)
        os.utime(target, (FIXED_TIME + i, FIXED_TIME + i))
    return folder


@pytest.mark.parametrize("size", SIZES)
def test_start_screen(snap_compare, drafts: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(GovReportApp(None, drafts), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_text_part(snap_compare, drafts: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = GovReportApp(drafts / TONGJIANG.name, drafts)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        app.editor.go("overview")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_requests_table_with_an_error(snap_compare, drafts: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = GovReportApp(drafts / HUAIAN.name, drafts)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        app.editor.go("requests")
        await pilot.pause()
        grid = app.editor.view.sheet
        grid.select(CellRef("requests", "new_requests", "commercial"))
        await pilot.press("5", "4", "enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_findings_list(snap_compare, drafts: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = GovReportApp(drafts / HUAIAN.name, drafts)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        app.session.set_cell(CellRef("requests", "new_requests", "total"), 3000)
        app.session.set_cell(CellRef("appeals", "cases", "review_total"), 350)
        app.session.set_text("problems", "")
        app.editor.after_change()
        await pilot.press("ctrl+f")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_export_screen(snap_compare, drafts: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = GovReportApp(drafts / TONGJIANG.name, drafts)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("ctrl+e")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
