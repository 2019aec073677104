"""The table on screen: fewer keys for the clerk, and what the line under the table says."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.keys import _character_to_key
from textual.widgets import Input, Static, TextArea

from tui.app.app import GovReportApp
from tui.app.screens.cell_details import CellDetailsScreen
from tui.app.screens.choice import ChoiceScreen
from tui.app.widgets.display import screen_text
from tui.app.widgets.section_views import BasicView, CellLine, TableView, TextView, location_of
from tui.app.widgets.sheet_editor import LABEL_WIDTHS, SheetEditor
from tui.app.widgets.text_editor import TextEditor, line_marks
from tui.core.formats import CellRef, get_format
from tui.core.new_drafts import blank_report
from tui.core.report import PREAMBLE
from tui.core.settings import Settings
from tui.core.store import load_report, save_report

CELL = CellRef("requests", "new_requests", "natural_person")


def R(row: str, col: str) -> CellRef:
    return CellRef("requests", row, col)


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config" / "settings.toml"
    monkeypatch.setenv("GOVREPORT_CONFIG", str(path))
    return path


async def _sheet(pilot, app: GovReportApp, section: str = "requests") -> SheetEditor:  # type: ignore[no-untyped-def]
    app.editor.show_section(section)
    await pilot.pause()
    view = app.editor.view
    assert isinstance(view, TableView)
    return view.sheet


async def test_fill_blank_cells_with_zero_asks_first(tmp_path: Path) -> None:
    draft = tmp_path / "new.toml"
    save_report(blank_report(get_format("2021"), "某县民政局", 2025), draft)
    app = GovReportApp(draft, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        sheet = await _sheet(pilot, app)
        await pilot.press("1", "2", "enter")  # 第一项/自然人 = 12
        blanks = len(app.session.blank_cells("requests"))  # 175 less the typed cell and its row total
        assert blanks == 173
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen) and "173 个空白单元格" in app.screen.message
        await pilot.press("escape")  # changed my mind
        await pilot.pause()
        assert app.session.report.value(R("carried_over", "natural_person")) is None
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("enter")  # 都填为 0
        await pilot.pause()
        report = app.session.report
        assert app.session.blank_cells("requests") == []
        assert report.value(R("new_requests", "natural_person")) == 12  # what was typed stays
        assert report.value(R("new_requests", "total")) == 12  # totals followed their parts
        assert report.value(R("carried_over", "commercial")) == 0
        assert "已把 173 个空白单元格填为 0" in app.editor.view.cell_line.text
        assert sheet.cursor == (1, 0)


async def test_enter_goes_right_when_asked_and_remembers(tmp_path: Path, huaian_copy: Path, own_settings: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        sheet = await _sheet(pilot, app)
        await pilot.press("enter")
        assert sheet.cursor == (1, 0)  # down, by default
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert "回车键现在向右移动" in app.editor.view.cell_line.text
        await pilot.press("enter")
        assert sheet.cursor == (1, 1)  # now to the right
    assert Settings.load(own_settings).enter_goes_right
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        sheet = await _sheet(pilot, app, "appeals")
        start = sheet.cursor
        await pilot.press("enter")
        assert sheet.cursor == (start[0], start[1] + 1)  # remembered in the next session


async def test_jumps_to_the_ends_and_by_a_screen(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        sheet = await _sheet(pilot, app)
        sheet.cursor = (3, 2)
        await pilot.press("end")
        assert sheet.cursor == (3, 6)
        await pilot.press("home")
        assert sheet.cursor == (3, 0)
        await pilot.press("ctrl+end")
        assert sheet.cursor == (24, 0)  # 四、结转下年度继续办理
        await pilot.press("ctrl+home")
        assert sheet.cursor == (0, 0)
        await pilot.press("pagedown")
        assert sheet.cursor[0] == sheet.body_height - 1
        await pilot.pause()
        assert sheet.cell_region(sheet.cursor) is not None  # and it is in sight
        await pilot.press("pageup")
        assert sheet.cursor == (0, 0)


async def test_a_cell_that_widens_while_typing_stays_in_sight(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        sheet = await _sheet(pilot, app)
        await pilot.press("end")
        await pilot.pause()
        await pilot.press(*"12345678901234")
        await pilot.pause()
        block = sheet.sheet.rows[sheet.cursor[0]][0]
        width = sheet.sheet.col_widths[block][sheet.cursor[1]]
        region = sheet.cell_region(sheet.cursor)
        assert region is not None and region.width == width  # the whole cell, not cut at the right edge


async def test_a_letter_in_a_number_cell_says_why_nothing_happened(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        await _sheet(pilot, app)
        before = app.session.report.value(CELL)
        await pilot.press("a")
        await pilot.pause()
        assert app.session.report.value(CELL) == before and not app.session.dirty
        line = app.editor.view.cell_line.text
        assert "a" in line and "没有填入" in line and "只能填数字" in line


@pytest.mark.parametrize("typed", ["1,234", "1，234", "１，２３４"])
async def test_thousands_separators_are_typed_as_the_line_says(huaian_copy: Path, typed: str) -> None:
    """The line under the table says thousands separators are fine: typed, they are taken, not refused."""
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        view_sheet = await _sheet(pilot, app)
        for char in typed:  # as the terminal parser makes them (Pilot drops the character of "，")
            app.post_message(events.Key(_character_to_key(char), char))
            await pilot.pause()
        assert app.session.report.value(CELL) == 1234
        assert view_sheet.buffer == typed  # the cell shows what was typed
        assert "没有填入" not in app.editor.view.cell_line.text


async def test_cell_details_and_the_label_width(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        sheet = await _sheet(pilot, app)
        view = app.editor.view
        assert view.label_width == LABEL_WIDTHS[1]
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert view.label_width == LABEL_WIDTHS[2]
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert view.label_width == LABEL_WIDTHS[0]
        sheet.select(R("partly_disclosed", "commercial"))
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert isinstance(app.screen, CellDetailsScreen)
        shown = "\n".join(str(s.render()) for s in app.screen.query("Static"))
        assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in shown  # the full label, at last
        assert "检查没有发现涉及这一格的问题" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is sheet
        sheet.select(R("new_requests", "commercial"))
        await pilot.press("5", "4", "ctrl+d")
        await pilot.pause()
        shown = "\n".join(str(s.render()) for s in app.screen.query("Static"))
        assert "现在：54" in shown and "T3-BAL" in shown and "第一项 54" in shown  # every finding about it


async def test_the_line_under_the_table_names_the_cell_in_full(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        sheet = await _sheet(pilot, app)
        sheet.select(R("partly_disclosed", "research"))
        await pilot.pause()
        line = app.editor.view.cell_line.text.replace("\n", "")
        assert "三、本年度办理结果／（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in line
        assert "申请人情况／法人或其他组织／科研机构" in line


async def test_the_opening_paragraph_is_written_in_the_basic_section(tmp_path: Path) -> None:
    draft = tmp_path / "new.toml"
    save_report(blank_report(get_format("2021"), "某县民政局", 2025), draft)
    assert "自 2025 年 1 月 1 日至 2025 年 12 月 31 日" in load_report(draft).text(PREAMBLE)
    app = GovReportApp(draft, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.editor.view, BasicView)
        assert any(f.rule == "TXT-BLANK" for f in app.session.findings)  # 【请填写】 left to complete
        area = app.editor.view.query_one("#preamble", TextArea)
        area.focus()
        await pilot.pause()
        area.text = "本报告由某县民政局办公室编制。"
        await pilot.pause()
        assert app.session.report.text(PREAMBLE) == "本报告由某县民政局办公室编制。"
        assert not any(f.rule == "TXT-BLANK" for f in app.session.findings)
        assert app.editor.view.query_one("#org", Input).value == "某县民政局"


async def test_a_table_without_row_labels_gives_their_room_to_the_cells(huaian_copy: Path) -> None:
    """Table 四 is one unlabelled row: at 80 columns an empty label column would hide four cells."""
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        app.editor.show_section("appeals")
        await pilot.pause()
        view = app.editor.view
        assert isinstance(view, TableView) and not view.labels.display
        assert view.sheet.size.width >= view.size.width - 2
        assert view.cell_line.text.startswith("行政复议／结果维持：")
        app.editor.show_section("requests")
        await pilot.pause()
        assert app.editor.view.labels.display  # tables with labels keep them


async def test_a_year_being_typed_says_which_year_is_kept(tmp_path: Path) -> None:
    draft = tmp_path / "new.toml"
    save_report(blank_report(get_format("2021"), "某县民政局", 2025), draft)
    app = GovReportApp(draft, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        year = app.editor.view.query_one("#year", Input)
        year.focus()
        await pilot.pause()
        await pilot.press("backspace", "2")  # focus selected the year: the clerk types a new one
        await pilot.pause()
        assert year.value == "2" and year.has_class("-invalid")
        assert "草稿仍按 2025 年保存" in str(app.editor.view.query_one("#derived-info", Static).render())
        assert app.session.report.year == 2025
        await pilot.press(*"026")
        await pilot.pause()
        assert not year.has_class("-invalid") and app.session.report.year == 2026
        assert "2026" in str(app.editor.view.query_one("#derived-info", Static).render())


async def test_a_text_finding_opens_its_part_with_the_sentence_selected(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        app.session.set_cell(R("results_total", "total"), 3000)
        app.editor.show_change()
        finding = next(f for f in app.session.findings if f.rule == "TXT-NUM")
        app.editor.jump_to(finding)
        await pilot.pause()
        view = app.editor.view
        assert isinstance(view, TextView) and view.section.id == finding.part
        area = view.query_one(TextArea)
        assert app.focused is area
        assert area.selected_text == app.session.report.text(finding.text or "")[finding.start : finding.end]
        assert finding.quote and finding.quote.strip("。") in area.selected_text + "。"


async def test_the_sentence_a_finding_is_about_is_underlined_and_explained(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        app.session.set_cell(R("results_total", "total"), 3000)
        app.editor.show_change()
        finding = next(f for f in app.session.findings if f.rule == "TXT-NUM")
        assert finding.start is not None and finding.end is not None
        app.editor.show_section(finding.part or "")
        await pilot.pause()
        area = app.editor.view.query_one(TextEditor)
        note = app.editor.view.query_one("#text-note", CellLine)
        text = app.session.report.text(finding.text or "")
        area.cursor_location = location_of(text, 0)  # away from the sentence: how many, and where to look
        await pilot.pause()
        assert note.display and note.text.startswith("1 处文字带下划线")
        area.cursor_location = location_of(text, finding.start + 2)
        area.scroll_cursor_visible(center=True)
        await pilot.pause()
        assert note.text.replace("\n", "") == screen_text(f"[警告] {finding.message}").replace("\n", "")
        underlined = "".join(
            "".join(t for t, style, _ in area.render_line(y) if style is not None and style.underline)
            for y in range(area.size.height)
        )
        assert underlined and underlined in text[finding.start : finding.end].replace("\n", "")
        assert text[finding.start : finding.start + 8] in underlined  # the sentence from its start
        app.session.set_cell(R("results_total", "total"), 3050)  # the table agrees with the text again
        app.editor.show_change()
        await pilot.pause()
        assert not area._marks and not note.display


def test_marks_are_byte_offsets_per_line() -> None:
    text = "第一行。\n受理申请 12 件。答复 3 件。\n末行"
    start = text.index("答复")
    assert line_marks(text, [(start, len(text) - 3)]) == {1: [(len("受理申请 12 件。".encode()), None)]}
    across = {0: [(len("第一".encode()), None)], 1: [(0, len("受理申请 ".encode()))]}
    assert line_marks(text, [(2, text.index("12"))]) == across
    assert line_marks(text, [(0, 0)]) == {}


async def test_the_table_actions_are_in_the_command_palette(huaian_copy: Path) -> None:
    """Browser consoles keep some Ctrl keys: every table action can also be found by name (F9)."""
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(100, 30)) as pilot:
        sheet = await _sheet(pilot, app)
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press(*"单元格详情")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CellDetailsScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press(*"本列最后一格")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert sheet.cursor == (24, 0)
