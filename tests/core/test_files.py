"""Files in a shared folder: only regular files read, with a cap; fresh files with the folder's mode."""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.core.files import (
    FileTooLarge,
    ReadOnlyFile,
    UnsafeFile,
    atomic_write,
    file_mode_for,
    make_dirs,
    read_regular_file,
    shared_group,
    stale_temp_files,
)


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_reads_a_regular_file(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_bytes(b"x" * 100)
    data, st = read_regular_file(path, 100)
    assert data == b"x" * 100 and st.st_size == 100 and st.st_ino == path.stat().st_ino
    with pytest.raises(FileTooLarge):
        read_regular_file(path, 99)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: os.mkfifo(p), "命名管道"),
        (lambda p: p.mkdir(), "文件夹"),
        (lambda p: os.symlink("/etc/passwd", p), "符号链接（指向 /etc/passwd）"),
        (lambda p: os.symlink("/dev/zero", p), "符号链接"),
    ],
    ids=["fifo", "folder", "symlink", "symlink-to-device"],
)
def test_anything_but_a_regular_file_is_refused_without_opening_it(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "x.toml"
    make(path)
    result: list[BaseException] = []

    def read() -> None:
        try:
            read_regular_file(path, 1000)
        except BaseException as exc:
            result.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=5)
    assert not reader.is_alive(), "reading hung (a FIFO opened for reading blocks until a writer comes)"
    assert isinstance(result[0], UnsafeFile) and message in str(result[0])


def test_devices_are_refused_and_a_size_of_zero_is_not_trusted() -> None:
    with pytest.raises(UnsafeFile, match="设备文件"):
        read_regular_file(Path("/dev/zero"), 1000)
    status = Path("/proc/self/status")  # a regular file whose stat size is 0, yet it has content
    assert status.stat().st_size == 0
    with pytest.raises(FileTooLarge):
        read_regular_file(status, 10)


def test_the_folder_decides_the_mode(tmp_path: Path) -> None:
    cases = {0o700: 0o600, 0o755: 0o600, 0o2770: 0o660, 0o2750: 0o640, 0o770: 0o660, 0o1777: 0o600, 0o3777: 0o600}
    for folder_mode, file_mode in cases.items():
        folder = tmp_path / f"f{folder_mode:o}"
        folder.mkdir()
        folder.chmod(folder_mode)
        assert file_mode_for(folder) == file_mode, oct(folder_mode)
        assert (shared_group(folder) is not None) == bool(file_mode & 0o060)


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o077])
@pytest.mark.parametrize(("folder_mode", "expected"), [(0o700, 0o600), (0o2770, 0o660)])
def test_new_files_get_the_folder_mode_whatever_the_umask(
    tmp_path: Path, mask: int, folder_mode: int, expected: int
) -> None:
    folder = tmp_path / "drafts"
    folder.mkdir()
    folder.chmod(folder_mode)
    with umask(mask):
        atomic_write(folder / "d.toml", b"one")
        atomic_write(folder / "d.toml", b"two")  # and a backup
        atomic_write(folder / "export.txt", b"text", backup=False, mode=0o644)  # what the app asks for exports
    assert _mode(folder / "d.toml") == expected
    assert _mode(folder / "d.toml.bak") == expected
    assert _mode(folder / "export.txt") == expected & 0o644
    assert sorted(p.name for p in folder.iterdir()) == ["d.toml", "d.toml.bak", "export.txt"]


def test_an_existing_0644_draft_becomes_owner_only(tmp_path: Path) -> None:
    draft = tmp_path / "d.toml"
    draft.write_bytes(b"old")
    draft.chmod(0o644)
    atomic_write(draft, b"new")
    assert _mode(draft) == 0o600 and _mode(tmp_path / "d.toml.bak") == 0o600


def test_a_read_only_draft_is_never_replaced(tmp_path: Path) -> None:
    draft = tmp_path / "d.toml"
    draft.write_bytes(b"keep me")
    draft.chmod(0o400)
    with pytest.raises(ReadOnlyFile, match="只读"):
        atomic_write(draft, b"overwrite")
    assert draft.read_bytes() == b"keep me" and _mode(draft) == 0o400
    assert not (tmp_path / "d.toml.bak").exists()


def test_a_planted_backup_is_replaced_by_a_fresh_private_one(tmp_path: Path) -> None:
    draft = tmp_path / "d.toml"
    draft.write_bytes(b"secret draft")
    draft.chmod(0o600)
    planted = tmp_path / "d.toml.bak"
    planted.write_bytes(b"planted")
    planted.chmod(0o666)
    atomic_write(draft, b"new")
    assert _mode(planted) == 0o600 and planted.read_bytes() == b"secret draft"


def test_a_backup_symlink_is_replaced_not_followed(tmp_path: Path) -> None:
    draft = tmp_path / "d.toml"
    draft.write_bytes(b"draft")
    victim = tmp_path / "victim"
    victim.write_bytes(b"victim")
    os.symlink(victim, tmp_path / "d.toml.bak")
    atomic_write(draft, b"new")
    assert victim.read_bytes() == b"victim"
    assert not (tmp_path / "d.toml.bak").is_symlink() and (tmp_path / "d.toml.bak").read_bytes() == b"draft"


def test_a_draft_swapped_for_a_symlink_is_not_copied_to_the_backup(tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.write_bytes(b"ssh key")
    private.chmod(0o600)
    draft = tmp_path / "d.toml"
    os.symlink(private, draft)
    atomic_write(draft, b"mine")
    assert private.read_bytes() == b"ssh key"  # not written through the link
    assert draft.read_bytes() == b"mine" and not draft.is_symlink()
    assert not (tmp_path / "d.toml.bak").exists()  # not copied to a backup either


def test_no_replace_refuses_even_a_dangling_symlink(tmp_path: Path) -> None:
    target = tmp_path / "new.toml"
    os.symlink(tmp_path / "nowhere", target)
    with pytest.raises(FileExistsError):
        atomic_write(target, b"x", replace=False)
    assert target.is_symlink() and not (tmp_path / "nowhere").exists()
    fresh = tmp_path / "fresh.toml"
    atomic_write(fresh, b"x", replace=False)
    assert fresh.read_bytes() == b"x"
    assert not stale_temp_files(fresh)


def test_data_folders_are_owner_only_under_umask_000(tmp_path: Path) -> None:
    with umask(0o000):
        made = make_dirs(tmp_path / "share" / "govreport-tui" / "drafts")
    for folder in (tmp_path / "share", tmp_path / "share" / "govreport-tui", made):
        assert _mode(folder) == 0o700
    assert make_dirs(made) == made  # existing: left alone
