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
    monkeypatch.setenv("HOME", str(tmp_path))  # the start screen shows the folder as ~/drafts
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
        app.editor.show_section("overview")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_requests_table_with_an_error(snap_compare, drafts: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = GovReportApp(drafts / HUAIAN.name, drafts)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        app.editor.show_section("requests")
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
        app.editor.show_change()
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


WRAPPING = (
    "现将本机关政府信息公开工作情况报告如下。2024年，本机关主动公开政府信息 5500余条，制发规章 1件，"
    "依据国办公开办函〔2020〕109号文件的“要求”办理，落实“放管服”改革——取得成效……"
)


@pytest.mark.parametrize("size", SIZES)
def test_text_part_wraps_chinese(snap_compare, drafts: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """Numbers keep their unit, 〔2020〕109号 stays whole, no line starts with ，。」; quotes drawn 2 columns."""
    app = GovReportApp(drafts / TONGJIANG.name, drafts)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        app.editor.show_section("overview")
        await pilot.pause()
        area = app.editor.view.query_one("#text")
        area.load_text(WRAPPING + "\n" + WRAPPING[20:])
        area.cursor_location = (0, WRAPPING.index("要求"))
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare, drafts: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = GovReportApp(drafts / HUAIAN.name, drafts)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_export_screen_html_fragment(snap_compare, drafts: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = GovReportApp(drafts / TONGJIANG.name, drafts)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("f4", "4")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
