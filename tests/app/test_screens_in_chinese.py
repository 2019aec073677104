"""Every screen of the app, walked with the keys a clerk uses: no English, no ambiguous-width punctuation.

Textual's own widgets carry English (the command palette's "No matches found", key names like
"escape"); what the clerk sees must be Chinese, apart from key names, format names and file names.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from rich.cells import cell_len
from textual.app import App
from textual.widget import Widget

from tui.app.app import GovReportApp
from tui.app.screens.choice import ChoiceScreen
from tui.app.widgets.display import SCREEN_FORMS

from ..conftest import HUAIAN, TONGJIANG

ALLOWED = {
    # keys
    *(f"F{i}" for i in range(1, 13)),
    *"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "Ctrl", "Esc", "Tab", "Shift", "PageUp", "PageDown", "Home", "End", "Backspace", "Delete",
    # names of formats, programs and protocols the clerk knows by these names
    "Markdown", "HTML", "Word", "Excel", "WPS", "OSC",
}  # fmt: skip
FILE_NAME = re.compile(r"[\w.~/-]*\.(?:toml|txt|md|html|docx|bak)\b|[\w.~-]*(?:/[\w.~-]+)+")
WORD = re.compile(r"[A-Za-z]{2,}|[A-Za-z]\w*")


def screen_text(app: App[object], skip: tuple[Widget, ...] = ()) -> str:
    """What the terminal shows now, one line per row, with the regions of `skip` blanked out."""
    regions = [w.region for w in skip]
    rows = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        cells: list[str] = []
        for ch in strip.text:
            cells += [ch] + [""] * (cell_len(ch) - 1)
        for region in regions:
            if region.y <= y < region.bottom:
                cells[region.x : region.right] = [" "] * (min(region.right, len(cells)) - region.x)
        rows.append("".join(cells))
    return "\n".join(rows)


class Walk:
    """The screens seen so far, and what was wrong on each."""

    def __init__(self, app: App[object]) -> None:
        self.app = app
        self.seen: list[str] = []
        self.problems: list[str] = []

    def look(self, where: str, skip: tuple[Widget, ...] = ()) -> str:
        text = screen_text(self.app, skip)
        self.seen.append(where)
        for word in WORD.findall(FILE_NAME.sub(" ", text)):
            if word not in ALLOWED:
                self.problems.append(f"{where}: English {word!r}")
        for ch in set(text) & set(SCREEN_FORMS):
            self.problems.append(f"{where}: ambiguous-width {ch!r}")
        return text


async def test_every_screen_is_in_chinese(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))  # the folder shows as ~/drafts: file names are not checked
    folder = tmp_path / "drafts"
    folder.mkdir()
    for source in (TONGJIANG, HUAIAN):
        shutil.copy(source, folder / source.name)
    app = GovReportApp(None, folder)
    walk = Walk(app)
    async with app.run_test(size=(80, 24)) as pilot:

        async def press(*keys: str, wait: float = 0.0) -> None:
            await pilot.press(*keys)
            await pilot.pause(wait)

        walk.look("start")
        await press("f2")
        walk.look("new report")
        await press("enter")
        walk.look("new report, no organisation (notification)")
        await press("tab", "tab", "enter")
        walk.look("format list open")
        await press("escape", "escape")
        await press("f1")
        walk.look("help from the start screen")
        await press("escape", "f9")
        walk.look("palette")
        await press(*"甲乙丙", wait=0.8)
        assert "没有找到" in walk.look("palette, nothing found")
        await press("escape")
        app.screen.query_one("#start-list").highlighted = 2  # 导入已发布的报告
        await press("enter")
        walk.look("import: path dialog")
        await press("escape")

        app.screen.dismiss(folder / TONGJIANG.name)  # open a draft
        await pilot.pause()
        for section in app.editor.sections:
            app.editor.show_section(section.id)
            await pilot.pause()
            walk.look(f"editor: {section.title}")
        await press("f3")
        walk.look("findings")
        await press("escape", "f1")
        walk.look("help")
        await press("end")
        walk.look("help, scrolled to the end")
        await press("escape", "f9")
        await press(*"导出", wait=0.5)
        walk.look("palette, searching")
        await press("escape", "f4")
        view = app.screen.query_one("#export-view")
        for key in "12345":  # the preview shows the export as it is (HTML source, Markdown): not checked
            await press(key)
            walk.look(f"export {key}", skip=(view,))
        await press("2", "l")
        walk.look("export, text as a list", skip=(view,))
        await press("f5")
        walk.look("export: save as")
        await press("escape", "f6", wait=0.1)
        walk.look("export: copied (notification)", skip=(view,))
        await press("escape")
        app.push_screen(ChoiceScreen("草稿已被修改", "文件在打开后被修改过。", [("copy", "另存为副本")]))
        await pilot.pause()
        walk.look("a question")
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        walk.look("terminal too small")

    assert len(walk.seen) >= 25
    assert walk.problems == [], "\n".join(walk.problems)


def test_the_check_finds_english_and_ambiguous_punctuation() -> None:
    class Fake:
        pass

    walk = Walk(Fake())  # type: ignore[arg-type]
    walk.seen = []

    def look(text: str) -> list[str]:
        walk.problems = []
        for word in WORD.findall(FILE_NAME.sub(" ", text)):
            if word not in ALLOWED:
                walk.problems.append(word)
        walk.problems += sorted(set(text) & set(SCREEN_FORMS))
        return walk.problems

    assert look("No matches found") == ["No", "matches", "found"]
    assert look(" escape 返回") == ["escape"]
    assert look("“接管”") == ["“", "”"]
    assert look(" F2/^S 保存  Esc 返回  2024-huaian-city-gov.toml  /tmp/x/drafts  Word") == []
