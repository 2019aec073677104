"""Pilot tests: the real app driven by keys, as a clerk uses it."""

from __future__ import annotations

from pathlib import Path

from textual.events import Paste
from textual.widgets import TextArea

from tui.app.app import GovReportApp
from tui.app.screens.dialogs import FindingsScreen, HelpScreen, KeyTable, TooSmallScreen
from tui.app.screens.editor import EditorScreen
from tui.app.screens.export import ExportScreen
from tui.app.widgets.section_list import SectionList
from tui.app.widgets.section_views import BasicView, FinishView, TableView, TextView
from tui.app.widgets.sheet_editor import SheetEditor
from tui.core.formats import CellRef
from tui.core.render import render
from tui.core.session import Status
from tui.core.store import load_report


def R(row: str, col: str) -> CellRef:
    return CellRef("requests", row, col)


async def _open_requests(pilot, app: GovReportApp) -> SheetEditor:  # type: ignore[no-untyped-def]
    app.editor.show_section("requests")
    await pilot.pause()
    grid = app.editor.view.sheet
    assert app.focused is grid
    return grid


async def test_every_section_in_turn(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, EditorScreen)
        kinds = []
        for _ in range(8):
            kinds.append(type(app.editor.view))
            await pilot.press("ctrl+n")
            await pilot.pause()
        assert kinds == [BasicView, TextView, TableView, TableView, TableView, TextView, TextView, FinishView]
        assert type(app.editor.view) is FinishView  # no wrapping round: typing never lands in 基本信息 by surprise
        assert any("已经是最后一节" in n.message for n in app._notifications)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert type(app.editor.view) is TextView
        for _ in range(7):
            await pilot.press("ctrl+b")
        await pilot.pause()
        assert type(app.editor.view) is BasicView
        assert any("已经是第一节" in n.message for n in app._notifications)
        assert len(app.screen.query(SheetEditor)) == 3  # each view built once, then kept
        assert [v.styles.visibility for v in app.screen.query(TableView)] == ["hidden"] * 3


async def test_typing_updates_totals_and_findings(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        grid = await _open_requests(pilot, app)
        report = app.session.report
        await pilot.press("down", "down", "right")  # （一）予以公开 / 商业企业 (21)
        assert grid.ref == R("disclosed", "commercial")
        await pilot.press("2", "5")
        await pilot.pause()
        assert report.value(R("disclosed", "commercial")) == 25
        assert "商业企业：正在输入" in app.editor.view.cell_line.text  # not the value it had, nor （空白）
        assert report.value(R("disclosed", "total")) == 1366  # the row total followed
        assert report.value(R("results_total", "commercial")) == 57  # and the column total
        assert report.value(R("results_total", "total")) == 3054
        rules = {f.rule for f in app.session.findings}
        assert rules == {"T3-BAL", "TXT-NUM"}  # 第一项 + 第二项 ≠ 第三项 + 第四项; part 一 says 答复 3050 件
        assert R("results_total", "commercial") in grid.marks
        status = app.screen.query_one(SectionList).status
        assert status["requests"][0] is Status.PROBLEMS
        await pilot.press("down", "up")
        await pilot.pause()
        assert "商业企业：25" in app.editor.view.cell_line.text  # typing finished: the value
        grid.select(R("results_total", "commercial"))
        await pilot.pause()
        info = app.editor.view.cell_line.text
        assert "随各项自动计算" in info and "T3-BAL" not in info and "第一项 53" in info
        # the clerk corrects 第一项 and everything reconciles again
        await pilot.press("enter")
        grid.select(R("new_requests", "commercial"))
        await pilot.press("5", "7", "enter")
        await pilot.pause()
        assert {f.rule for f in app.session.findings} == {"TXT-NUM"}  # part 一 still says 受理 3119 件
        assert not grid.marks


async def test_a_typed_total_that_disagrees_is_flagged_not_overwritten(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        grid = await _open_requests(pilot, app)
        grid.select(R("new_requests", "total"))
        await pilot.press("9", "9", "enter")
        await pilot.pause()
        report = app.session.report
        assert report.value(R("new_requests", "total")) == 99
        grid.select(R("new_requests", "research"))
        await pilot.press("1", "enter")
        await pilot.pause()
        assert report.value(R("new_requests", "total")) == 99  # the clerk's number stays
        assert R("new_requests", "total") in grid.marks
        assert "T3-ROW" in {f.rule for f in app.session.findings}


async def test_backspace_clears_and_escape_cancels(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        grid = await _open_requests(pilot, app)
        report = app.session.report
        await pilot.press("4", "2")
        await pilot.pause()
        assert report.value(R("new_requests", "natural_person")) == 42
        await pilot.press("escape")
        await pilot.pause()
        assert report.value(R("new_requests", "natural_person")) == 3001
        assert isinstance(app.screen, EditorScreen)  # Esc did nothing else
        await pilot.press("delete")
        await pilot.pause()
        assert report.value(R("new_requests", "natural_person")) is None  # blank, not 0
        assert grid.ref == R("new_requests", "natural_person")


async def test_full_width_digits_and_separators(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_requests(pilot, app)
        await pilot.press("３", "０", "０", "２")
        await pilot.pause()
        assert app.session.report.value(R("new_requests", "natural_person")) == 3002
        assert app.session.report.value(R("new_requests", "total")) == 3120


async def test_paste_a_block_from_a_spreadsheet(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        grid = await _open_requests(pilot, app)
        grid.select(R("state_secret", "natural_person"))
        grid.post_message(Paste("1\t0\t0\r\n2,000\t１\t/\r\n"))
        await pilot.pause()
        report = app.session.report
        assert [report.value(R("state_secret", c)) for c in ("natural_person", "commercial", "research")] == [1, 0, 0]
        assert [report.value(R("prohibited_by_law", c)) for c in ("natural_person", "commercial", "research")] == [
            2000,
            1,
            None,
        ]
        assert report.value(R("state_secret", "total")) == 1  # totals followed the paste
        assert grid.ref == R("state_secret", "natural_person")


async def test_text_part_editing_and_guidance(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        app.editor.show_section("problems")
        await pilot.pause()
        area = app.editor.view.query_one(TextArea)
        assert app.focused is area
        assert "上一年度" in str(app.screen.query_one(".guidance").render())
        area.text = ""
        await pilot.pause()
        assert "P5-NONEMPTY" in {f.rule for f in app.session.findings}
        await pilot.press(*"ok")
        await pilot.pause()
        assert app.session.report.text("problems") == "ok"
        assert "P5-NONEMPTY" not in {f.rule for f in app.session.findings}


async def test_save_and_reopen_at_the_same_place(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        grid = await _open_requests(pilot, app)
        await pilot.press("down", "down", "down", "right", "right", "8")
        await pilot.press("ctrl+s")
        await pilot.pause()
        where = grid.ref
        assert where == R("partly_disclosed", "research")
        await pilot.press("ctrl+q")
    saved = load_report(huaian_copy)
    assert saved.value(where) == 8
    again = GovReportApp(huaian_copy, huaian_copy.parent)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert again.editor.current == "requests"
        assert again.editor.view.sheet.ref == where
        assert again.focused is again.editor.view.sheet


async def test_autosave_after_a_pause(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_requests(pilot, app)
        await pilot.press("1")
        assert app.session.dirty
        await pilot.pause(2.6)
        assert not app.session.dirty
        assert load_report(huaian_copy).value(R("new_requests", "natural_person")) == 1
        assert "已保存" in str(app.screen.query_one("#statusbar").render())


async def test_findings_list_jumps_to_the_cell(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        app.session.set_cell(CellRef("appeals", "cases", "after_total"), 99)
        app.editor.show_change()
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, FindingsScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert app.editor.current == "appeals"
        await pilot.pause()
        assert app.editor.view.sheet.ref == CellRef("appeals", "cases", "after_total")


async def test_export_to_a_file(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("2", "ctrl+w")
        await pilot.pause()
        out = huaian_copy.with_suffix(".txt")
        assert out.read_text(encoding="utf-8") == render(app.session.report, "txt")
        await pilot.press("3", "ctrl+w")
        await pilot.pause()
        assert huaian_copy.with_suffix(".html").exists()
        await pilot.press("escape")
        assert isinstance(app.screen, EditorScreen)


async def test_help_and_small_terminal(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+r")  # redraw: the same screen, sent again
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("ctrl+g")
        assert isinstance(app.screen, HelpScreen)
        assert "重绘屏幕" in str(app.screen.query_one(KeyTable).render())
        await pilot.press("escape")
        assert isinstance(app.screen, EditorScreen)
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "终端窗口太小" in str(app.screen.query_one("#too-small").render())
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)


async def test_the_small_terminal_notice_never_sticks_under_a_dialog(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_requests(pilot, app)
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "草稿已保存" in str(app.screen.query_one("#too-small").render())
        await pilot.press("ctrl+g")  # help opens above the notice
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert not any(isinstance(screen, TooSmallScreen) for screen in app.screen_stack)


async def test_the_small_terminal_notice_says_when_the_work_is_not_on_disk(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_requests(pilot, app)
        app.saver.deferred = True  # the clerk put off a save over a changed file
        await pilot.press("6")
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        notice = str(app.screen.query_one("#too-small").render())
        assert "草稿已保存" not in notice and "仍在内存中" in notice


async def test_hang_up_saves_the_work(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_requests(pilot, app)
        await pilot.press("6")
        app.line.hang_up()
        await pilot.pause()
    assert load_report(huaian_copy).value(R("new_requests", "natural_person")) == 6


async def test_each_text_part_reopens_where_the_clerk_left_it(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        app.editor.show_section("problems")
        await pilot.pause()
        area = app.editor.view.query_one(TextArea)
        area.cursor_location = (0, 5)
        await pilot.pause()
        await pilot.press("ctrl+n")  # 六、其他需要报告的事项: its own place, not part 五's
        await pilot.pause()
        assert app.editor.view.query_one(TextArea).cursor_location == (0, 0)
        await pilot.press("ctrl+b", "ctrl+q")
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.editor.current == "problems"
        assert app.editor.view.query_one(TextArea).cursor_location == (0, 5)
