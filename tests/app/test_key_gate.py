"""The key gate's wait for the app to settle: work the app does never runs out the wait."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tui.app import type_ahead
from tui.app.app import GovReportApp


async def test_a_slow_step_does_not_use_up_the_wait(huaian_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(type_ahead, "SETTLE_LIMIT", 0.2)
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        done: list[str] = []

        def slow_step() -> None:
            time.sleep(0.4)  # a slow disk, a busy server: longer than the whole limit
            app.screen.call_later(done.append, "the step's follow-up")  # handled in the screen's own turn

        app.call_later(slow_step)
        await app.key_gate.settled()
        assert done == ["the step's follow-up"]
