"""A shared office folder, tried by two real Unix users in one group, one of them careless or hostile.

Runs as root (CI does): the users are created, each clerk's actions run in a process of its
own with that user's ids and umask. Skipped, with the reason, when not root.
"""

from __future__ import annotations

import os
import pwd
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..clerks import ANNA, BO, Clerk, ClerkError, Office, office, two_clerks


@pytest.fixture(scope="module")
def group_id() -> Iterator[int]:
    with two_clerks() as gid:
        yield gid


@pytest.fixture
def shared(group_id: int) -> Iterator[Office]:
    with office(group_id) as place:
        yield place


@pytest.fixture
def clerks() -> Iterator[dict[str, Clerk]]:
    started: dict[str, Clerk] = {}

    class Starter(dict[str, Clerk]):
        def start(self, user: str, **options: object) -> Clerk:
            clerk = Clerk(user, **options)  # type: ignore[arg-type]
            started[f"{user}-{len(started)}"] = clerk
            return clerk

    yield Starter()
    for clerk in started.values():
        clerk.close()


def _uid(user: str) -> int:
    return pwd.getpwnam(user).pw_uid


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _new_draft(clerk: Clerk, path: Path) -> None:
    clerk.run(f"create_draft(HUAIAN, Path({str(path)!r}))")


def test_the_lock_works_across_users(shared: Office, clerks) -> None:  # type: ignore[no-untyped-def]
    draft = shared.drafts / "2024.toml"
    anna = clerks.start(ANNA, umask=0o077)  # a strict umask must not make the lock private
    _new_draft(anna, draft)
    assert anna.run(f"s = open_draft(Path({str(draft)!r})); result = s.state") == "edit"
    lock = draft.with_name(".2024.toml.lock")
    assert _mode(lock) == 0o660 and lock.stat().st_gid == shared.gid
    assert _mode(draft) == 0o660 and draft.stat().st_gid == shared.gid

    bo = clerks.start(BO)
    # Bo rewrites the lock record to name himself: what he is shown still comes from the kernel.
    bo.run(f'Path({str(lock)!r}).write_text(\'{{"user": "{BO}", "pid": 1, "host": "x"}}\')')
    seen = bo.run(
        f"r = open_draft(Path({str(draft)!r})); "
        "result = [r.state, r.holder.user, r.holder.pid, r.holder.verified, r.can_take_over, r.session.read_only]"
    )
    assert seen == ["busy", ANNA, anna.pid, True, False, True]
    with pytest.raises(ClerkError) as refused:
        bo.run("r.session.save()")
    assert refused.value.kind == "DraftReadOnly"
    with pytest.raises(ClerkError) as locked:  # an old-style session that never took the lock
        bo.run(f"d = DraftSession.open(Path({str(draft)!r})); d.set_cell(CELL, 1); d.save(force=True)")
    assert locked.value.kind == "DraftLocked"
    with pytest.raises(ClerkError) as other_user:
        bo.run(f"take_over(Path({str(draft)!r}), r.holder, wait=1)")
    assert other_user.value.kind == "TakeOverRefused" and "只有本人可以接管" in other_user.value.message
    assert anna.alive()

    anna.run("s.session.set_cell(CELL, 77); s.session.save(); s.session.close()")
    assert (
        bo.run(
            f"r = open_draft(Path({str(draft)!r})); r.session.set_cell(CELL, 88); r.session.save(); result = r.state"
        )
        == "edit"
    )
    assert draft.stat().st_uid == _uid(BO) and draft.stat().st_gid == shared.gid and _mode(draft) == 0o660
    bo.run("r.session.close()")
    assert anna.run(f"s = open_draft(Path({str(draft)!r})); result = [s.state, s.session.report.value(CELL)]") == [
        "edit",
        88,
    ]


def test_a_forged_lock_signals_nobody(shared: Office, clerks) -> None:  # type: ignore[no-untyped-def]
    draft = shared.drafts / "d.toml"
    anna = clerks.start(ANNA)
    _new_draft(anna, draft)
    victim = clerks.start(ANNA, program="anna-editor")  # another of Anna's processes, unrelated to drafts
    bo = clerks.start(BO, program="bo-tool")  # Bo holds the lock with a program that is not govreport-tui
    bo.run(
        f"l = DraftLock(Path({str(draft)!r})); l.acquire(); "
        f"forged = {{'user': {ANNA!r}, 'host': os.uname().nodename, 'pid': {victim.pid}}}; "
        "os.pwrite(l.fd, json.dumps(forged).encode(), 0)"
    )
    seen = anna.run(
        f"r = open_draft(Path({str(draft)!r})); result = [r.state, r.holder.verified, r.message, r.session.read_only]"
    )
    assert seen[0] == "unverified" and seen[1] is False and "伪造" in seen[2] and seen[3] is True
    with pytest.raises(ClerkError) as refused:
        anna.run(f"take_over(Path({str(draft)!r}), r.holder, wait=1)")
    assert refused.value.kind == "TakeOverRefused"
    assert victim.alive() and bo.alive()


def test_planted_lock_files_mean_read_only_and_harm_nothing(shared: Office, clerks) -> None:  # type: ignore[no-untyped-def]
    draft = shared.drafts / "d.toml"
    lock = draft.with_name(".d.toml.lock")
    anna = clerks.start(ANNA)
    _new_draft(anna, draft)
    secret = shared.private[ANNA] / "secret.txt"
    anna.run(f"Path({str(secret)!r}).write_text('secret'); os.chmod({str(secret)!r}, 0o600)")
    bo = clerks.start(BO)

    bo.run(f"os.unlink({str(lock)!r}); os.symlink({str(secret)!r}, {str(lock)!r})")
    assert anna.run(f"r = open_draft(Path({str(draft)!r})); result = [r.state, r.session.read_only]") == [
        "no_lock",
        True,
    ]
    bo.run(f"os.unlink({str(lock)!r}); os.mkfifo({str(lock)!r})")
    assert anna.run(f"result = open_draft(Path({str(draft)!r})).state") == "no_lock"  # promptly: no hang
    bo.run(f"os.unlink({str(lock)!r}); Path({str(lock)!r}).write_text(''); os.chmod({str(lock)!r}, 0o600)")
    message = anna.run(f"r = open_draft(Path({str(draft)!r})); result = [r.state, r.message]")
    assert message[0] == "no_lock" and BO in message[1]
    notes = shared.drafts / "bo-notes.txt"
    bo.run(
        f"os.unlink({str(lock)!r}); Path({str(notes)!r}).write_text('notes'); os.link({str(notes)!r}, {str(lock)!r})"
    )
    assert anna.run(f"r = open_draft(Path({str(draft)!r})); r.session.close(); result = r.state") == "edit"
    assert notes.read_text() == "notes" and secret.read_text() == "secret"


def test_a_planted_backup_is_replaced_fresh(shared: Office, clerks) -> None:  # type: ignore[no-untyped-def]
    draft = shared.drafts / "d.toml"
    anna = clerks.start(ANNA)
    _new_draft(anna, draft)
    bo = clerks.start(BO)
    bo.run(f"Path({str(draft)!r} + '.bak').write_text('planted'); os.chmod({str(draft)!r} + '.bak', 0o666)")
    anna.run(f"r = open_draft(Path({str(draft)!r})); r.session.set_cell(CELL, 5); r.session.save()")
    backup = shared.drafts / "d.toml.bak"
    assert backup.stat().st_uid == _uid(ANNA) and _mode(backup) == 0o660 and "淮安市人民政府" in backup.read_text()
    secret = shared.private[ANNA] / "secret.txt"
    anna.run(f"Path({str(secret)!r}).write_text('secret'); os.chmod({str(secret)!r}, 0o600)")
    bo.run(f"os.unlink({str(backup)!r}); os.symlink({str(secret)!r}, {str(backup)!r})")
    anna.run("r.session.set_cell(CELL, 6); r.session.save()")
    assert secret.read_text() == "secret" and not backup.is_symlink() and _mode(backup) == 0o660

    private_draft = shared.private[ANNA] / "mine.toml"  # Anna's own folder: owner-only
    _new_draft(anna, private_draft)
    anna.run(
        f"Path({str(private_draft)!r} + '.bak').write_text('old'); os.chmod({str(private_draft)!r} + '.bak', 0o666)"
    )
    anna.run(f"p = open_draft(Path({str(private_draft)!r})); p.session.set_cell(CELL, 1); p.session.save()")
    assert _mode(private_draft) == 0o600 and _mode(shared.private[ANNA] / "mine.toml.bak") == 0o600


def test_a_draft_swapped_for_a_symlink_is_never_read_through(shared: Office, clerks) -> None:  # type: ignore[no-untyped-def]
    draft = shared.drafts / "d.toml"
    anna = clerks.start(ANNA)
    _new_draft(anna, draft)
    anna.run(f"r = open_draft(Path({str(draft)!r})); r.session.set_cell(CELL, 5)")
    secret = shared.private[ANNA] / "secret.toml"
    anna.run(f"Path({str(secret)!r}).write_bytes(HUAIAN_BYTES.replace('淮安'.encode(), '机密'.encode()))")
    anna.run(f"os.chmod({str(secret)!r}, 0o600)")
    bo = clerks.start(BO)
    bo.run(f"os.unlink({str(draft)!r}); os.symlink({str(secret)!r}, {str(draft)!r})")
    with pytest.raises(ClerkError) as conflict:
        anna.run("r.session.save()")
    assert conflict.value.kind == "DraftConflict"
    anna.run("r.session.save(force=True)")  # the clerk answered "overwrite" in the routine dialog
    assert not draft.is_symlink() and "机密" not in draft.read_text() and "机密" in secret.read_text()
    assert not (shared.drafts / "d.toml.bak").exists() or "机密" not in (shared.drafts / "d.toml.bak").read_text()
    # and the app is told so when it opens the link: it is refused, not followed
    bo.run(f"os.unlink({str(draft)!r}); os.symlink({str(secret)!r}, {str(draft)!r})")
    opened = anna.run(f"o = open_draft(Path({str(draft)!r})); result = [o.state, o.message]")
    assert opened[0] == "damaged" and "符号链接" in opened[1]


@pytest.mark.parametrize("mask", [0o000, 0o077])
def test_file_modes_under_any_umask(shared: Office, clerks, mask: int) -> None:  # type: ignore[no-untyped-def]
    anna = clerks.start(ANNA, umask=mask)
    home = shared.private[ANNA]
    made = anna.run(f"result = str(ensure_dir(Path({str(home)!r}) / 'share' / 'govreport-tui' / 'drafts'))")
    for folder in (home / "share", home / "share" / "govreport-tui", Path(made)):
        assert _mode(folder) == 0o700
    for folder, expected in ((Path(made), 0o600), (shared.drafts, 0o660)):
        draft = folder / "d.toml"
        _new_draft(anna, draft)
        anna.run(f"r = open_draft(Path({str(draft)!r})); r.session.set_cell(CELL, 3); r.session.save()")
        anna.run(f"atomic_write(Path({str(folder / 'd.txt')!r}), b'export', backup=False)")  # as `export -o` does
        for name in ("d.toml", "d.toml.bak", ".d.toml.lock", "d.txt"):
            assert _mode(folder / name) == expected, (name, oct(mask))
        if expected == 0o660:
            assert all((folder / n).stat().st_gid == shared.gid for n in ("d.toml", "d.toml.bak", "d.txt"))
        anna.run("r.session.close()")


def test_existing_0644_and_0400_drafts(shared: Office, clerks) -> None:  # type: ignore[no-untyped-def]
    anna = clerks.start(ANNA)
    loose = shared.drafts / "loose.toml"
    _new_draft(anna, loose)
    anna.run(f"os.chmod({str(loose)!r}, 0o644)")
    anna.run(f"r = open_draft(Path({str(loose)!r})); r.session.set_cell(CELL, 1); r.session.save(); r.session.close()")
    assert _mode(loose) == 0o660  # the folder's mode: group, never world

    frozen = shared.drafts / "frozen.toml"
    _new_draft(anna, frozen)
    anna.run(f"os.chmod({str(frozen)!r}, 0o400)")
    before = frozen.read_bytes()
    assert anna.run(f"f = open_draft(Path({str(frozen)!r})); result = [f.state, f.session.read_only]") == [
        "read_only_file",
        True,
    ]
    with pytest.raises(ClerkError) as refused:
        anna.run("f.session.save()")
    assert refused.value.kind == "DraftReadOnly"
    with pytest.raises(ClerkError) as refused_cli:
        anna.run(f"create_draft(HUAIAN, Path({str(frozen)!r}), overwrite=True)")
    assert "只读" in refused_cli.value.message
    assert frozen.read_bytes() == before and _mode(frozen) == 0o400


def test_check_as_another_user_over_a_hostile_folder(shared: Office, clerks) -> None:  # type: ignore[no-untyped-def]
    bo = clerks.start(BO)
    bo.run(f"os.mkfifo({str(shared.drafts / 'pipe.toml')!r})")
    bo.run(f"Path({str(shared.drafts / 'deep.toml')!r}).write_text('x = ' + '[' * 100000)")
    anna = clerks.start(ANNA)
    _new_draft(anna, shared.drafts / "good.toml")
    listed = anna.run(f"result = [(d.path.name, bool(d.problem)) for d in scan(Path({str(shared.drafts)!r}))]")
    assert sorted(map(tuple, listed)) == [("deep.toml", True), ("good.toml", False), ("pipe.toml", True)]
    code, out, err = anna.run(
        "out, err = io.StringIO(), io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):\n"
        f"    code = tui.cli.main(['check', *sorted(str(p) for p in Path({str(shared.drafts)!r}).glob('*.toml'))])\n"
        "result = [code, out.getvalue(), err.getvalue()]"
    )
    assert code == 2 and "good.toml：" in out
    assert "deep.toml：第 1 行第 25 列嵌套层数过多" in err and "pipe.toml：这是一个命名管道" in err


def test_the_users_are_really_two(group_id: int) -> None:
    out = subprocess.run(["id", ANNA], capture_output=True, text=True, check=True).stdout
    assert "grtui-clerks" in out and pwd.getpwnam(ANNA).pw_uid != pwd.getpwnam(BO).pw_uid != os.geteuid()
