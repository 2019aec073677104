"""The autosave schedule as policy: 2 s after the last change, at least every 10 s, never a zero wait."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.autosave import MIN_DELAY, AutosaveSchedule


def test_nothing_to_save_nothing_scheduled() -> None:
    schedule = AutosaveSchedule()
    assert schedule.wait(100.0) is None and not schedule.is_due(100.0) and not schedule.pending


def test_saved_two_seconds_after_the_last_change() -> None:
    schedule = AutosaveSchedule()
    schedule.changed(100.0)
    schedule.changed(101.0)
    assert schedule.due() == 103.0
    assert schedule.wait(101.0) == pytest.approx(2.0)
    assert not schedule.is_due(102.9) and schedule.is_due(103.0)


def test_at_least_every_ten_seconds_while_typing() -> None:
    schedule = AutosaveSchedule()
    for k in range(30):  # a key every 0.5 s for 15 s: never 2 s of quiet
        schedule.changed(100.0 + k * 0.5)
    assert schedule.due() == 110.0
    assert schedule.is_due(110.0)


def test_a_change_long_after_the_last_save_is_saved_on_time() -> None:
    """Today's bug: a stale 'first change' made the wait 0 and the timer never fired."""
    schedule = AutosaveSchedule()
    schedule.changed(100.0)
    schedule.saved()  # saved (or found nothing to save): the slate is clean
    schedule.changed(500.0)
    assert schedule.wait(500.0) == pytest.approx(2.0)


def test_the_wait_is_never_zero() -> None:
    schedule = AutosaveSchedule()
    schedule.changed(100.0)
    assert schedule.wait(200.0) == MIN_DELAY  # long overdue: as soon as possible, but not 0


def test_a_failed_save_is_retried_after_the_quiet_time() -> None:
    schedule = AutosaveSchedule()
    schedule.changed(100.0)
    schedule.failed(112.0)
    assert schedule.pending and schedule.wait(112.0) == pytest.approx(2.0)


def test_timing_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVREPORT_AUTOSAVE", "0.3,1.0")
    assert (AutosaveSchedule.from_environment().quiet, AutosaveSchedule.from_environment().most) == (0.3, 1.0)
    for bad in ("", "x", "0,0", "5,1", "-1,3"):
        monkeypatch.setenv("GOVREPORT_AUTOSAVE", bad)
        assert (AutosaveSchedule.from_environment().quiet, AutosaveSchedule.from_environment().most) == (2.0, 10.0)


@given(st.lists(st.floats(min_value=0.0, max_value=30.0, allow_nan=False), min_size=1, max_size=50))
def test_never_later_than_promised(gaps: list[float]) -> None:
    """Whatever the rhythm of changes, the save is due at most 2 s after the last and 10 s after the first."""
    schedule = AutosaveSchedule()
    now = 1000.0
    first = None
    for gap in gaps:
        now += gap
        if schedule.is_due(now):  # the timer fired: saved
            schedule.saved()
            first = None
        schedule.changed(now)
        first = now if first is None else first
        due = schedule.due()
        assert due is not None and due <= now + 2.0 and due <= first + 10.0
        wait = schedule.wait(now)
        assert wait is not None and wait >= MIN_DELAY
