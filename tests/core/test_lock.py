"""One editor per draft: the lock file, its holder, dead holders, taking over, symlinks."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tui.core.lock import DraftLock, LockBusy, lock_path

from ..conftest import other_session


def test_second_process_is_told_who_holds_the_draft(tmp_path: Path) -> None:
    draft = tmp_path / "d.toml"
    with other_session(draft) as proc:
        with pytest.raises(LockBusy) as busy:
            DraftLock(draft).acquire()
        holder = busy.value.holder
        assert holder is not None and holder.pid == proc.pid and holder.same_host
        assert f"进程 {proc.pid}" in holder.describe()
        assert (lock_path(draft).stat().st_mode & 0o077) == 0


def test_lock_of_a_dead_process_is_taken_over_by_itself(tmp_path: Path) -> None:
    draft = tmp_path / "d.toml"
    with other_session(draft) as proc:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    lock = DraftLock(draft)
    lock.acquire()  # no LockBusy: the kernel dropped the dead process's lock
    lock.release()


def test_take_over_a_live_session_on_this_host(tmp_path: Path) -> None:
    draft = tmp_path / "d.toml"
    lock = DraftLock(draft)
    with other_session(draft) as proc:
        with pytest.raises(LockBusy) as busy:
            lock.acquire()
        start = time.monotonic()
        lock.take_over(busy.value.holder)  # SIGTERM: the other session saves and exits
        assert proc.wait(timeout=5) == -signal.SIGTERM
        assert time.monotonic() - start < 5
    lock.release()


def test_release_lets_the_next_editor_in(tmp_path: Path) -> None:
    draft = tmp_path / "d.toml"
    first = DraftLock(draft)
    first.acquire()
    first.release()
    second = DraftLock(draft)
    second.acquire()
    second.release()


def test_lock_file_is_not_followed_through_a_symlink(tmp_path: Path) -> None:
    draft = tmp_path / "d.toml"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    os.symlink(victim, lock_path(draft))
    with pytest.raises(OSError, match="无法创建锁文件"):
        DraftLock(draft).acquire()
    assert victim.read_text(encoding="utf-8") == "precious"
