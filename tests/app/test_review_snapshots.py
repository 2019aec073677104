"""SVG snapshots of the review desk at 80×24 and 120×40 (fixed dates, generated units)."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from tui.app.app import GovReportApp
from tui.app.screens.review import ReviewScreen

from ..units import damage, write_units

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
FIXED_TIME = 1_768_900_000  # 2026-01-20 09:06 UTC
TODAY = dt.date(2026, 1, 25)


@pytest.fixture
def units(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder named `单位` (a stable path on screen) of 14 units, one damaged, fixed times."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(ReviewScreen, "today_default", staticmethod(lambda: TODAY))
    folder = Path("单位")
    written = write_units(folder, 14)
    damage(written[-1][0])
    for i, (path, _spec) in enumerate(written):
        os.utime(path, (FIXED_TIME + 600 * i, FIXED_TIME + 600 * i))
    return folder


async def _ready(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(100):
        await pilot.pause(0.05)
        if isinstance(pilot.app.screen, ReviewScreen) and not pilot.app.screen.loading:
            break
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_review_list(snap_compare, units: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _ready(pilot)
        await pilot.press("down", "down", "down", "down", "down", "down")  # the unit returned with a comment

    assert snap_compare(GovReportApp(None, units, review=units), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_unit_read_only(snap_compare, units: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _ready(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()

    assert snap_compare(GovReportApp(None, units, review=units), terminal_size=size, run_before=run_before)
