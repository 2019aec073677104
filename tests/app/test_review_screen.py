"""The review screen driven with Pilot: the list, sorting and filtering, a unit read-only,
statuses under the lock, and what the unit sees in its own wizard."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

from tui.app.app import GovReportApp
from tui.app.screens.choice import ChoiceScreen
from tui.app.screens.editor import EditorScreen
from tui.app.screens.review import CommentDialog, ReviewScreen, UnitScreen
from tui.app.screens.start import StartScreen
from tui.app.widgets.unit_list import UnitList
from tui.core.review import ReviewStatus
from tui.core.store import dumps_report, load_report
from tui.core.units import SortKey

from ..conftest import other_session
from ..units import damage, write_units

TODAY = dt.date(2026, 1, 25)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(ReviewScreen, "today_default", staticmethod(lambda: TODAY))
    units = tmp_path / "units"
    written = write_units(units, 9)
    damage(written[-1][0])
    return units


async def loaded(app: GovReportApp, pilot) -> ReviewScreen:  # type: ignore[no-untyped-def]
    for _ in range(100):
        await pilot.pause(0.05)
        screen = app.screen
        if isinstance(screen, ReviewScreen) and not screen.loading:
            await pilot.pause()
            return screen
    raise AssertionError("the review screen never finished reading the folder")


def notes(app: GovReportApp) -> str:
    return "\n".join(n.message for n in app._notifications)


async def test_the_list_sorts_filters_and_summarises(folder: Path) -> None:
    app = GovReportApp(None, folder, review=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(app, pilot)
        units = screen.query_one(UnitList)
        assert len(units.units) == 9 and [u.path.name for u in units.units] == sorted(u.path.name for u in units.units)
        summary = str(screen.query_one("#review-summary").render())
        assert summary.startswith("共 9 个单位：有错误 ") and "无法读取 1" in summary
        await pilot.press("ctrl+o")  # by status: 待审 first
        assert screen.sort_key is SortKey.STATUS and units.units[0].status is ReviewStatus.SUBMITTED
        assert "排序：审核状态" in str(screen.query_one("#review-heading").render())
        await pilot.press("ctrl+l", "ctrl+l")  # 待审, then 退回
        assert screen.status_filter is ReviewStatus.RETURNED
        assert units.units and all(u.status is ReviewStatus.RETURNED for u in units.units)
        await pilot.press("ctrl+l", "ctrl+l", "ctrl+l", "e")  # all again, only those with errors
        assert screen.status_filter is None and all(u.errors or not u.readable for u in units.units)
        assert "（列出" in str(screen.query_one("#review-summary").render())


@pytest.mark.parametrize(("key", "dialog"), [("X", "导出问题清单"), ("U", "汇总")])
async def test_letter_keys_work_with_shift_or_caps_lock(folder: Path, key: str, dialog: str) -> None:
    """The key bar shows X, U and E as capitals: typed as capitals (Shift, Caps Lock) they do the same."""
    app = GovReportApp(None, folder, review=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(app, pilot)
        await pilot.press("E")
        assert screen.errors_only
        await pilot.press(key)
        await pilot.pause()
        assert app.screen is not screen and dialog in "".join(str(s.render()) for s in app.screen.query(Static))


async def test_a_unit_read_only_and_statuses(folder: Path) -> None:
    app = GovReportApp(None, folder, review=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(app, pilot)
        units = screen.query_one(UnitList)
        await pilot.press("down", "enter")  # 0001: a department with an error
        await pilot.pause()
        assert isinstance(app.screen, UnitScreen)
        unit_screen = app.screen
        assert unit_screen.checked.unit.path.name == "0001.toml" and unit_screen.checked.unit.errors == 2
        assert not (folder / ".0001.toml.lock").exists()  # read without taking its lock
        assert unit_screen.query_one(OptionList).option_count == len(unit_screen.checked.findings)
        await pilot.press("ctrl+a")
        await pilot.pause()
        assert "不能通过" in notes(app)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert isinstance(app.screen, CommentDialog)
        await pilot.press("enter")  # no comment: refused
        assert isinstance(app.screen, CommentDialog) and "必须写明原因" in notes(app)
        app.screen.query_one(Input).value = "表三第一项不平衡"
        await pilot.press("enter")
        await pilot.pause()
        saved = load_report(folder / "0001.toml")
        assert saved.review.status is ReviewStatus.RETURNED
        assert saved.review.last_comment is not None and saved.review.last_comment.comment == "表三第一项不平衡"
        assert app.screen is unit_screen and "退回" in str(unit_screen.query_one("#unit-facts").render())
        await pilot.press("escape")
        await pilot.pause()
        assert units.current is not None and units.current.status is ReviewStatus.RETURNED
        await pilot.press("down", "ctrl+a")  # 0002: clean
        await pilot.pause()
        assert load_report(folder / "0002.toml").review.status is ReviewStatus.APPROVED
        assert units.current is not None and units.current.status is ReviewStatus.APPROVED


async def test_a_status_change_respects_the_lock(folder: Path) -> None:
    busy = folder / "0002.toml"
    before = busy.read_bytes()
    with other_session(busy, program="another-editor"):
        app = GovReportApp(None, folder, review=folder)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await loaded(app, pilot)
            units = screen.query_one(UnitList)
            units.move_to(2)
            assert units.current is not None and units.current.locked_by
            await pilot.press("ctrl+a")
            await pilot.pause()
            assert isinstance(app.screen, ChoiceScreen)
            ids = [app.screen.query_one(OptionList).get_option_at_index(i).id for i in range(2)]
            assert ids == ["retry", "cancel"]  # nobody to take over from: retry or leave it
            await pilot.press("down", "enter")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
    assert busy.read_bytes() == before


async def test_export_and_sum_from_the_screen(folder: Path) -> None:
    damaged = folder / "0008.toml"
    damaged.unlink()
    app = GovReportApp(None, folder, review=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one(Input).value = str(folder.parent / "清单.csv")
        await pilot.press("enter")
        for _ in range(50):
            await pilot.pause(0.05)
            if (folder.parent / "清单.csv").exists():
                break
        assert (folder.parent / "清单.csv").read_bytes().startswith(b"\xef\xbb\xbf")
        await pilot.press("u")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#sum-org", Input).value = "某县人民政府"
        dialog.query_one("#sum-output", Input).value = str(folder.parent / "全县.toml")
        await pilot.press("enter")
        for _ in range(50):
            await pilot.pause(0.05)
            if isinstance(app.screen, ChoiceScreen):
                break
        assert "已汇总 8 份草稿" in str(app.screen.query_one(".message").render())
        assert load_report(folder.parent / "全县.toml").summed is not None
        assert screen.is_attached


async def _palette(pilot, name: str) -> None:  # type: ignore[no-untyped-def]
    """Run a command by its name from the palette (F9), as a clerk in a browser console does."""
    await pilot.press("f9")
    await pilot.pause()
    await pilot.press(*name)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()


async def test_the_unit_sees_the_status_and_cannot_submit_with_errors(folder: Path) -> None:
    app = GovReportApp(folder / "0001.toml", folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        await _palette(pilot, "提交审核")
        assert "不能提交审核" in notes(app)
        assert load_report(folder / "0001.toml").review.status is ReviewStatus.DRAFT
    app = GovReportApp(folder / "0002.toml", folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await _palette(pilot, "提交审核")
        assert load_report(folder / "0002.toml").review.status is ReviewStatus.SUBMITTED
        assert "审核：待审" in str(app.screen.query_one("#statusbar").render())
    returned = folder / "0003.toml"  # a township returned with a comment
    from tui.core.units import set_unit_status

    set_unit_status(returned, ReviewStatus.RETURNED, comment="请补充第五部分")
    app = GovReportApp(returned, folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "审核：退回：请补充第五部分" in str(app.screen.query_one("#statusbar").render())
    app = GovReportApp(None, folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        listing = app.screen.query_one(OptionList)
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert any("审核：退回（请补充第五部分）" in p for p in prompts)
        assert any("审核：列出一个文件夹" in p for p in prompts)


async def test_an_approved_report_changed_by_its_unit_goes_back_to_draft(folder: Path) -> None:
    approved = folder / "0000.toml"
    assert load_report(approved).review.status is ReviewStatus.APPROVED
    app = GovReportApp(approved, folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "审核：通过" in str(app.screen.query_one("#statusbar").render())
        app.editor.show_section("requests")
        await pilot.pause()
        await pilot.press("7", "enter")
        await pilot.pause()
        assert "审核：草稿：通过后修改了报告内容" in str(app.screen.query_one("#statusbar").render())
        assert "需要重新提交审核" in notes(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = load_report(approved).review
    assert saved.status is ReviewStatus.DRAFT
    assert saved.history[-1].comment.startswith("通过后修改了报告内容")


async def test_showing_the_form_is_not_a_change(folder: Path) -> None:
    """A stored name with a space around it is shown as it is: opening 基本信息 changes nothing."""
    approved = folder / "0000.toml"
    report = load_report(approved)
    report.org = " " + report.org + " "
    approved.write_text(dumps_report(report), encoding="utf-8")
    app = GovReportApp(approved, folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.editor.show_section("basic")
        await pilot.pause()
        await pilot.pause()
        assert app.session is not None and not app.session.dirty
        assert app.session.report.review.status is ReviewStatus.APPROVED
