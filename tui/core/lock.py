"""One editor per draft, across the users of a shared folder: an `flock` on a lock file beside it.

The lock file (`.<draft>.lock`) is created fresh with the folder's sharing mode, so every
clerk who may write drafts in a shared folder can open it and take the lock (`flock` needs
only read access). It is opened without following symlinks and without blocking on a FIFO,
and it is never truncated through a hard link. `flock` locks vanish with their process (even
on `kill -9`), so a held lock always belongs to a live process.

Who holds a lock is asked of the kernel (`/proc/locks`) and of the process (`/proc/<pid>`):
its real owner, its command line. What the file says (user, host, pid) is a hint that is
shown as unverified, never trusted for a name or for the process to signal.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import getpass
import json
import os
import pwd
import signal
import socket
import stat
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .files import describe_os_error, file_mode_for, shared_group
from .safetext import safe_text

PROGRAM = "govreport-tui"
"""The command name a process must run under to be asked to hand over a draft."""

_MODULES = ("tui", "tui.cli", "tui.__main__")  # `python -m tui`
_OPEN_FLAGS = os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_RECORD_BYTES = 4096


@dataclass(frozen=True)
class Holder:
    """Who holds a draft's lock: verified by the kernel, or only what the lock file claims."""

    user: str
    host: str
    pid: int
    since: float
    verified: bool = False  # the kernel names this pid as the holder, and it runs this program
    uid: int | None = None  # the real owner of the process, when verified
    problem: str = ""  # why it could not be verified

    @property
    def same_host(self) -> bool:
        return self.host == socket.gethostname()

    @property
    def can_take_over(self) -> bool:
        """Whether this user may ask the holder to save and quit: a verified session of the same user."""
        return self.verified and (self.uid == os.geteuid() or os.geteuid() == 0)

    def describe(self) -> str:
        if not self.verified:
            return f"一个无法核实的会话（{self.problem}）"
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.since)) if self.since else ""
        return f"用户 {self.user}（主机 {self.host}，进程 {self.pid}{f'，{when} 起' if when else ''}）"


class LockBusy(Exception):
    """The draft is open in another session."""

    def __init__(self, holder: Holder | None) -> None:
        super().__init__(holder.describe() if holder else "另一个会话")
        self.holder = holder


class TakeOverRefused(LockBusy):
    """Taking over was refused: the holder is not a verifiable session of this user; nothing was signalled."""

    def __init__(self, holder: Holder | None, reason: str) -> None:
        super().__init__(holder)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


class LockUnavailable(OSError):
    """The lock cannot be taken at all (permissions, a symlink or FIFO planted, a read-only folder).

    Without the lock the draft must be opened read-only: nobody could tell who else edits it.
    """

    def __str__(self) -> str:
        return str(self.strerror)


def lock_path(draft: Path) -> Path:
    return draft.with_name(f".{draft.name}.lock")


# --- what the kernel and /proc say --------------------------------------------------------------


def _kernel_holders(st: os.stat_result) -> list[int]:
    """Pids holding an `flock` on this file, from `/proc/locks` (empty when not available)."""
    try:
        with open("/proc/locks", "rb") as fh:
            lines = fh.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return []
    exact = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    same, by_inode = [], []
    for line in lines:
        # "1: FLOCK  ADVISORY  WRITE 9165 fe:00:2146416 0 EOF"; a waiter has "->" after the number
        parts = line.split()
        if len(parts) < 6 or parts[1] != "FLOCK" or not parts[4].isdigit():
            continue
        if parts[5] == exact:
            same.append(int(parts[4]))
        elif parts[5].rsplit(":", 1)[-1] == str(st.st_ino):
            by_inode.append(int(parts[4]))  # overlay file systems report another device number
    return same or by_inode


def _process_uid(pid: int) -> int | None:
    """The real user id of a process (from `/proc/<pid>/status`), `None` if it cannot be seen."""
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"Uid:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def _process_argv(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            raw = fh.read(65536)
    except OSError:
        return []
    return [arg.decode("utf-8", "surrogateescape") for arg in raw.split(b"\0") if arg]


def is_this_program(argv: Sequence[str]) -> bool:
    """Whether a command line runs govreport-tui: the installed command (directly or by an interpreter) or `-m tui`."""
    if not argv:
        return False
    if os.path.basename(argv[0]) == PROGRAM:
        return True
    i = 1
    while i < len(argv):  # an interpreter's options, then the script or module it runs
        arg = argv[i]
        if arg == "-m":
            return i + 1 < len(argv) and argv[i + 1] in _MODULES
        if arg.startswith("-m"):
            return arg[2:] in _MODULES
        if arg.startswith("-c"):
            return False  # code on the command line, whatever it says
        if arg in ("-X", "-W", "--check-hash-based-pycs"):
            i += 2
            continue
        if arg.startswith("-"):
            i += 1
            continue
        return os.path.basename(arg) == PROGRAM
    return False


def _has_open(pid: int, st: os.stat_result) -> bool:
    """Whether process `pid` has this very file open (readable for our own processes, or as root)."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        with contextlib.suppress(OSError):
            there = os.stat(f"/proc/{pid}/fd/{fd}")
            if (there.st_dev, there.st_ino) == (st.st_dev, st.st_ino):
                return True
    return False


def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _read_record(fd: int) -> dict[str, object]:
    try:
        data = json.loads(os.pread(fd, _RECORD_BYTES, 0).decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _record_int(record: dict[str, object], key: str) -> int:
    value = record.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _record_float(record: dict[str, object], key: str) -> float:
    value = record.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def inspect_holder(fd: int) -> Holder | None:
    """Who holds the lock on the open lock file `fd`, as far as it can be verified on this host."""
    st = os.fstat(fd)
    record = _read_record(fd)
    claimed_user = safe_text(record.get("user", "？"))[:64]  # anyone in the group may write these: shown only
    claimed_host = safe_text(record.get("host", "？"))[:255]
    claimed_pid = _record_int(record, "pid")
    since = _record_float(record, "since")
    pids = _kernel_holders(st)
    if pids:
        pid = pids[0]
        uid = _process_uid(pid)
        argv = _process_argv(pid)
        if uid is not None and is_this_program(argv):
            return Holder(
                _user_name(uid),
                socket.gethostname(),
                pid,
                since if claimed_pid == pid else 0.0,
                verified=True,
                uid=uid,
            )
        owner = _user_name(uid) if uid is not None else "？"
        return Holder(
            claimed_user,
            claimed_host,
            claimed_pid,
            since,
            problem=f"锁被进程 {pid}（用户 {owner}）占用，它不是 {PROGRAM}：锁可能是伪造的",
        )
    if claimed_host and claimed_host != socket.gethostname():
        problem = f"锁文件称由主机 {claimed_host} 上的用户 {claimed_user} 持有，本机无法核实"
    else:
        problem = "本机看不到持锁的进程，锁文件中的记录无法核实，可能是过期或伪造的"
    return Holder(claimed_user, claimed_host, claimed_pid, since, problem=problem)


# --- the lock ------------------------------------------------------------------------------------

_held: dict[tuple[int, int], DraftLock] = {}
"""Locks this process holds, by the lock file's device and inode."""


def held_here(draft: Path) -> bool:
    """Whether this process holds the lock of `draft` (through any `DraftLock`), and its file is still in place."""
    try:
        st = os.lstat(lock_path(draft))
    except OSError:
        return False
    lock = _held.get((st.st_dev, st.st_ino))
    return lock is not None and lock.fd is not None


def _unavailable(path: Path, reason: str, code: int = errno.EACCES) -> LockUnavailable:
    return LockUnavailable(code, f"无法加锁：锁文件 {path} {reason}")


class DraftLock:
    """An exclusive lock on one draft, held until `release` (or the process ends)."""

    def __init__(self, draft: Path) -> None:
        self.draft = draft
        self.path = lock_path(draft)
        self.fd: int | None = None
        self._key: tuple[int, int] | None = None
        self._writable = False

    def _create(self) -> int:
        directory = self.path.parent if str(self.path.parent) else Path(".")
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL | _OPEN_FLAGS, 0o600)
        group = shared_group(directory)
        with contextlib.suppress(OSError):
            if group is not None and os.fstat(fd).st_gid != group:
                os.fchown(fd, -1, group)
        os.fchmod(fd, file_mode_for(directory))
        return fd

    def _open(self) -> tuple[int, bool]:
        """Open (or create) the lock file: read-write if allowed, else read-only (enough to lock)."""
        while True:
            try:
                try:
                    fd, writable = os.open(self.path, os.O_RDWR | _OPEN_FLAGS), True
                except PermissionError:
                    fd, writable = os.open(self.path, os.O_RDONLY | _OPEN_FLAGS), False
            except FileNotFoundError:
                try:
                    fd, writable = self._create(), True
                except FileExistsError:
                    continue  # another session created it just now
                except OSError as exc:
                    raise self._refusal(exc) from None
            except OSError as exc:
                raise self._refusal(exc) from None
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                os.close(fd)
                raise _unavailable(self.path, "不是普通文件（可能被人替换过）；请删除它后重试")
            directory = self.path.parent if str(self.path.parent) else Path(".")
            wanted = file_mode_for(directory)
            if writable and st.st_uid == os.geteuid() and stat.S_IMODE(st.st_mode) != wanted:
                with contextlib.suppress(OSError):  # a lock file of an older version (0600) in a shared folder
                    os.fchmod(fd, wanted)
            return fd, writable

    def _refusal(self, exc: OSError) -> LockUnavailable:
        if exc.errno == errno.ELOOP:
            return _unavailable(self.path, "是一个符号链接（可能被人替换过）；请删除它后重试", errno.ELOOP)
        if exc.errno == errno.EROFS:
            return _unavailable(self.path, "无法创建：磁盘或文件夹是只读的", errno.EROFS)
        if exc.errno == errno.EACCES:
            try:
                st = os.lstat(self.path)
                owner = f"属于用户 {_user_name(st.st_uid)}，权限 {stat.S_IMODE(st.st_mode):04o}"
                return _unavailable(self.path, f"不允许本用户打开（{owner}）；请文件所有者或管理员处理")
            except OSError:
                return _unavailable(self.path, "无法创建：没有写入这个文件夹的权限")
        return _unavailable(self.path, f"无法打开（{describe_os_error(exc)}）", exc.errno or errno.EIO)

    def acquire(self) -> None:
        """Take the lock, or raise `LockBusy` naming the holder, or `LockUnavailable` (then: read-only)."""
        for _ in range(10):
            fd, writable = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = inspect_holder(fd)
                os.close(fd)
                raise LockBusy(holder) from None
            except OSError as exc:  # e.g. ENOLCK: a network file system without locks
                os.close(fd)
                raise _unavailable(self.path, f"无法加锁（{exc.strerror}）", exc.errno or errno.ENOLCK) from None
            st = os.fstat(fd)
            try:
                now = os.lstat(self.path)
                intact = (now.st_dev, now.st_ino) == (st.st_dev, st.st_ino)
            except OSError:
                intact = False
            if not intact:  # the file was deleted or replaced between open and flock: lock the new one
                os.close(fd)
                continue
            self.fd, self._key = fd, (st.st_dev, st.st_ino)
            self._writable = writable and st.st_nlink == 1  # never write through a hard link
            self._write_record()
            _held[self._key] = self
            return
        raise _unavailable(self.path, "不断被删除或替换，可能有人在捣乱", errno.EAGAIN)

    def _write_record(self) -> None:
        if self.fd is None or not self._writable:
            return
        record = {"user": getpass.getuser(), "host": socket.gethostname(), "pid": os.getpid(), "since": time.time()}
        data = json.dumps(record, ensure_ascii=False).encode("utf-8")
        with contextlib.suppress(OSError):
            os.pwrite(self.fd, data, 0)
            os.ftruncate(self.fd, len(data))

    def intact(self) -> bool:
        """Whether the lock is held and the lock file at its name is still the one locked."""
        if self.fd is None or self._key is None:
            return False
        try:
            st = os.lstat(self.path)
        except OSError:
            return False
        return (st.st_dev, st.st_ino) == self._key

    def holder(self) -> Holder | None:
        """Who holds the lock now (without taking it); `None` if nobody does or it cannot be opened."""
        try:
            fd, _writable = self._open()
        except LockUnavailable:
            return None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return inspect_holder(fd)
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None
        finally:
            os.close(fd)

    def take_over(self, holder: Holder | None = None, wait: float = 10.0) -> None:
        """Ask the session holding the lock to save and quit (SIGTERM), then take the lock.

        Only a holder the kernel names, that runs this program, as this user (or for root),
        and that has this lock file open, is signalled. Anything else raises `TakeOverRefused`
        and nothing is signalled: the lock looks stale or forged, or belongs to another user or
        host. `holder` is what the clerk was shown: if another session holds the lock now,
        `LockBusy` names it. `LockBusy` also when the holder did not let go within `wait` seconds.
        """
        try:
            self.acquire()
            return
        except LockBusy as busy:
            current = busy.holder
        if current is None or not current.verified:
            raise TakeOverRefused(current, f"不能接管：{current.problem if current else '持锁的会话无法核实'}")
        if holder is not None and holder.verified and holder.pid != current.pid:
            raise LockBusy(current)
        if not current.can_take_over:
            raise TakeOverRefused(current, f"不能接管：这是用户 {current.user} 的会话，只有本人可以接管")
        self._signal(current)
        deadline = time.monotonic() + wait
        while True:
            try:
                self.acquire()
                return
            except LockBusy:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def _signal(self, holder: Holder) -> None:
        """SIGTERM the holder, after checking again, through a pidfd, that it is the process verified."""
        pidfd: int | None = None
        with contextlib.suppress(AttributeError, OSError):
            pidfd = os.pidfd_open(holder.pid)
        try:
            fd, _writable = self._open()
            try:
                st = os.fstat(fd)
            finally:
                os.close(fd)
            if (
                holder.pid not in _kernel_holders(st)
                or _process_uid(holder.pid) != holder.uid
                or not is_this_program(_process_argv(holder.pid))
                or not _has_open(holder.pid, st)
            ):
                raise TakeOverRefused(holder, "不能接管：持锁的进程已经变了，或无法核实它是本程序")
            if pidfd is not None:
                signal.pidfd_send_signal(pidfd, signal.SIGTERM)  # the very process checked, even if its pid is reused
            else:
                os.kill(holder.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass  # gone already: the lock is free
        except PermissionError:
            raise TakeOverRefused(holder, f"不能接管：没有权限通知用户 {holder.user} 的会话") from None
        finally:
            if pidfd is not None:
                os.close(pidfd)

    def release(self) -> None:
        """Let go of the lock. The file stays (unlinking it would race with a waiting taker)."""
        if self.fd is None:
            return
        with contextlib.suppress(OSError):
            if self._writable and os.fstat(self.fd).st_nlink == 1:
                os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
        if self._key is not None and _held.get(self._key) is self:
            del _held[self._key]
        self.fd, self._key = None, None
