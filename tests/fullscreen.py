"""Drive the full-screen app in a pseudo-terminal: start it, wait for a text on screen, Ctrl+Q out.

Shared by the tests of the installed wheel and of the one-file bundle, and by
benchmarks/bench_bundle.py (which times the start-up with it).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time
from dataclasses import dataclass
from pathlib import Path

CTRL_Q = b"\x11"


@dataclass
class Session:
    """What one run showed: the bytes written to the terminal, when `ready` appeared, how it ended.

    `cpu` is the processor time (user + system) of the whole run, start to exit.
    """

    output: bytes
    ready_after: float | None
    exit_code: int | None
    cpu: float | None = None

    @property
    def quit_cleanly(self) -> bool:
        return self.ready_after is not None and self.exit_code == 0


def open_and_quit(
    argv: list[str],
    ready: str,
    *,
    cwd: Path,
    env: dict[str, str],
    size: tuple[int, int] = (80, 24),
    timeout: float = 30,
) -> Session:
    """Run `argv` on a terminal of `size` (columns, rows) until `ready` is on screen, then press Ctrl+Q."""
    started = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:  # the child: its controlling terminal is the pty, as in an SSH session
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
            os.chdir(cwd)
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    wanted = ready.encode()
    output, ready_after, deadline = b"", None, started + timeout
    while time.monotonic() < deadline:
        if ready_after is None and wanted in output:
            ready_after = time.monotonic() - started
            os.write(fd, CTRL_Q)
        if select.select([fd], [], [], 0.02)[0]:
            with contextlib.suppress(OSError):  # the terminal side closed: the app has gone
                output += os.read(fd, 65536)
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            with contextlib.suppress(OSError):
                os.close(fd)
            return Session(output, ready_after, os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(fd)
    return Session(output, ready_after, None)
