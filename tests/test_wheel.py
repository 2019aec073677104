"""A plain (non-editable) install of the built wheel works from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.fullscreen import open_and_quit

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
    show = "from tui.core.resources import resource_files; print(resource_files('reports'))"
    where = subprocess.run(
        [str(bin_dir / "python"), "-c", show],
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
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", GOVREPORT_DIR=str(elsewhere / "drafts"))
    # The installed app starts in a terminal (stylesheet and all), shows the draft and quits on Ctrl+Q.
    session = open_and_quit([command, str(example)], "基本信息", cwd=elsewhere, env=env)
    assert session.quit_cleanly, session.output[-2000:]


@pytest.mark.slow
def test_the_readme_first_command_leaves_the_checkouts_example_intact(tmp_path: Path) -> None:
    """`pip install . && govreport-tui reports/2024-huaian-city-gov.toml`, then a digit and Ctrl+Q: the
    clerk edited a copy in the drafts folder; the checkout's example (a golden file) is untouched."""
    from tests.terminal import Terminal
    from tui.core.store import load_report

    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)], check=True)
    (wheel,) = dist.glob("govreport_tui-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)], check=True)
    checkout = tmp_path / "checkout"  # a clone: its pyproject names the project, its reports/ the examples
    (checkout / "reports").mkdir(parents=True)
    (checkout / "pyproject.toml").write_bytes((ROOT / "pyproject.toml").read_bytes())
    example = checkout / "reports" / "2024-huaian-city-gov.toml"
    example.write_bytes((ROOT / "reports" / example.name).read_bytes())
    drafts = tmp_path / "drafts"
    command = [str(env_dir / "bin" / "govreport-tui")]
    env = {"GOVREPORT_DIR": str(drafts), "HOME": str(tmp_path)}
    with Terminal(None, args=["reports/2024-huaian-city-gov.toml"], command=command, env=env, cwd=checkout) as term:
        term.wait_for("机关名称")
        term.type(["end", "9"])
        assert term.quit() == 0
    assert example.read_bytes() == (ROOT / "reports" / example.name).read_bytes()
    assert sorted(p.name for p in (checkout / "reports").iterdir()) == [example.name]  # no .bak, no lock
    assert load_report(drafts / example.name).org == "淮安市人民政府9"
