"""Hostile drafts (tests/hostile/): each gives its clear message, nothing crashes, nothing is lost."""

from __future__ import annotations

import os
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
        app.editor.go("overview")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        text = app.session.report.text("overview")
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
        svg = app.export_screenshot()
        assert "pwned" in svg and "\x1b" not in svg
