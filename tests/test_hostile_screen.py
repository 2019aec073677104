"""Nothing from a file reaches the terminal raw, in the full-screen app: names, organisations, texts.

The installed app runs in a pseudo-terminal; the assertions are on the raw bytes it wrote.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tui.core.store import load_report, save_report

from .conftest import HUAIAN
from .terminal import Terminal, draft_at

CLIPBOARD = "\x1b]52;c;cHduZWQ=\x07"  # OSC 52: write "pwned" to the clipboard
TITLE = "\x1b]0;pwned\x07"  # OSC 0: retitle the window
HOSTILE_NAMES = [f"{CLIPBOARD}clip.toml", f"{TITLE}title.toml", "bidi\u202eevil.toml", "c1\u009b31mred.toml"]


def _no_raw_escapes(output: bytes) -> None:
    output = output.replace(b"\x1b]22;default\x07", b"")  # Textual's own: the mouse pointer's shape
    assert b"\x1b]" not in output and b"\x07" not in output  # no other OSC (what is left of one is plain text)
    assert "\u202e".encode() not in output and "\u009b".encode() not in output


def _hostile_folder(folder: Path) -> list[Path]:
    folder.mkdir()
    drafts = []
    for name in HOSTILE_NAMES:
        draft = folder / name
        report = load_report(HUAIAN)
        report.org = f"淮安市[/]人民政府[b]{TITLE}"
        save_report(report, draft)
        drafts.append(draft)
    return drafts


def test_hostile_names_on_the_start_screen(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    _hostile_folder(folder)
    with Terminal(None, args=["--dir", str(folder)], env={"GOVREPORT_DIR": str(folder)}) as term:
        term.wait_for("clip.toml")
        term.wait_for("title.toml")
        assert "人民政府" in term.text()
        assert term.quit() == 0
    _no_raw_escapes(bytes(term.output))


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=["osc52", "title", "bidi", "c1"])
def test_hostile_name_and_organisation_in_the_editor_and_exports(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "drafts"
    draft = next(d for d in _hostile_folder(folder) if d.name == name)
    with Terminal(draft) as term:
        term.wait_for("机关名称")
        assert "淮安市[/]人民政府[b]" in term.text()  # shown as typed, never taken as markup
        term.type(["ctrl-e"])
        term.wait_for("Markdown")
        term.type(["ctrl-w"])  # the notice names the file written
        term.wait_for("已导出到")
        term.type(["esc"])
        assert term.quit() == 0
    _no_raw_escapes(bytes(term.output))


def test_the_plain_view_saves_and_leaves_on_sigterm(tmp_path: Path) -> None:
    draft = draft_at(HUAIAN, tmp_path / "draft.toml", section="requests", cell="new_requests/natural_person")
    with Terminal(draft) as term:
        term.wait_for("本年新收")
        term.type(["7", "down", "ctrl-e"])
        term.wait_for("Markdown")
        term.type(["ctrl-t"])
        term.wait_for("按回车键返回")
        os.kill(term.pid, signal.SIGTERM)
        assert term.wait_exit() == 0
    assert load_report(draft).value(("requests", "new_requests", "natural_person")) == 7  # type: ignore[arg-type]


def test_the_plain_view_saves_when_the_terminal_goes_away(tmp_path: Path) -> None:
    draft = draft_at(HUAIAN, tmp_path / "draft.toml", section="requests", cell="new_requests/natural_person")
    term = Terminal(draft, controlling=False)
    term.wait_for("本年新收")
    term.type(["8", "down", "ctrl-e"])
    term.wait_for("Markdown")
    term.type(["ctrl-t"])
    term.wait_for("按回车键返回")
    term.close()
    started = time.monotonic()
    assert term.wait_exit() == 0 and time.monotonic() - started < 5
    assert load_report(draft).value(("requests", "new_requests", "natural_person")) == 8  # type: ignore[arg-type]


def test_the_plain_view_returns_on_enter(tmp_path: Path) -> None:
    draft = draft_at(HUAIAN, tmp_path / "draft.toml", section="requests", cell="new_requests/natural_person")
    with Terminal(draft) as term:
        term.wait_for("本年新收")
        term.type(["ctrl-e"])
        term.wait_for("Markdown")
        term.type(["ctrl-t"])
        term.wait_for("按回车键返回")
        term.type(["enter"])
        term.wait_for("写入文件")
        term.type(["esc"])
        assert term.quit() == 0


async def test_a_paragraph_of_a_million_characters_does_not_stall_the_editor(tmp_path: Path) -> None:
    """Textual redraws a whole paragraph per screen line: such a part is shown, not edited, and the rest works."""
    from textual.widgets import Static, TextArea

    from tui.app.app import GovReportApp

    draft = draft_at(HUAIAN, tmp_path / "draft.toml", section="problems")
    report = load_report(draft)
    report.set_text("problems", "很长的一行" * 260_000)
    save_report(report, draft)
    app = GovReportApp(draft, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.editor.view
        assert not view.query(TextArea)
        assert any("无法在这里编辑" in str(s.render()) for s in view.query(Static))
        await pilot.press("ctrl+b")  # the rest of the report is as usual
        await pilot.pause()
        assert app.editor.current == "appeals"
        area_text = load_report(draft).text("problems")
    assert len(area_text) == 1_300_000  # nothing lost


def test_a_session_taken_over_says_so_on_its_terminal(tmp_path: Path) -> None:
    """SIGTERM (another session chose 接管): the work is saved, and the terminal it leaves says why."""
    draft = draft_at(HUAIAN, tmp_path / "draft.toml", section="requests", cell="new_requests/natural_person")
    with Terminal(draft) as term:
        term.wait_for("本年新收")
        term.type(["7"])
        os.kill(term.pid, signal.SIGTERM)
        assert term.wait_exit() == 0
        term.settle()
        left = bytes(term.output).decode("utf-8", "replace")
    assert "收到结束信号" in left and "接管" in left and "草稿已保存" in left
    assert load_report(draft).value(("requests", "new_requests", "natural_person")) == 7  # type: ignore[arg-type]
