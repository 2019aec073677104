"""The installed app in a real pseudo-terminal, fed keys as they arrive over SSH.

`Terminal.write` sends a whole key sequence in one `write()`, escape sequences included, as
type-ahead does over a slow link; `Terminal.type` sends it one key at a time with pauses. The
screen is emulated with pyte, so tests can wait for text to appear, and the draft on disk is
read back with the core.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterable
from pathlib import Path

import pyte

from tui.core.report import Report
from tui.core.store import load_report, save_report

KEYS = {
    "tab": "\t",
    "stab": "\x1b[Z",
    "enter": "\r",
    "esc": "\x1b",
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "home": "\x1b[H",
    "end": "\x1b[F",
    "pgup": "\x1b[5~",
    "pgdn": "\x1b[6~",
    "bs": "\x7f",
    "del": "\x1b[3~",
    "f1": "\x1bOP",
    "f2": "\x1bOQ",
}
"""Key names and the bytes an xterm-compatible terminal (PuTTY, Xshell, Windows Terminal) sends."""


def key_bytes(keys: Iterable[str]) -> bytes:
    """Bytes for a list of keys: names from `KEYS`, `ctrl-x`, `paste:TEXT` (bracketed), or literal text."""
    out = []
    for key in keys:
        if key in KEYS:
            out.append(KEYS[key].encode())
        elif key.startswith("ctrl-") and len(key) == 6:
            out.append(bytes([ord(key[5].lower()) - 96]))
        elif key.startswith("paste:"):
            out.append(b"\x1b[200~" + key[6:].encode() + b"\x1b[201~")
        else:
            out.append(key.encode())
    return b"".join(out)


def app_command() -> list[str]:
    """The installed console script, as a clerk runs it (falls back to `python -m tui`)."""
    script = Path(sys.executable).parent / "govreport-tui"
    if script.exists():
        return [str(script)]
    found = shutil.which("govreport-tui")
    return [found] if found else [sys.executable, "-m", "tui"]


def draft_at(source: Path, target: Path, **position: str) -> Path:
    """A copy of a draft that reopens at `position` (section, cell, text), as the clerk left it."""
    report = load_report(source)
    report.position = dict(position)
    save_report(report, target)
    return target


class Terminal:
    """The app on a pseudo-terminal of a given size; output is drained and emulated in the background."""

    def __init__(
        self,
        draft: Path | None,
        *,
        cols: int = 80,
        rows: int = 24,
        controlling: bool = True,
        autosave: str = "30,60",
        env: dict[str, str] | None = None,
        args: list[str] | None = None,
        command: list[str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.draft = draft
        environment = dict(
            os.environ,
            TERM="xterm-256color",
            LANG="C.UTF-8",
            COLUMNS=str(cols),
            LINES=str(rows),
            GOVREPORT_AUTOSAVE=autosave,
            TEXTUAL_ANIMATIONS="none",
        )
        environment.pop("SSH_CONNECTION", None)
        if draft is not None:
            environment["GOVREPORT_DIR"] = str(draft.parent)
        environment.update(env or {})
        cmd = [*(command or app_command()), *(args if args is not None else [str(draft)])]
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.output = bytearray()
        self._lock = threading.Lock()
        if controlling:  # like an SSH session: the terminal is the process's controlling tty
            pid, fd = pty.fork()
            if pid == 0:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                if cwd is not None:
                    os.chdir(cwd)
                os.execvpe(cmd[0], cmd, environment)
            self.pid, self.fd, self.proc = pid, fd, None
        else:  # no controlling tty: closing it sends no SIGHUP (as under nohup)
            master, slave = pty.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            self.proc = subprocess.Popen(
                cmd, stdin=slave, stdout=slave, stderr=slave, env=environment, start_new_session=True, cwd=cwd
            )
            os.close(slave)
            self.pid, self.fd = self.proc.pid, master
        self.closed = False
        self.last_output = time.monotonic()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while not self.closed:
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.05)
                if ready:
                    data = os.read(self.fd, 65536)
                    if not data:
                        return
                    with self._lock:
                        self.output += data
                        self.stream.feed(data)
                        self.last_output = time.monotonic()
            except OSError:
                return

    # --- reading the screen ---------------------------------------------------------------

    def text(self) -> str:
        with self._lock:
            # a wide character is followed by an empty cell; pyte's own `display` trips over some
            rows = (self.screen.buffer[y] for y in range(self.screen.lines))
            return "\n".join("".join(row[x].data for x in range(self.screen.columns)) for row in rows)

    def wait_for(self, text: str, timeout: float = 20) -> None:
        """Wait until `text` is on the screen."""
        deadline = time.monotonic() + timeout
        while text not in self.text():
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared on screen:\n{self.text()}")
            time.sleep(0.02)
        self.settle()

    def settle(self, quiet: float = 0.3, timeout: float = 10) -> None:
        """Wait until the app has sent nothing for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() - self.last_output < quiet and time.monotonic() < deadline:
            time.sleep(0.02)

    # --- typing ---------------------------------------------------------------------------

    def write(self, keys: Iterable[str]) -> None:
        """Send every key in one `write()`: type-ahead, a paste, a macro, keys bunched by the link."""
        os.write(self.fd, key_bytes(keys))

    def type(self, keys: Iterable[str], pause: float = 0.12) -> None:
        """Send the keys one at a time, each after the app went quiet: a clerk typing slowly."""
        for key in keys:
            os.write(self.fd, key_bytes([key]))
            time.sleep(pause)
            self.settle(quiet=0.1)

    def type_steadily(self, text: str, until: float, every: float = 0.04) -> list[float]:
        """Type `text` one character every `every` seconds until `until`; when each was sent."""
        sent = []
        for ch in text:
            now = time.monotonic()
            if now >= until:
                break
            os.write(self.fd, ch.encode())
            sent.append(now)
            time.sleep(every)
        return sent

    # --- ending ---------------------------------------------------------------------------

    def wait_exit(self, timeout: float = 15) -> int:
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
        raise AssertionError(f"the app did not exit:\n{self.text()}")

    def quit(self) -> int:
        """Ctrl+Q (save and quit); the exit status."""
        os.write(self.fd, key_bytes(["ctrl-q"]))
        code = self.wait_exit()
        self.close()
        return code

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._reader.join(timeout=1)
            with contextlib.suppress(OSError):
                os.close(self.fd)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            self.wait_exit(timeout=5)
        self.close()

    def saved(self) -> Report:
        """The draft as it is on disk now."""
        assert self.draft is not None
        return load_report(self.draft)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.closed:
            self.kill()
