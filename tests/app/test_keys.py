"""Keys: an F-key for every action (browser consoles), the Ctrl keys kept, the key bar and the help."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding
from textual.command import CommandPalette
from textual.containers import VerticalScroll

from tui.app.app import GovReportApp
from tui.app.screens.dialogs import FindingsScreen, HelpScreen, KeyTable, TooSmallScreen
from tui.app.screens.editor import EditorScreen
from tui.app.screens.export import ExportScreen
from tui.app.screens.review import ReviewScreen, UnitScreen
from tui.app.screens.start import NewReportScreen, StartScreen
from tui.app.widgets.keybar import KeyBar, key_entries, key_name
from tui.app.widgets.section_list import SectionList

BROWSER_TAKES = {"ctrl+n", "ctrl+t", "ctrl+w", "ctrl+q", "ctrl+l", "ctrl+p", "ctrl+s", "ctrl+r"}
"""Keys browsers keep (new window, tab, close, quit, address bar, print, save, reload) or may keep."""

SCREENS = [GovReportApp, EditorScreen, ExportScreen, StartScreen, TooSmallScreen, ReviewScreen, UnitScreen]


def _bindings() -> list[tuple[str, Binding]]:
    return [(cls.__name__, b) for cls in SCREENS for b in cls.BINDINGS if isinstance(b, Binding)]


@pytest.mark.parametrize(("where", "binding"), _bindings(), ids=lambda x: x if isinstance(x, str) else x.id)
def test_every_action_has_a_key_browsers_pass_through(where: str, binding: Binding) -> None:
    keys = [k.strip() for k in binding.key.split(",")]
    safe = [k for k in keys if k not in BROWSER_TAKES and not k.startswith("ctrl+")]
    assert safe, f"{where}: {binding.action} only on {keys}"
    assert binding.id, f"{where}: {binding.action} has no id (keymaps need one)"
    if any(k.startswith("ctrl+") for k in keys):  # a Ctrl key for PuTTY-family clients, and an F-key
        assert any(k in {f"f{i}" for i in range(1, 11)} for k in keys), keys


def test_each_f_key_means_one_thing_per_screen() -> None:
    app_keys = {k for b in GovReportApp.BINDINGS if isinstance(b, Binding) for k in b.key.split(",")}
    for screen in (EditorScreen, ExportScreen, StartScreen, ReviewScreen, UnitScreen):
        own = [k for b in screen.BINDINGS if isinstance(b, Binding) for k in b.key.split(",")]
        assert len(own) == len(set(own)), screen
        # a screen reuses an app key only where the app's action is off there (save/findings/export)
        for key in set(own) & app_keys:
            action = next(b.action for b in GovReportApp.BINDINGS if isinstance(b, Binding) and key in b.key)
            off_there = {(ExportScreen, "export"), (StartScreen, "save")}  # no draft open on the review desk:
            off_there |= {(s, a) for s in (ReviewScreen, UnitScreen) for a in ("save", "findings", "export")}
            assert (screen, action) in off_there, (screen, key)


def test_key_names() -> None:
    assert [key_name(k) for k in ("ctrl+s", "f10", "escape", "l", "shift+tab")] == [
        "Ctrl+S",
        "F10",
        "Esc",
        "L",
        "Shift+Tab",
    ]
    assert key_name("ctrl+s", short=True) == "^S"


def _bar(app: GovReportApp) -> str:
    return str(app.screen.query_one(KeyBar).render())


async def test_f_keys_do_what_the_ctrl_keys_do(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        bar = _bar(app)
        for shown in ("F1 帮助", "F2 保存", "F3 问题", "F4 导出", "F6 下一节", "F7 目录", "F9 命令", "F10 退出"):
            assert shown in bar
        assert "escape" not in bar and "^" not in bar  # 80 columns: the F-keys only
        await pilot.press("f6")
        await pilot.pause()
        assert editor.current == "overview"
        await pilot.press("f5")
        await pilot.pause()
        assert editor.current == "basic"
        await pilot.press("f7")
        assert isinstance(app.focused, SectionList)
        await pilot.press("end")
        assert app.focused.highlight == len(app.focused.sections) - 1
        await pilot.press("pageup")
        assert app.focused.highlight == 0
        await pilot.press("pagedown", "home", "down")
        assert app.focused.highlight == 1
        await pilot.press("f3")
        assert isinstance(app.screen, FindingsScreen)
        await pilot.press("escape", "f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "f9")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape", "f4")
        assert isinstance(app.screen, ExportScreen)
        assert "F4 写入文件" in _bar(app) and "F6 复制" in _bar(app) and "Esc 返回" in _bar(app)
        await pilot.press("escape")
        app.session.set_text("overview", "改过的文字")
        await pilot.press("f2")
        await pilot.pause()
        assert "改过的文字" in huaian_copy.read_text("utf-8") and not app.session.dirty
        app.session.set_text("overview", "退出前的文字")
        await pilot.press("f10")
        await pilot.pause()
    assert "退出前的文字" in huaian_copy.read_text("utf-8")


async def test_the_key_bar_shows_both_keys_when_there_is_room(tmp_path: Path) -> None:
    app = GovReportApp(None, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, StartScreen)
        assert _bar(app).split() == ["F1/^G", "帮助", "F2/^N", "新建报告", "F9/^P", "命令", "F10/^Q", "退出"]
        await pilot.press("f2")  # the app's F2 (save) is off here: the start screen's F2 makes a new report
        assert isinstance(app.screen, NewReportScreen)
        await pilot.press("escape")
        await pilot.resize_terminal(80, 24)  # still room for both here (the editor's bar has only the F-keys)
        await pilot.pause()
        assert _bar(app).split() == ["F1/^G", "帮助", "F2/^N", "新建报告", "F9/^P", "命令", "F10/^Q", "退出"]


async def test_help_scrolls_and_lists_every_key(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        text = str(help_screen.query_one(KeyTable).render())
        for cls in (GovReportApp, EditorScreen, ExportScreen, StartScreen):
            for _action, entry in key_entries(cls):
                assert entry.keys() in text.replace("\n", " "), entry
                assert entry.description[:6] in text, entry
        for words in ("导出界面", "F4 / Ctrl+W", "F7 / Ctrl+T", "Backspace / Delete", "撤销 / 重做", "Excel/WPS"):
            assert words in text
        scroll = help_screen.query_one(VerticalScroll)
        assert app.focused is scroll and scroll.max_scroll_y > 0  # longer than the screen: it scrolls
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y
        lines = text.splitlines()
        assert all(not line.split("  ")[-1].startswith(("，", "。", "）")) for line in lines)
