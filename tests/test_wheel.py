"""A plain (non-editable) install of the built wheel works from any directory."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_built_wheel_installs_and_runs_in_a_fresh_venv(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        cwd=tmp_path,
        timeout=300,
    )
    (wheel,) = dist.glob("govreport_tui-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)], check=True, timeout=600)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run(
        [str(bin_dir / "python"), "-c", "from tui.core.resources import resource_dir; print(resource_dir('reports'))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=elsewhere,
    ).stdout.strip()
    reports = Path(where)
    assert "site-packages" in reports.parts
    example = reports / "2020-tongjiang-veterans-bureau.toml"
    command = str(bin_dir / "govreport-tui")
    check = subprocess.run([command, "check", str(example)], capture_output=True, text=True, cwd=elsewhere)
    assert check.returncode == 0, check.stderr
    assert "同江市退役军人事务局2020年政府信息公开工作年度报告" in check.stdout
    formats = subprocess.run([command, "formats"], capture_output=True, text=True, cwd=elsewhere)
    assert "2019-trial" in formats.stdout
    export = subprocess.run(
        [command, "export", str(example), "--to", "html"], capture_output=True, text=True, cwd=elsewhere
    )
    assert export.stdout == (ROOT / "reports" / "2020-tongjiang-veterans-bureau.html").read_text(encoding="utf-8")
    assert _runs_full_screen(command, example, elsewhere)


def _runs_full_screen(command: str, example: Path, cwd: Path) -> bool:
    """The installed app starts in a terminal (stylesheet and all), shows the draft and quits on Ctrl+Q."""
    import contextlib
    import os
    import pty
    import select
    import time

    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(cwd)
        env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", GOVREPORT_DIR=str(cwd / "drafts"))
        os.execvpe(command, [command, str(example)], env)
    output, deadline = b"", time.monotonic() + 20
    while "基本信息".encode() not in output and time.monotonic() < deadline:
        if select.select([fd], [], [], 0.1)[0]:
            output += os.read(fd, 65536)
    os.write(fd, b"\x11")  # Ctrl+Q
    while time.monotonic() < deadline:
        if select.select([fd], [], [], 0.1)[0]:
            with contextlib.suppress(OSError):  # the terminal side closed: the app has gone
                os.read(fd, 65536)
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            os.close(fd)
            return "基本信息".encode() in output and os.waitstatus_to_exitcode(status) == 0
    os.kill(pid, 9)
    return False
