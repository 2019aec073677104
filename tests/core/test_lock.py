"""One editor per draft: the lock file, its verified holder, forged and planted locks, taking over."""

from __future__ import annotations

import json
import os
import pwd
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tui.core.lock import (
    DraftLock,
    Holder,
    LockBusy,
    LockUnavailable,
    TakeOverRefused,
    held_here,
    is_this_program,
    lock_path,
)

from ..conftest import other_session


def _me() -> str:
    return pwd.getpwuid(os.geteuid()).pw_name


def _forge(draft: Path, **record: object) -> None:
    """Write a lock record as a neighbour would: any user, any pid."""
    lock_path(draft).write_text(json.dumps(record), encoding="utf-8")


def _victim() -> subprocess.Popen[bytes]:
    return subprocess.Popen(["sleep", "60"])


def test_second_process_is_told_who_holds_the_draft(tmp_path: Path) -> None:
    draft = tmp_path / "d.toml"
    with other_session(draft) as proc:
        with pytest.raises(LockBusy) as busy:
            DraftLock(draft).acquire()
        holder = busy.value.holder
        assert holder is not None and holder.verified and holder.pid == proc.pid and holder.same_host
        assert holder.user == _me() and holder.uid == os.geteuid() and holder.can_take_over
        assert f"进程 {proc.pid}" in holder.describe() and f"用户 {_me()}" in holder.describe()
        assert (lock_path(draft).stat().st_mode & 0o077) == 0


def test_the_name_shown_is_the_process_owner_not_what_the_file_says(tmp_path: Path) -> None:
    draft = tmp_path / "d.toml"
    with other_session(draft) as proc:
        _forge(draft, user="局长", host="elsewhere", pid=1, since=0)
        with pytest.raises(LockBusy) as busy:
            DraftLock(draft).acquire()
        holder = busy.value.holder
        assert holder is not None and holder.verified
        assert (holder.user, holder.pid) == (_me(), proc.pid)
        assert "局长" not in holder.describe()


def test_a_lock_held_by_another_program_is_unverified_and_never_signalled(tmp_path: Path) -> None:
    draft = tmp_path / "d.toml"
    victim = _victim()
    try:
        with other_session(draft, program="not-the-program") as holder_proc:
            _forge(draft, user=_me(), host=os.uname().nodename, pid=victim.pid, since=time.time())
            lock = DraftLock(draft)
            with pytest.raises(LockBusy) as busy:
                lock.acquire()
            holder = busy.value.holder
            assert holder is not None and not holder.verified and not holder.can_take_over
            assert "伪造" in holder.describe() and f"进程 {holder_proc.pid}" in holder.describe()
            with pytest.raises(TakeOverRefused, match="不能接管"):
                lock.take_over(holder, wait=0.5)
            time.sleep(0.2)
            assert victim.poll() is None and holder_proc.poll() is None  # nobody was signalled
    finally:
        victim.kill()
        victim.wait()


def test_a_stale_record_without_a_holder_is_just_taken(tmp_path: Path) -> None:
    draft = tmp_path / "d.toml"
    victim = _victim()
    try:
        _forge(draft, user="root", host=os.uname().nodename, pid=victim.pid, since=time.time())
        lock = DraftLock(draft)
        lock.take_over(None, wait=0.5)  # free: taken at once, the pid in the file is not touched
        assert lock.fd is not None and held_here(draft)
        assert json.loads(lock_path(draft).read_text(encoding="utf-8"))["pid"] == os.getpid()
        lock.release()
        assert victim.poll() is None
    finally:
        victim.kill()
        victim.wait()


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


def test_take_over_refuses_when_another_session_holds_it_now(tmp_path: Path) -> None:
    draft = tmp_path / "d.toml"
    shown = Holder(_me(), os.uname().nodename, 999_999, 0.0, verified=True, uid=os.geteuid())
    with other_session(draft) as proc:
        with pytest.raises(LockBusy) as busy:
            DraftLock(draft).take_over(shown, wait=0.5)
        assert not isinstance(busy.value, TakeOverRefused)
        assert busy.value.holder is not None and busy.value.holder.pid == proc.pid
        assert proc.poll() is None


def test_release_lets_the_next_editor_in(tmp_path: Path) -> None:
    draft = tmp_path / "d.toml"
    first = DraftLock(draft)
    first.acquire()
    assert held_here(draft)
    first.release()
    assert not held_here(draft)
    second = DraftLock(draft)
    second.acquire()
    second.release()


def test_lock_file_is_not_followed_through_a_symlink(tmp_path: Path) -> None:
    draft = tmp_path / "d.toml"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    os.symlink(victim, lock_path(draft))
    with pytest.raises(LockUnavailable, match="符号链接") as err:
        DraftLock(draft).acquire()
    assert isinstance(err.value, OSError) and "Errno" not in str(err.value)
    assert victim.read_text(encoding="utf-8") == "precious"


def test_a_fifo_lock_is_refused_at_once(tmp_path: Path) -> None:
    draft = tmp_path / "d.toml"
    os.mkfifo(lock_path(draft))
    outcome: list[BaseException] = []

    def take() -> None:
        try:
            DraftLock(draft).acquire()
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=take, daemon=True)
    worker.start()
    worker.join(timeout=5)
    assert not worker.is_alive() and isinstance(outcome[0], LockUnavailable)
    assert "不是普通文件" in str(outcome[0])


def test_a_hard_linked_lock_never_truncates_what_it_links_to(tmp_path: Path) -> None:
    draft = tmp_path / "d.toml"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    os.link(victim, lock_path(draft))
    lock = DraftLock(draft)
    lock.acquire()  # the lock still works: flock writes nothing
    lock.release()
    assert victim.read_text(encoding="utf-8") == "precious"


def test_a_lock_file_replaced_under_us_is_noticed(tmp_path: Path) -> None:
    draft = tmp_path / "d.toml"
    lock = DraftLock(draft)
    lock.acquire()
    assert lock.intact()
    lock_path(draft).unlink()
    lock_path(draft).write_text("", encoding="utf-8")  # a neighbour's new lock file: anyone could lock it
    assert not lock.intact() and not held_here(draft)
    lock.release()


def test_in_a_shared_folder_the_lock_is_open_to_the_group(tmp_path: Path) -> None:
    folder = tmp_path / "office"
    folder.mkdir()
    folder.chmod(0o2770)
    old = os.umask(0o077)
    try:
        lock = DraftLock(folder / "d.toml")
        lock.acquire()
        assert stat.S_IMODE(lock_path(folder / "d.toml").stat().st_mode) == 0o660
        lock.release()
        legacy = folder / "e.toml"
        lock_path(legacy).write_text("", encoding="utf-8")
        lock_path(legacy).chmod(0o600)  # made by an older version: other clerks could not open it
        lock = DraftLock(legacy)
        lock.acquire()
        assert stat.S_IMODE(lock_path(legacy).stat().st_mode) == 0o660
        lock.release()
    finally:
        os.umask(old)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["/usr/bin/govreport-tui", "d.toml"], True),
        (["/venv/bin/python3", "/venv/bin/govreport-tui"], True),
        (["python", "-m", "tui", "d.toml"], True),
        (["python3.11", "-mtui"], True),
        (["python", "-X", "dev", "-I", "/opt/bin/govreport-tui"], True),
        (["python", "-c", "govreport-tui"], False),
        (["python", "-W", "ignore", "-c", "import x", "govreport-tui"], False),
        (["sleep", "60"], False),
        (["vim", "x", "y", "z", "govreport-tui"], False),
        ([], False),
    ],
)
def test_what_counts_as_this_program(argv: list[str], expected: bool) -> None:
    assert is_this_program(argv) is expected


def test_the_test_session_helper_really_looks_like_the_program(tmp_path: Path) -> None:
    with other_session(tmp_path / "d.toml") as proc:
        argv = Path(f"/proc/{proc.pid}/cmdline").read_bytes().split(b"\0")
        assert argv[0].decode() == sys.executable and argv[1].endswith(b"/govreport-tui")


def test_who_holds_it_without_taking_it(tmp_path: Path) -> None:
    draft = tmp_path / "d.toml"
    assert DraftLock(draft).holder() is None
    with other_session(draft) as proc:
        holder = DraftLock(draft).holder()
        assert holder is not None and holder.verified and holder.pid == proc.pid
    assert DraftLock(draft).holder() is None
