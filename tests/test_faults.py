"""Fault injection: the real app in a pseudo-terminal, typing, killed at random moments.

Every time, the draft on disk must parse. For SIGKILL it must hold every character typed before
the last autosave interval; autosave runs at 0.3 s quiet / 1.0 s max (`GOVREPORT_AUTOSAVE`), the
2 s / 10 s of real use scaled down so that many runs fit in seconds. For a hang-up, SIGTERM or a
terminal that goes away, autosave is held off (60 s) so that only the save on the way out can
have written the text, and all of it must be there. The seeds are fixed and in the test ids.
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest

from tui.core.formats import CellRef
from tui.core.store import load_report, remove_stale_temp_files, save_report

from .conftest import HUAIAN
from .terminal import Terminal, draft_at

TYPED = "0123456789" * 40
QUIET, MAX = 0.3, 1.0
SCALED = f"{QUIET},{MAX}"


def _draft(tmp_path: Path, section: str = "overview", **position: str) -> Path:
    """The 淮安 draft with part 一 emptied, reopening on `section`."""
    draft = draft_at(HUAIAN, tmp_path / "draft.toml", section=section, **position)
    report = load_report(draft)
    report.set_text("overview", "")
    save_report(report, draft)
    return draft


def _check_saved(draft: Path, sent: list[float], killed_at: float, window: float) -> None:
    report = load_report(draft)  # always a whole, valid file
    text = report.text("overview")
    assert TYPED.startswith(text), text
    must_have = sum(1 for t in sent if t < killed_at - window)
    assert len(text) >= must_have, (len(text), must_have, len(sent))


CASES = [("kill", seed) for seed in range(6)] + [
    (how, seed) for how in ("hup", "term", "close", "eof") for seed in range(2)
]


@pytest.mark.parametrize(("how", "seed"), CASES, ids=[f"{h}-{s}" for h, s in CASES])
def test_killed_at_a_random_moment(tmp_path: Path, how: str, seed: int) -> None:
    rng = random.Random(f"{how}-{seed}")
    draft = _draft(tmp_path)
    graceful = how != "kill"
    term = Terminal(draft, controlling=how != "eof", autosave="30,60" if graceful else SCALED)
    term.wait_for("综述本机关贯彻落实")
    start = time.monotonic()
    sent = term.type_steadily(TYPED, start + rng.uniform(0.8, 2.6))
    if graceful:
        time.sleep(0.4)  # let the app take the last key; no autosave can happen meanwhile
    killed_at = time.monotonic()
    if how == "kill":
        os.kill(term.pid, signal.SIGKILL)
    elif how == "hup":
        os.kill(term.pid, signal.SIGHUP)
    elif how == "term":
        os.kill(term.pid, signal.SIGTERM)
    else:  # the terminal goes away: with SIGHUP ("close") or with nothing but EOF ("eof")
        term.close()
    code = term.wait_exit()
    exited_after = time.monotonic() - killed_at
    if graceful:
        assert code == 0, term.output[-2000:]
        assert exited_after < 3.0  # no spinning on a dead terminal
    term.close()
    _check_saved(draft, sent, killed_at, MAX + 0.5 if how == "kill" else 0.0)
    temp = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    if how == "kill":  # a save cut short by kill -9 may leave its temporary file: the next open removes it
        remove_stale_temp_files(draft)
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    else:
        assert not temp  # every other ending cleans up after itself


@pytest.mark.parametrize("seed", range(2))
def test_autosave_after_an_edit_that_changed_nothing(tmp_path: Path, seed: int) -> None:
    """Backspace on a blank cell changes nothing; long after it, typing is still saved on time."""
    rng = random.Random(f"no-op-{seed}")
    draft = _draft(tmp_path, "appeals", cell="cases/review_upheld")
    report = load_report(draft)
    report.set_cell(CellRef("appeals", "cases", "review_upheld"), None)
    save_report(report, draft)
    term = Terminal(draft, autosave=SCALED)
    term.wait_for("四、政府信息公开行政复议")
    term.type(["bs"])  # nothing to clear: the draft does not change
    time.sleep(MAX + 0.5)
    term.type(["ctrl-b", "ctrl-b", "ctrl-b"])  # back to part 一 (text)
    term.wait_for("综述本机关贯彻落实")
    sent = term.type_steadily(TYPED, time.monotonic() + rng.uniform(2.0, 3.0))
    killed_at = time.monotonic()
    os.kill(term.pid, signal.SIGKILL)
    term.wait_exit()
    term.close()
    _check_saved(draft, sent, killed_at, MAX + 0.5)
