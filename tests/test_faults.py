"""Fault injection: the real app in a pseudo-terminal, typing, killed at random moments.

Every time, the draft on disk must parse. For SIGKILL it must hold every character typed before
the last autosave interval; autosave runs at 0.3 s quiet / 1.0 s max (`GOVREPORT_AUTOSAVE`), the
2 s / 10 s of real use scaled down so that many runs fit in seconds. For a hang-up, SIGTERM or a
terminal that goes away, autosave is held off (60 s) so that only the save on the way out can
have written the text, and all of it must be there.
"""

from __future__ import annotations

import os
import pty
import random
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tui.core.store import load_report, remove_stale_temp_files

ROOT = Path(__file__).resolve().parent.parent
HUAIAN = ROOT / "reports" / "2024-huaian-city-gov.toml"
READY = "一、总体情况".encode()
TYPED = "0123456789" * 40
QUIET, MAX = 0.3, 1.0


def _draft(tmp_path: Path) -> Path:
    text = HUAIAN.read_text(encoding="utf-8")
    start = text.index('overview = """')
    end = text.index('"""', start + 15) + 3
    text = text[:start] + 'overview = ""' + text[end:]
    text = text.replace("year = 2024\n", 'year = 2024\n\n[position]\nsection = "overview"\n', 1)
    path = tmp_path / "draft.toml"
    path.write_text(text, encoding="utf-8")
    return path


class Terminal:
    """The app on a pseudo-terminal, its output drained in the background."""

    def __init__(self, draft: Path, *, controlling: bool = True, autosave: str = f"{QUIET},{MAX}") -> None:
        env = dict(
            os.environ,
            TERM="xterm-256color",
            LANG="C.UTF-8",
            GOVREPORT_DIR=str(draft.parent),
            GOVREPORT_AUTOSAVE=autosave,
            TEXTUAL_ANIMATIONS="none",
        )
        cmd = [sys.executable, "-m", "tui", str(draft)]
        self.output = bytearray()
        if controlling:  # like an SSH session: the terminal is the process's controlling tty
            pid, fd = pty.fork()
            if pid == 0:
                os.execvpe(cmd[0], cmd, env)
            self.pid, self.fd, self.proc = pid, fd, None
        else:  # no controlling tty: closing it sends no SIGHUP (as under nohup)
            master, slave = pty.openpty()
            self.proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
            os.close(slave)
            self.pid, self.fd = self.proc.pid, master
        self.closed = False
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        while not self.closed:
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.05)
                if ready:
                    data = os.read(self.fd, 65536)
                    if not data:
                        return
                    self.output += data
            except OSError:
                return

    def wait_ready(self, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while READY not in self.output:
            assert time.monotonic() < deadline, "the app never showed the text part"
            time.sleep(0.02)
        time.sleep(0.3)

    def type(self, until: float) -> list[float]:
        """Type TYPED one character every 40 ms until `until`; return when each was sent."""
        sent = []
        for ch in TYPED:
            now = time.monotonic()
            if now >= until:
                break
            os.write(self.fd, ch.encode())
            sent.append(now)
            time.sleep(0.04)
        return sent

    def close(self) -> None:
        self.closed = True
        time.sleep(0.06)
        os.close(self.fd)

    def wait_exit(self, timeout: float = 10) -> int:
        if self.proc is not None:
            return self.proc.wait(timeout=timeout)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.02)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        raise AssertionError("the app did not exit")


CASES = [("kill", seed) for seed in range(4)] + [
    (how, seed) for how in ("hup", "term", "close", "eof") for seed in range(2)
]


@pytest.mark.parametrize(("how", "seed"), CASES, ids=[f"{h}-{s}" for h, s in CASES])
def test_killed_at_a_random_moment(tmp_path: Path, how: str, seed: int) -> None:
    rng = random.Random(f"{how}-{seed}")
    draft = _draft(tmp_path)
    graceful = how != "kill"
    term = Terminal(draft, controlling=how != "eof", autosave="30,60" if graceful else f"{QUIET},{MAX}")
    term.wait_ready()
    start = time.monotonic()
    stop = start + rng.uniform(0.8, 2.6)
    sent = term.type(stop)
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
    if not term.closed:
        term.close()

    report = load_report(draft)  # always a whole, valid file
    text = report.text("overview")
    assert TYPED.startswith(text), text
    window = MAX + 0.5 if how == "kill" else 0.0  # the promise, plus time for the app to take the key
    must_have = sum(1 for t in sent if t < killed_at - window)
    assert len(text) >= must_have, (how, len(text), must_have, len(sent))
    temp = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    if how == "kill":  # a save cut short by kill -9 may leave its temporary file: the next open removes it
        remove_stale_temp_files(draft)
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    else:
        assert not temp  # every other ending cleans up after itself
