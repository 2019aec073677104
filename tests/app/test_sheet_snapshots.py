"""Snapshots of the table on screen: what used to mislead (sideways scrolling, hidden rows, the cell line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.app.app import GovReportApp
from tui.core.formats import CellRef

from ..conftest import HUAIAN, TONGJIANG
from .test_snapshots import SIZES, drafts  # noqa: F401 (the fixture)


@pytest.mark.parametrize("size", SIZES)
def test_end_scrolls_every_row_and_the_header(snap_compare, drafts: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """End in table 三: every row and the header show the same columns (总计 under 总计)."""
    app = GovReportApp(drafts / HUAIAN.name, drafts)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        app.editor.show_section("requests", cell=CellRef("requests", "carried_over", "natural_person"))
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_rows_hidden_below_are_marked(snap_compare, drafts: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Trial format, part 二: the last rows are below the screen, and the edge says so."""
    app = GovReportApp(drafts / TONGJIANG.name, drafts)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        app.editor.show_section("proactive", cell=CellRef("proactive", "rules", "made"))
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_cell_details(snap_compare, drafts: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Ctrl+D: the cell's full names, what it holds, and every finding about it."""
    app = GovReportApp(drafts / HUAIAN.name, drafts)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        app.editor.show_section("requests", cell=CellRef("requests", "new_requests", "commercial"))
        await pilot.pause()
        await pilot.press("5", "4", "ctrl+d")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
