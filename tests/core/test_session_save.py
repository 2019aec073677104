"""Opening and saving a draft under its lock: open states, the changed-on-disk check, save as, take over."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.core.formats import CellRef
from tui.core.lock import TakeOverRefused, held_here, lock_path
from tui.core.session import (
    DraftConflict,
    DraftLocked,
    DraftReadOnly,
    DraftSession,
    OpenState,
    create_draft,
    open_draft,
    take_over,
)
from tui.core.store import DraftError, backup_path, load_report, restore_backup

from ..conftest import HUAIAN, ROOT, other_session

CELL = CellRef("requests", "new_requests", "natural_person")


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    path = tmp_path / "d.toml"
    path.write_bytes(HUAIAN.read_bytes())
    path.chmod(0o600)
    return path


def test_open_takes_the_lock_and_save_keeps_it(draft: Path) -> None:
    result = open_draft(draft)
    assert result.state is OpenState.EDIT and result.session is not None and not result.session.read_only
    session = result.session
    assert session.lock is not None and held_here(draft)
    session.set_cell(CELL, 7)
    session.save()
    assert load_report(draft).value(CELL) == 7 and held_here(draft)
    session.close()
    assert not held_here(draft)


def test_a_second_session_is_read_only_and_told_who(draft: Path) -> None:
    with other_session(draft) as proc:
        result = open_draft(draft)
        assert result.state is OpenState.BUSY and result.can_take_over
        assert result.holder is not None and result.holder.pid == proc.pid
        assert f"进程 {proc.pid}" in result.message
        session = result.session
        assert session is not None and session.read_only and session.lock is None
        with pytest.raises(DraftReadOnly):
            session.save()


def test_a_session_without_the_lock_cannot_save_over_the_holder(draft: Path) -> None:
    session = DraftSession.open(draft)  # read without locking, as an old caller would
    session.set_cell(CELL, 5)
    before = draft.read_bytes()
    with other_session(draft), pytest.raises(DraftLocked, match="正由"):
        session.save()
    assert draft.read_bytes() == before and session.dirty
    session.save()  # the holder is gone: the save takes the lock for itself, and lets it go
    assert load_report(draft).value(CELL) == 5 and not held_here(draft)


def test_an_unverifiable_holder_gives_read_only_and_no_take_over(draft: Path) -> None:
    with other_session(draft, program="flock"):
        result = open_draft(draft)
        assert result.state is OpenState.UNVERIFIED and not result.can_take_over
        assert result.session is not None and result.session.read_only
        assert "伪造" in result.message and str(lock_path(draft)) in result.message
        with pytest.raises(TakeOverRefused):
            take_over(draft, result.holder, wait=0.5)


def test_no_lock_possible_means_read_only(draft: Path) -> None:
    os.symlink("/nonexistent", lock_path(draft))
    result = open_draft(draft)
    assert result.state is OpenState.NO_LOCK and "符号链接" in result.message
    assert result.session is not None and result.session.read_only


def test_a_read_only_file_opens_read_only(draft: Path) -> None:
    draft.chmod(0o400)
    result = open_draft(draft)
    assert result.state is OpenState.READ_ONLY_FILE and "只读" in result.message
    assert result.session is not None and result.session.read_only and not held_here(draft)
    with pytest.raises(DraftReadOnly, match="只读"):
        result.session.save()
    session = DraftSession.open(draft)  # the old entry point says so too
    assert session.read_only and "0400" in session.read_only_reason


def test_a_damaged_draft_is_reported_and_the_lock_let_go(draft: Path) -> None:
    draft.write_text("layout = ", encoding="utf-8")
    result = open_draft(draft)
    assert result.state is OpenState.DAMAGED and isinstance(result.error, DraftError)
    assert result.session is None and not held_here(draft)


def test_the_changed_on_disk_check_runs_under_the_lock(draft: Path) -> None:
    session = open_draft(draft).session
    assert session is not None
    session.set_cell(CELL, 42)
    theirs = draft.read_text(encoding="utf-8").replace("淮安市人民政府", "别人改过")
    draft.write_text(theirs, encoding="utf-8")
    with pytest.raises(DraftConflict):
        session.save()
    assert load_report(draft).org == "别人改过"
    session.save(force=True)  # "overwrite", asked
    assert load_report(draft).value(CELL) == 42
    assert "别人改过" in backup_path(draft).read_text(encoding="utf-8")  # their version is the backup


def test_a_draft_swapped_for_a_symlink_is_a_conflict(draft: Path, tmp_path: Path) -> None:
    session = open_draft(draft).session
    assert session is not None
    private = tmp_path / "private.txt"
    private.write_text("secret", encoding="utf-8")
    private.chmod(0o600)
    draft.unlink()
    os.symlink(private, draft)
    with pytest.raises(DraftConflict):
        session.save()
    session.save(force=True)
    assert private.read_text(encoding="utf-8") == "secret" and not draft.is_symlink()
    assert not backup_path(draft).exists()  # the symlink was not followed into a backup


def test_save_relocks_when_the_lock_file_was_replaced(draft: Path) -> None:
    session = open_draft(draft).session
    assert session is not None and session.lock is not None
    lock_path(draft).unlink()  # a neighbour deletes the lock file of an open draft
    session.set_cell(CELL, 9)
    session.save()
    assert session.lock is not None and session.lock.intact() and held_here(draft)
    assert _another_process_can_lock(draft) is False  # the new lock file is ours: nobody else can take it now
    session.close()
    assert _another_process_can_lock(draft) is True


def _another_process_can_lock(draft: Path) -> bool:
    code = (
        "import sys; from pathlib import Path; from tui.core.lock import DraftLock, LockBusy\n"
        "try:\n    DraftLock(Path(sys.argv[1])).acquire(); print('free')\nexcept LockBusy:\n    print('busy')"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code, str(draft)], capture_output=True, text=True, env=env, check=True)
    return out.stdout.strip() == "free"


def test_save_as_locks_the_target_and_refuses_a_locked_or_existing_one(draft: Path, tmp_path: Path) -> None:
    session = open_draft(draft).session
    assert session is not None
    busy = tmp_path / "busy.toml"
    busy.write_bytes(HUAIAN.read_bytes())
    with other_session(busy), pytest.raises(DraftLocked):
        session.save(busy)
    with pytest.raises(DraftError, match="已存在"):
        session.save_as(busy)
    copy = tmp_path / "copy.toml"
    assert session.save(copy) == copy  # `save(path)` is save-as, as the app calls it today
    assert session.path == copy and held_here(copy) and not held_here(draft)
    session.set_cell(CELL, 11)
    session.save()
    assert load_report(copy).value(CELL) == 11 and load_report(draft).value(CELL) == 3001


def test_save_as_from_a_read_only_session_edits_the_copy_locked(draft: Path, tmp_path: Path) -> None:
    with other_session(draft):
        session = open_draft(draft).session
        assert session is not None and session.read_only
        copy = tmp_path / "mine.toml"
        session.save_as(copy)
        assert not session.read_only and held_here(copy)
        assert session.set_cell(CELL, 1)


def test_take_over_opens_what_the_holder_left(draft: Path) -> None:
    with other_session(draft) as proc:
        result = open_draft(draft)
        taken = take_over(draft, result.holder, wait=5)
        assert proc.wait(timeout=5) != 0
    assert taken.state is OpenState.EDIT and taken.session is not None and held_here(draft)
    taken.session.close()


def test_create_draft_refuses_existing_files_and_open_drafts(draft: Path, tmp_path: Path) -> None:
    report = load_report(draft)
    dangling = tmp_path / "dangling.toml"
    os.symlink(tmp_path / "nowhere.toml", dangling)
    with pytest.raises(DraftError, match="已存在"):
        create_draft(report, dangling)
    with pytest.raises(DraftError, match="已存在"):
        create_draft(report, draft)
    with other_session(draft), pytest.raises(DraftLocked):
        create_draft(report, draft, overwrite=True)
    create_draft(report, dangling, overwrite=True)
    assert not dangling.is_symlink() and not (tmp_path / "nowhere.toml").exists()


def test_restore_backup_refuses_a_symlinked_or_damaged_backup(draft: Path, tmp_path: Path) -> None:
    private = tmp_path / "private.toml"
    private.write_bytes(HUAIAN.read_bytes())
    os.symlink(private, backup_path(draft))
    with pytest.raises(OSError, match="符号链接"):
        restore_backup(draft)
    backup_path(draft).unlink()
    backup_path(draft).write_text("not toml", encoding="utf-8")
    with pytest.raises(OSError, match="备份无法使用"):
        restore_backup(draft)
    with other_session(draft), pytest.raises(OSError, match="不能恢复备份"):
        restore_backup(draft)
    assert load_report(draft).org == "淮安市人民政府"  # nothing moved


_SAVER = """
import sys
from pathlib import Path
from tui.core.formats import CellRef
from tui.core.session import DraftConflict, DraftLocked, DraftSession
for line in sys.stdin:  # one round per value: read the draft, change a cell, wait for "go", save
    session = DraftSession.open(Path(sys.argv[1]))
    session.set_cell(CellRef("requests", "new_requests", "natural_person"), int(line))
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        session.save()
        print("saved", flush=True)
    except (DraftConflict, DraftLocked) as exc:
        print("asked", type(exc).__name__, flush=True)
"""


def test_simultaneous_saves_never_lose_an_edit_silently(draft: Path) -> None:
    """Two sessions that read the same version save at the same instant: one saves, the other is asked."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _SAVER, str(draft)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    try:
        for trial in range(10):
            for n, proc in enumerate(procs):
                assert proc.stdin is not None
                proc.stdin.write(f"{1000 * trial + n}\n")
                proc.stdin.flush()
            for proc in procs:  # both have read the same version
                assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
            for proc in procs:  # then both save at once
                assert proc.stdin is not None
                proc.stdin.write("go\n")
                proc.stdin.flush()
            outcomes = [proc.stdout.readline().strip() for proc in procs if proc.stdout is not None]
            assert sorted(o.split()[0] for o in outcomes) == ["asked", "saved"], outcomes
            assert load_report(draft).value(CELL) == 1000 * trial + outcomes.index("saved")
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()


def test_what_a_lock_file_claims_reaches_the_clerk_clean(tmp_path: Path) -> None:
    draft = tmp_path / "d\x1b]0;x\x07.toml"
    draft.write_bytes(HUAIAN.read_bytes())
    with other_session(draft, program="flock"):
        record = '{"user": "\\u001b]52;c;eA==\\u0007u", "host": "h\\u202eost\\u001b[2J", "pid": 1}'
        lock_path(draft).write_text(record, encoding="utf-8")
        result = open_draft(draft)
    assert result.state is OpenState.UNVERIFIED
    assert "\x1b" not in result.message and "\x07" not in result.message and "\u202e" not in result.message
    assert result.holder is not None and "\x1b" not in result.holder.describe()
