"""Files in a folder other people may write to.

Only regular files are read, never through a symlink, and never more than a cap (a FIFO, a
device or `/dev/zero` is refused before it is opened). Every file this program writes is
created fresh (`O_CREAT | O_EXCL | O_NOFOLLOW`) with permissions decided by the folder it is
in: owner-only, unless the folder's own mode says its group shares it. A file is replaced by
an atomic rename, never rewritten in place, and a read-only file is never replaced.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import secrets
import stat
from pathlib import Path

_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_NOCTTY | os.O_CLOEXEC

MAX_BACKUP_BYTES = 64 * 1024 * 1024
"""A previous version larger than this is not copied to the backup (no draft is near it)."""


class UnsafeFile(Exception):
    """A path that is not a regular file this program will read; the message is Chinese."""


class FileTooLarge(UnsafeFile):
    """A regular file larger than the cap given to `read_regular_file`."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"文件过大（超过 {limit} 字节）")
        self.limit = limit


class ReadOnlyFile(PermissionError):
    """An existing file whose permissions say it must not be written: it is never replaced."""

    def __init__(self, path: Path, mode: int) -> None:
        super().__init__(
            errno.EACCES,
            f"文件是只读的（权限 {mode:04o}），不会覆盖它；如确需修改，请先更改权限（chmod u+w），或另存为副本",
        )
        self.filename = str(path)


def describe_kind(mode: int) -> str | None:
    """Why a file of this mode is not read: `None` for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "这是一个文件夹，不是普通文件"
    if stat.S_ISFIFO(mode):
        return "这是一个命名管道（FIFO），不是普通文件"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "这是一个设备文件，不是普通文件"
    if stat.S_ISSOCK(mode):
        return "这是一个套接字，不是普通文件"
    return "这不是普通文件"


def _symlink_message(path: Path) -> str:
    try:
        target = os.readlink(path)
    except OSError:
        target = "？"
    return f"这是一个符号链接（指向 {target}），为免读写到别处，请直接打开它指向的文件"


def read_regular_file(path: Path, limit: int) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file (at most `limit`) and its status, read through one descriptor.

    Raises `UnsafeFile` for a symlink, folder, FIFO, device or socket (none is opened) and
    `FileTooLarge` past the cap, whatever size the file claims; `OSError` otherwise.
    """
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode):
        raise UnsafeFile(_symlink_message(path))
    kind = describe_kind(st.st_mode)
    if kind:
        raise UnsafeFile(kind)
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # swapped for a symlink since the lstat
            raise UnsafeFile(_symlink_message(path)) from None
        raise
    try:
        st = os.fstat(fd)
        kind = describe_kind(st.st_mode)
        if kind:
            raise UnsafeFile(kind)
        chunks: list[bytes] = []
        size = 0
        while True:  # the size stat reports is not trusted: read up to the cap and one byte more
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise FileTooLarge(limit)
    finally:
        os.close(fd)
    return b"".join(chunks), st


def describe_os_error(exc: OSError) -> str:
    """A short Chinese reason for a failed file operation."""
    reasons = {
        errno.EROFS: "磁盘或文件夹是只读的",
        errno.ENOSPC: "磁盘已满",
        errno.EDQUOT: "超出磁盘配额",
        errno.EACCES: "没有权限",
        errno.EPERM: "没有权限（文件夹可能设置了粘滞位，只有文件所有者能替换文件）",
        errno.ENOENT: "文件夹不存在",
        errno.ENOTDIR: "路径中有一项不是文件夹",
        errno.ELOOP: "路径是一个符号链接",
        errno.EISDIR: "这是一个文件夹",
        errno.ENAMETOOLONG: "文件名过长",
    }
    return reasons.get(exc.errno or 0) or str(exc.strerror or exc)


# --- permissions of what we create ------------------------------------------------------------


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def shared_group(directory: Path) -> int | None:
    """The group a folder is shared with (setgid or group-writable, not world-writable), or `None`."""
    try:
        st = os.stat(directory)
    except OSError:
        return None
    mode = st.st_mode
    if mode & stat.S_IWOTH:  # /tmp and the like: "everyone may write" says nothing about a group
        return None
    if mode & (stat.S_ISGID | stat.S_IWGRP):
        return st.st_gid
    return None


def file_mode_for(directory: Path) -> int:
    """Permissions of a new file in `directory`: owner read/write, plus what a shared folder grants its group.

    The umask does not change this: a private folder gets private files even under umask
    000, and a shared folder's drafts stay usable by the group under umask 077.
    """
    if shared_group(directory) is None:
        return 0o600
    return 0o600 | (stat.S_IMODE(os.stat(directory).st_mode) & 0o060)


def create_fresh(path: Path, mode: int, group: int | None = None) -> int:
    """Create `path` (it must not exist, not even as a dangling symlink); returns a write descriptor."""
    fd = os.open(path, _CREATE_FLAGS, 0o600)
    try:
        if group is not None and os.fstat(fd).st_gid != group:
            with contextlib.suppress(PermissionError):  # only a member of the group may give it the file
                os.fchown(fd, -1, group)
        os.fchmod(fd, mode)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    return fd


def may_write(st: os.stat_result) -> bool:
    """Whether this user may change a file with this status (its permission bits, not the folder's)."""
    mode = st.st_mode
    if not mode & 0o222:
        return False  # nobody may write it: not even root replaces it without being asked
    euid = os.geteuid()
    if euid == 0:
        return True
    if st.st_uid == euid:
        return bool(mode & stat.S_IWUSR)
    if st.st_gid == os.getegid() or st.st_gid in os.getgroups():
        return bool(mode & stat.S_IWGRP)
    return bool(mode & stat.S_IWOTH)


def check_writable(path: Path) -> None:
    """Raise `ReadOnlyFile` if `path` is an existing regular file its permissions protect."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISREG(st.st_mode) and not may_write(st):
        raise ReadOnlyFile(path, stat.S_IMODE(st.st_mode))


def make_dirs(path: Path) -> Path:
    """Create a folder and its missing parents, each owner-only (0700) whatever the umask."""
    missing = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder, 0o700)
            os.chmod(folder, 0o700)
    if not path.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, f"{path} 不是文件夹")
    return path


# --- writing ----------------------------------------------------------------------------------


def _fsync_dir(directory: Path) -> None:
    dir_fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _write_temp(path: Path, data: bytes, mode: int, group: int | None, tag: str = "") -> Path:
    for _ in range(100):
        tmp = path.with_name(f".{path.name}{tag}.{secrets.token_hex(4)}.tmp")
        try:
            fd = create_fresh(tmp, mode, group)
            break
        except FileExistsError:
            continue
    else:  # pragma: no cover - a hundred random names taken
        raise FileExistsError(errno.EEXIST, f"无法创建临时文件 {path}")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _link_no_replace(tmp: Path, path: Path) -> None:
    """Give `tmp` the name `path` only if `path` does not exist (not even as a dangling symlink)."""
    try:
        os.link(tmp, path, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS):
            raise
        if os.path.lexists(path):  # a file system without hard links: check, then rename
            raise FileExistsError(errno.EEXIST, f"{path} 已存在") from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def backup_previous(path: Path, backup: Path) -> bool:
    """Copy the current version of `path` to `backup` (a fresh file); `False` if there is nothing to copy.

    Only a regular file is copied: a draft swapped for a symlink or a device is not followed.
    """
    try:
        old, _st = read_regular_file(path, MAX_BACKUP_BYTES)
    except (FileNotFoundError, UnsafeFile):
        return False
    atomic_write(backup, old, backup=False, protect_read_only=False)
    return True


def atomic_write(
    path: Path,
    data: bytes,
    *,
    backup: bool = True,
    mode: int = 0o660,
    replace: bool = True,
    protect_read_only: bool = True,
) -> None:
    """Put `data` at `path` so that a crash leaves either the old or the new file.

    The new file is created fresh beside the target and renamed over it: its permissions are
    the folder's (`file_mode_for`), limited to `mode`; a symlink at `path` is replaced, never
    followed. With `backup` the previous version is kept as `<name>.bak` (also fresh). With
    `replace=False` an existing `path` raises `FileExistsError`. An existing read-only file
    raises `ReadOnlyFile` and is left alone (unless `protect_read_only` is false: backups).
    """
    directory = _folder(path)
    perms = file_mode_for(directory) & mode | 0o600
    group = shared_group(directory)
    if replace and protect_read_only:
        check_writable(path)
    elif not replace and os.path.lexists(path):
        raise FileExistsError(errno.EEXIST, f"{path} 已存在")
    if backup and replace:
        backup_previous(path, path.with_name(path.name + ".bak"))
    tmp = _write_temp(path, data, perms, group)
    try:
        if replace:
            os.replace(tmp, path)
        else:
            _link_no_replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(directory)


def stale_temp_files(path: Path) -> list[Path]:
    """Temporary files a killed save of `path` may have left (regular files only)."""
    found = []
    for tmp in _folder(path).glob(f".{glob.escape(path.name)}.*.tmp"):  # the backup's too: .<name>.bak.*.tmp
        with contextlib.suppress(OSError):
            if stat.S_ISREG(os.lstat(tmp).st_mode):
                found.append(tmp)
    return found
