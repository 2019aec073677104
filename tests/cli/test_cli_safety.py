"""The command line in a shared folder: no overwriting by surprise, modes of what it writes, clean output."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import HUAIAN, ROOT, other_session


def run(*args: str, umask: int | None = None) -> subprocess.CompletedProcess[bytes]:
    """The real command in its own process (raw bytes out); optionally under another umask."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    preexec = (lambda: os.umask(umask) and None) if umask is not None else None
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, timeout=60, env=env, preexec_fn=preexec
    )


def test_new_over_a_dangling_symlink_needs_force(tmp_path: Path) -> None:
    target = tmp_path / "2025.toml"
    nowhere = tmp_path / "elsewhere" / "planted.toml"
    os.symlink(nowhere, target)
    refused = run("new", "--year", "2025", "--org", "某局", "-o", str(target))
    assert refused.returncode == 2 and "已存在" in refused.stderr.decode() and "--force" in refused.stderr.decode()
    assert target.is_symlink()
    forced = run("new", "--year", "2025", "--org", "某局", "-o", str(target), "--force")
    assert forced.returncode == 0, forced.stderr.decode()
    assert not target.is_symlink() and target.is_file() and not nowhere.exists()  # the link replaced, not followed


def test_new_never_replaces_a_read_only_draft_or_one_being_edited(tmp_path: Path) -> None:
    target = tmp_path / "2024.toml"
    target.write_bytes(HUAIAN.read_bytes())
    target.chmod(0o400)
    refused = run("new", "--year", "2024", "--org", "某局", "-o", str(target), "--force")
    assert refused.returncode == 2 and "只读" in refused.stderr.decode()
    assert target.read_bytes() == HUAIAN.read_bytes()
    target.chmod(0o600)
    with other_session(target):
        busy = run("new", "--year", "2024", "--org", "某局", "-o", str(target), "--force")
    assert busy.returncode == 2 and "正由" in busy.stderr.decode()
    assert target.read_bytes() == HUAIAN.read_bytes()


@pytest.mark.parametrize("mask", [0o000, 0o077])
@pytest.mark.parametrize(("folder_mode", "expected"), [(0o700, 0o600), (0o2770, 0o660)])
def test_export_and_new_modes_follow_the_folder_not_the_umask(
    tmp_path: Path, mask: int, folder_mode: int, expected: int
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    folder.chmod(folder_mode)
    export = folder / "report.txt"
    assert run("export", str(HUAIAN), "--to", "txt", "-o", str(export), umask=mask).returncode == 0
    assert stat.S_IMODE(export.stat().st_mode) == expected
    draft = folder / "2025.toml"
    assert run("new", "--year", "2025", "--org", "某局", "-o", str(draft), umask=mask).returncode == 0
    assert stat.S_IMODE(draft.stat().st_mode) == expected


def test_export_never_replaces_a_read_only_file(tmp_path: Path) -> None:
    export = tmp_path / "report.txt"
    export.write_text("published", encoding="utf-8")
    export.chmod(0o444)
    result = run("export", str(HUAIAN), "--to", "txt", "-o", str(export))
    assert result.returncode == 2 and "只读" in result.stderr.decode()
    assert export.read_text(encoding="utf-8") == "published"


def test_arguments_with_escapes_are_shown_clean(tmp_path: Path) -> None:
    for args in (
        ["check", "--bogus\x1b]0;pwned\x07"],
        ["new", "--year", "20\x1b[2J24", "--org", "x", "-o", str(tmp_path / "x.toml")],
        ["check", str(tmp_path / "missing\x1b]52;c;eA==\x07.toml")],
        ["export", str(tmp_path / "\u202egpj.toml"), "--to", "txt"],
    ):
        result = run(*args)
        assert result.returncode == 2
        for stream in (result.stdout, result.stderr):
            assert b"\x1b" not in stream and b"\x07" not in stream and "\u202e".encode() not in stream
            assert b"Traceback" not in stream


def test_org_with_escapes_is_stored_clean(tmp_path: Path) -> None:
    target = tmp_path / "x.toml"
    result = run("new", "--year", "2025", "--org", "某局\x1b]0;t\x07\u202e\u2066", "-o", str(target))
    assert result.returncode == 0
    assert b"\x1b" not in result.stdout and 'org = "某局]0;t"' in target.read_text(encoding="utf-8")
