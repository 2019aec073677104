"""When the program must stop now: the line dropped, the terminal vanished, or something went wrong.

Each way out saves the clerk's work first (the draft, else a copy; see `core.rescue`) and
releases the draft's lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.rescue import has_unsaved_work, rescue

if TYPE_CHECKING:
    from .app import GovReportApp


def crash_log_dir() -> Path:
    """Where the details of an unexpected error go: the user's state directory, private to them."""
    from platformdirs import user_log_dir

    return Path(os.environ.get("GOVREPORT_LOG_DIR") or user_log_dir("govreport-tui"))


def write_crash_log(error: BaseException, directory: Path) -> Path | None:
    """Write the traceback of `error` to a new file readable only by the user; None if nothing can be written."""
    text = "".join(traceback.format_exception(error))
    name = f"error-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    for folder in (directory, Path(os.environ.get("TMPDIR", "/tmp"))):
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            path = folder / name
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            return path
    return None


class _Interrupted(Exception):
    """SIGHUP or SIGTERM arrived while the full screen was suspended."""


def wait_for_enter(prompt: str) -> str:
    """Full screen suspended: wait for Enter ("enter"), the line dropping ("eof"), or SIGHUP/SIGTERM ("signal").

    The app's own signal handlers cannot run while it is suspended (its loop waits here), so
    this installs its own for the time being.
    """
    import select

    def interrupted(_signum: int, _frame: object) -> None:
        raise _Interrupted

    previous = {sig: signal.signal(sig, interrupted) for sig in (signal.SIGHUP, signal.SIGTERM)}
    try:
        sys.stdout.write(prompt)
        sys.stdout.flush()
        fd = sys.stdin.fileno()
        while True:
            if not os.isatty(fd):
                return "eof"
            ready, _, _ = select.select([fd], [], [], 0.5)
            if not ready:
                continue
            data = os.read(fd, 1024)
            if not data:
                return "eof"
            if b"\n" in data or b"\r" in data:
                return "enter"
    except _Interrupted:
        return "signal"
    except OSError:
        return "eof"
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class LineWatch:
    """Watches for SIGHUP, SIGTERM and a terminal gone without a signal (EOF/EIO); saves and leaves."""

    def __init__(self, app: GovReportApp) -> None:
        self.app = app
        self._watching_tty = False

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # not in the main thread
            loop.add_signal_handler(signal.SIGHUP, self.hang_up)
            loop.add_signal_handler(signal.SIGTERM, self.terminated)
        stdin = sys.__stdin__
        self._watching_tty = not self.app.is_headless and stdin is not None and stdin.isatty()
        if self._watching_tty and stdin is not None:
            # Under nohup, or when the SSH server vanishes, no SIGHUP comes: the terminal just
            # stops being one (reads give EOF, Textual's input thread spins). Look twice a second.
            fd = stdin.fileno()
            self.app.set_interval(0.5, lambda: None if os.isatty(fd) else self.hang_up(), name="tty-watch")

    def save_everything(self) -> Path | None:
        """Save the work wherever it can go and let go of the lock; where it went, if it needed saving."""
        session = self.app.session
        where = rescue(session, self.app.directory) if session is not None else None
        self.app.release_lock()
        return where

    def terminated(self) -> None:
        """SIGTERM: another session took the draft over (or an administrator stopped the program).

        The terminal is still there: say on it why the program left, and where the work is.
        """
        session = self.app.session
        where = self.hang_up()
        if session is None or session.read_only:
            saved = ""
        elif has_unsaved_work(session):
            saved = "最近的修改未能保存。"
        elif where is not None and where != session.path:
            saved = f"修改已另存到 {where}。"
        else:
            saved = "草稿已保存。"
        why = "另一会话选择了“接管”，或管理员结束了程序"
        self.app.exit_notice = f"govreport-tui 收到结束信号（{why}），已退出。{saved}"

    def hang_up(self) -> Path | None:
        """Save at once, whatever it takes (a copy if the file changed or cannot be written), then exit;
        where the work went, if it needed saving."""
        where = self.save_everything()
        stdin = sys.__stdin__
        if stdin is not None and self._watching_tty and not os.isatty(stdin.fileno()):
            os._exit(0)  # the terminal is gone: the draft is saved, there is no screen to restore
        self.app.exit()
        if self._watching_tty:  # should leaving hang on a half-dead terminal, the work is on disk
            watchdog = threading.Timer(3.0, os._exit, args=(0,))
            watchdog.daemon = True
            watchdog.start()
        return where

    def crashed(self, error: BaseException) -> str:
        """An unexpected error: save the work, write the details to a file; the line to print on the way out."""
        session = self.app.session
        unsaved = session is not None and has_unsaved_work(session)
        where: Path | None = None
        with contextlib.suppress(Exception):
            where = self.save_everything()
        log = write_crash_log(error, crash_log_dir())
        if not unsaved:
            saved = "所有修改此前都已保存。"
        elif where is not None:
            saved = f"草稿已保存到 {where}。"
        else:
            saved = "最近的修改未能保存。"
        details = f"详细信息已写入 {log}" if log is not None else "无法写入详细信息"
        return f"govreport-tui 遇到意外错误，已退出。{saved}{details}，请联系管理员。"
