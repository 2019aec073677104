"""One editor per draft: an advisory lock file beside the draft, naming who holds it.

`fcntl.flock` locks vanish with their process (even on `kill -9`), so a held lock always
belongs to a live process; the lock file is opened without following symlinks.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import json
import os
import signal
import socket
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Holder:
    """Who holds a draft's lock."""

    user: str
    host: str
    pid: int
    since: float

    @property
    def same_host(self) -> bool:
        return self.host == socket.gethostname()

    def describe(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.since)) if self.since else "未知时间"
        return f"用户 {self.user}（主机 {self.host}，进程 {self.pid}，{when} 起）"


class LockBusy(Exception):
    """The draft is open in another session."""

    def __init__(self, holder: Holder | None) -> None:
        super().__init__(holder.describe() if holder else "另一个会话")
        self.holder = holder


def lock_path(draft: Path) -> Path:
    return draft.with_name(f".{draft.name}.lock")


def _read_holder(fd: int) -> Holder | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = json.loads(os.read(fd, 4096).decode("utf-8"))
        return Holder(str(data["user"]), str(data["host"]), int(data["pid"]), float(data.get("since", 0)))
    except (OSError, ValueError, KeyError, TypeError):
        return None


class DraftLock:
    """An exclusive lock on one draft, held until `release` (or the process ends)."""

    def __init__(self, draft: Path) -> None:
        self.path = lock_path(draft)
        self.fd: int | None = None

    def _open(self) -> int:
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            return os.open(self.path, flags, 0o600)
        except OSError as exc:
            raise OSError(exc.errno, f"无法创建锁文件 {self.path}：{exc.strerror}") from None

    def acquire(self) -> None:
        """Take the lock or raise `LockBusy` naming the holder."""
        fd = self._open()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise LockBusy(holder) from None
        record = {"user": getpass.getuser(), "host": socket.gethostname(), "pid": os.getpid(), "since": time.time()}
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(record, ensure_ascii=False).encode("utf-8"))
        self.fd = fd

    def take_over(self, holder: Holder | None, wait: float = 10.0) -> None:
        """Ask a live session on this host to save and quit (SIGTERM), then take the lock."""
        if holder is not None and holder.same_host and holder.pid != os.getpid():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(holder.pid, signal.SIGTERM)
        deadline = time.monotonic() + wait
        while True:
            try:
                self.acquire()
                return
            except LockBusy:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def release(self) -> None:
        """Let go of the lock. The file stays (unlinking it would race with a waiting taker)."""
        if self.fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
        self.fd = None
