"""Hostile drafts (tests/hostile/): each gives its clear message, nothing crashes, nothing is lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tui.app.app import GovReportApp
from tui.app.screens.choice import ChoiceScreen
from tui.app.screens.editor import EditorScreen
from tui.cli import main

HOSTILE = Path(__file__).parent / "hostile"
EXPECTED = tomllib.loads((HOSTILE / "expected.toml").read_text(encoding="utf-8"))["files"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_says_what_is_wrong(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    expected = EXPECTED[name]
    path = HOSTILE / name
    before = path.read_bytes()
    code = main(["check", str(path)])
    out = capsys.readouterr()
    assert code == expected["exit"], out
    if expected["exit"] == 0:
        assert main(["export", str(path), "--to", "txt"]) == 0
        text = capsys.readouterr().out
        assert expected["message"] in text
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    else:
        assert expected["message"] in out.out + out.err
        assert "\n" not in out.err.strip() or expected["exit"] == 1  # one line for an unreadable file
    assert path.read_bytes() == before


def test_huge_file_and_symlink(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    huge = tmp_path / "huge.toml"
    huge.write_bytes(b"#" * (5 * 1024 * 1024))
    assert main(["check", str(huge)]) == 2
    assert "文件过大" in capsys.readouterr().err
    link = tmp_path / "link.toml"
    os.symlink(HOSTILE.parent.parent / "reports" / "2024-huaian-city-gov.toml", link)
    assert main(["check", str(link)]) == 2
    assert "符号链接" in capsys.readouterr().err


UNREADABLE = sorted(name for name, e in EXPECTED.items() if e["exit"] == 2)


@pytest.mark.parametrize("name", UNREADABLE)
async def test_the_app_explains_an_unreadable_draft(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes((HOSTILE / name).read_bytes())
    app = GovReportApp(path, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        assert EXPECTED[name]["message"] in app.screen.message
        assert [key for key, _label in app.screen.choices] == ["list", "quit"]  # no backup to offer
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "StartScreen"
    assert path.read_bytes() == (HOSTILE / name).read_bytes()


async def test_escape_sequences_never_reach_the_screen(tmp_path: Path) -> None:
    path = tmp_path / "esc.toml"
    path.write_bytes((HOSTILE / "escape-sequences.toml").read_bytes())
    app = GovReportApp(path, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.editor.show_section("overview")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        text = app.session.report.text("overview")
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
        svg = app.export_screenshot()
        assert "pwned" in svg and "\x1b" not in svg


# --- a neighbour's files in a shared folder, through `check`: raw bytes, batches, no hang ------------

GOOD = (HOSTILE.parent.parent / "reports" / "2024-huaian-city-gov.toml").read_bytes()
_BAD_CHARS = {chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))} | set(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\u200e\u200f\u00ad"
)


def _run_check(*args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    """`govreport-tui check …` as a clerk runs it: a separate process, raw bytes out, a time limit."""
    env = {**os.environ, "PYTHONPATH": str(HOSTILE.parent.parent), "LANG": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, "-m", "tui", "check", *map(str, args)], capture_output=True, timeout=timeout, env=env
    )


def _assert_terminal_safe(raw: bytes) -> str:
    """The bytes a terminal would receive: valid UTF-8, no control but newline, no bidi trick, no ESC."""
    assert b"\x1b" not in raw and b"\x07" not in raw
    text = raw.decode("utf-8")  # a stray byte of an undecodable file name would fail here
    bad = sorted({ch for ch in text if ch in _BAD_CHARS and ch != "\n"})
    assert not bad, bad
    return text


HOSTILE_NAMES = [
    b"\x1b]52;c;cHduZWQ=\x07.toml",  # OSC 52: write the clerk's clipboard
    b"\x1b]0;pwned\x07.toml",  # set the window title
    b"\xc2\x9b2J\xe2\x80\xaereport.toml",  # C1 CSI (clear screen) and a right-to-left override
    b"\x9b2J-not-utf8.toml",  # a raw C1 byte: not even UTF-8
    b"line\nbreak.toml",  # a fake line in the output
]


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=["osc52", "title", "c1-bidi", "raw-byte", "newline"])
def test_hostile_file_names_never_reach_the_terminal(tmp_path: Path, name: bytes) -> None:
    good = tmp_path / os.fsdecode(name)
    good.write_bytes(GOOD)
    bad = tmp_path / os.fsdecode(name.replace(b".toml", b"-bad.toml"))
    bad.write_bytes((HOSTILE / "escape-in-value.toml").read_bytes())
    run = _run_check(good, bad)
    assert run.returncode == 1
    out = _assert_terminal_safe(run.stdout)
    _assert_terminal_safe(run.stderr)
    assert "淮安市人民政府2024年政府信息公开工作年度报告" in out and "不是整数" in out
    json_run = subprocess.run(
        [sys.executable, "-m", "tui", "check", "--json", str(good), str(bad)],
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(HOSTILE.parent.parent)},
    )
    results = json.loads(_assert_terminal_safe(json_run.stdout))
    assert [r["file"] for r in results] == [str(good), str(bad)]  # exact names, for scripts


def _fifo(path: Path) -> None:
    os.mkfifo(path)


HOSTILE_CONTENT = {
    "int-5000-digits.toml": lambda p: p.write_text(
        'layout = 1\nformat = "2021"\norg = "x"\nyear = 2024\n[tables.requests.new_requests]\n'
        f"natural_person = {'9' * 5000}\n"
    ),
    "nested-100000.toml": lambda p: p.write_text(
        'layout = 1\nformat = "2021"\norg = "x"\nyear = 2024\nx = ' + "[" * 100_000 + "]" * 100_000
    ),
    "pipe.toml": _fifo,
    "zero.toml": lambda p: os.symlink("/dev/zero", p),
    "huge.toml": lambda p: p.write_bytes(b"#" * (5 * 1024 * 1024)),
    "folder.toml": lambda p: p.mkdir(),
}
EXPECTED_LINES = {
    "int-5000-digits.toml": "数字过长（5000 个字符",
    "nested-100000.toml": "嵌套层数过多",
    "pipe.toml": "命名管道",
    "zero.toml": "符号链接（指向 /dev/zero）",
    "huge.toml": "文件过大",
    "folder.toml": "文件夹",
}


def test_each_hostile_file_is_one_line_and_the_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a-good.toml").write_bytes(GOOD)
    for name, make in HOSTILE_CONTENT.items():
        make(tmp_path / name)
    (tmp_path / "z-good.toml").write_bytes(GOOD)
    paths = sorted(tmp_path.iterdir())
    run = _run_check(*paths, "/dev/zero")
    assert run.returncode == 2
    out, err = _assert_terminal_safe(run.stdout), _assert_terminal_safe(run.stderr)
    assert "Traceback" not in err
    assert out.count("淮安市人民政府2024年政府信息公开工作年度报告") == 2  # both good files, around the bad ones
    for name, phrase in EXPECTED_LINES.items():
        lines = [line for line in err.splitlines() if f"{name}：" in line]
        assert len(lines) == 1 and phrase in lines[0], (name, lines)
    assert "/dev/zero：这是一个设备文件" in err


@pytest.mark.parametrize("name", [*HOSTILE_CONTENT, "/dev/zero", "missing.toml", "bad\x00name"])
def test_derived_from_a_hostile_file_is_reported_not_read(tmp_path: Path, name: str) -> None:
    if name in HOSTILE_CONTENT:
        HOSTILE_CONTENT[name](tmp_path / name)
    draft = tmp_path / "this-year.toml"
    text = GOOD.decode("utf-8").replace("year = 2024\n", f"year = 2024\nderived_from = {json.dumps(name)}\n")
    draft.write_text(text, encoding="utf-8")
    run = _run_check(draft)
    assert run.returncode == 0, run.stderr.decode()  # a hint, not an error: this year's draft is fine
    out = _assert_terminal_safe(run.stdout)
    assert "YOY-SOURCE" in out and "同比检查（YOY-*）未进行" in out and "共 提示 1 个" in out


def test_a_huge_line_is_checked_quickly(tmp_path: Path) -> None:
    draft = tmp_path / "long.toml"
    text = GOOD.decode("utf-8").replace("[texts]\n", '[texts]\nproblems = "' + "很长的一行" * 260_000 + '"\n', 1)
    draft.write_text(text, encoding="utf-8")
    run = _run_check(draft, timeout=30)
    assert run.returncode == 2 or "淮安" in _assert_terminal_safe(run.stdout)


def test_the_start_screen_list_survives_a_hostile_folder(tmp_path: Path) -> None:
    from tui.core.drafts_folder import scan

    (tmp_path / "good.toml").write_bytes(GOOD)
    for name, make in HOSTILE_CONTENT.items():
        make(tmp_path / name)
    (tmp_path / os.fsdecode(HOSTILE_NAMES[0])).write_bytes(GOOD)
    listed = {info.path.name: info for info in scan(tmp_path)}
    assert set(listed) == {"good.toml", os.fsdecode(HOSTILE_NAMES[0]), *HOSTILE_CONTENT}
    for name, phrase in EXPECTED_LINES.items():
        assert phrase in listed[name].problem
    assert not listed["good.toml"].problem and listed["good.toml"].errors == 0


@pytest.mark.parametrize("name", ["pipe.toml", "zero.toml", "huge.toml", "folder.toml"])
def test_a_hostile_rule_pack_is_reported_not_read(tmp_path: Path, name: str) -> None:
    """A draft naming a rule file that is a FIFO, /dev/zero, huge or a folder: one line, never a hang."""
    HOSTILE_CONTENT[name](tmp_path / name)
    draft = tmp_path / "this-year.toml"
    text = GOOD.decode("utf-8").replace("year = 2024\n", f"year = 2024\nrules = [{json.dumps(name)}]\n")
    draft.write_text(text, encoding="utf-8")
    run = _run_check(draft)
    out = _assert_terminal_safe(run.stdout)
    assert "RULES-FILE" in out and name in out
