"""Never lose a word: autosave timing, damaged files and backups, locks, conflicts, disk trouble."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from tui.app import saving
from tui.app.app import GovReportApp
from tui.app.screens.choice import ChoiceScreen
from tui.app.screens.editor import EditorScreen
from tui.app.screens.paths import PathDialog
from tui.core.formats import CellRef
from tui.core.lock import DraftLock
from tui.core.store import backup_path, load_report

from ..conftest import other_session

CELL = CellRef("requests", "new_requests", "natural_person")


async def _type_in_requests(pilot, app: GovReportApp, *keys: str) -> None:  # type: ignore[no-untyped-def]
    app.editor.show_section("requests")
    await pilot.pause()
    await pilot.press(*keys)
    await pilot.pause()


async def test_autosave_at_most_every_max_seconds_while_typing(
    huaian_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVREPORT_AUTOSAVE", "0.4,1.0")  # the 2 s / 10 s promise, scaled down
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        app.editor.show_section("requests")
        await pilot.pause()
        saved_while_typing = []
        for digit in "1234567":  # a key every 0.25 s: never 0.4 s of quiet
            await pilot.press(digit)
            await pilot.pause(0.25)
            saved_while_typing.append(load_report(huaian_copy).value(CELL))
        assert any(v not in (3001, None) for v in saved_while_typing[:5])  # saved within ~1 s of the first key
        await pilot.pause(0.6)
        assert load_report(huaian_copy).value(CELL) == 1234567


async def test_section_change_saves(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        await _type_in_requests(pilot, app, "9")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert load_report(huaian_copy).value(CELL) == 9


async def test_damaged_draft_offers_the_backup(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        await _type_in_requests(pilot, app, "5", "enter")
        await pilot.press("ctrl+s")  # the first save keeps the original as the backup
        await pilot.pause()
        await pilot.press("ctrl+q")
    assert backup_path(huaian_copy).exists()
    damaged = huaian_copy.read_bytes()[:500]  # a save cut off half-way
    huaian_copy.write_bytes(damaged)
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        assert "不是有效的 TOML" in app.screen.message and "第" in app.screen.message
        assert app.screen.choices[0][0] == "backup"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert app.session.report.value(CELL) == 3001  # the backup: the version before the last save
    kept = [p for p in huaian_copy.parent.iterdir() if ".damaged-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged


async def test_a_cut_off_draft_that_still_parses_is_noticed(huaian_copy: Path) -> None:
    backup_path(huaian_copy).write_bytes(huaian_copy.read_bytes())
    text = huaian_copy.read_text(encoding="utf-8")
    huaian_copy.write_text(text[: text.index("[tables.requests.state_secret]")], encoding="utf-8")
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        assert "缺少 162 个单元格" in app.screen.message
        await pilot.press("enter")  # the first answer is the safe one: the backup
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert app.session.report.missing_cells == 0
        assert app.session.report.value(CellRef("appeals", "cases", "review_total")) == 351


async def test_second_session_can_open_read_only(huaian_copy: Path) -> None:
    with other_session(huaian_copy) as other:
        app = GovReportApp(huaian_copy, huaian_copy.parent)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ChoiceScreen)
            assert f"进程 {other.pid}" in app.screen.message
            await pilot.press("enter")  # 只读打开
            await pilot.pause()
            assert app.session.read_only
            before = huaian_copy.read_bytes()
            await _type_in_requests(pilot, app, "7")
            assert app.session.report.value(CELL) == 3001  # nothing typed is taken
            await pilot.press("ctrl+q")
        assert huaian_copy.read_bytes() == before


async def test_take_over_from_a_live_session(huaian_copy: Path) -> None:
    with other_session(huaian_copy) as other:
        app = GovReportApp(huaian_copy, huaian_copy.parent)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("down", "enter")  # 接管
            for _ in range(30):
                await pilot.pause(0.1)
                if isinstance(app.screen, EditorScreen):
                    break
            assert isinstance(app.screen, EditorScreen)
            assert not app.session.read_only
            assert other.wait(timeout=5) != 0  # asked to leave (SIGTERM)
            await _type_in_requests(pilot, app, "8")
            await pilot.press("ctrl+s")
            await pilot.pause()
        assert load_report(huaian_copy).value(CELL) == 8


async def test_changed_under_our_feet_is_never_overwritten_silently(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        await _type_in_requests(pilot, app, "4", "2")
        theirs = huaian_copy.read_text(encoding="utf-8").replace('org = "淮安市人民政府"', 'org = "别人改过"')
        huaian_copy.write_text(theirs, encoding="utf-8")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        assert "被其他程序或其他电脑修改过" in app.screen.message
        await pilot.press("enter")  # 另存为副本
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        copy = app.session.path
        assert copy != huaian_copy and ".副本-" in copy.name
    assert load_report(huaian_copy).org == "别人改过"
    assert load_report(copy).value(CELL) == 42


async def test_a_conflict_found_by_autosave_is_not_answered_by_keys_typed_for_the_table(
    huaian_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVREPORT_AUTOSAVE", "0.2,0.5")
    monkeypatch.setattr(saving, "UNPROMPTED_GRACE", 3.0)  # the keys below land within it on a loaded machine too
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        await _type_in_requests(pilot, app, "4")
        theirs = huaian_copy.read_text(encoding="utf-8").replace('org = "淮安市人民政府"', 'org = "别人改过"')
        huaian_copy.write_text(theirs, encoding="utf-8")
        await pilot.press("2")
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, ChoiceScreen):
                break
        assert isinstance(app.screen, ChoiceScreen) and app.screen.grace == 3.0
        await pilot.press("down", "enter", "escape")  # still typing: none of these answers
        assert isinstance(app.screen, ChoiceScreen)
        assert app.screen.query_one(OptionList).highlighted == 0  # nor moves the highlight
        await pilot.pause(app.screen.grace + 0.1)
        assert app.screen.query_one(OptionList).highlighted == 0  # the keys in the grace moved nothing
        await pilot.press("down", "down", "enter")  # 暂不保存
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen) and app.saver.deferred
        await pilot.press("3")
        await pilot.pause(0.8)  # past the autosave delays: "later" is not asked again on each change
        assert isinstance(app.screen, EditorScreen)
        assert load_report(huaian_copy).org == "别人改过"
        await pilot.press("ctrl+s")  # asked for: asked again, without a grace
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen) and app.screen.grace == 0
        await pilot.press("down", "enter")  # 用我的内容覆盖
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen) and not app.saver.deferred
    assert load_report(huaian_copy).value(CELL) == 423
    assert load_report(huaian_copy).org == "淮安市人民政府"


async def test_quit_over_a_changed_file_asks_one_question(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        await _type_in_requests(pilot, app, "7")
        theirs = huaian_copy.read_text(encoding="utf-8").replace('org = "淮安市人民政府"', 'org = "别人改过"')
        huaian_copy.write_text(theirs, encoding="utf-8")
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("ctrl+q")  # impatient
        await pilot.pause()
        questions = [screen for screen in app.screen_stack if isinstance(screen, ChoiceScreen)]
        assert len(questions) == 1 and questions[0].title_text == "草稿文件被修改过"
        await pilot.press("down", "enter")  # 用我的内容覆盖, then the quit goes on
        await pilot.pause()
        assert not app.is_running
    assert load_report(huaian_copy).value(CELL) == 7


@contextlib.contextmanager
def _small_disk(path: Path, size: str) -> Iterator[Path]:
    path.mkdir()
    if (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path)], capture_output=True
        ).returncode
        != 0
    ):
        pytest.fail("this test needs to mount a small tmpfs (root, as in CI)")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


async def test_full_disk_keeps_the_work_and_saves_elsewhere(huaian_copy: Path, tmp_path: Path) -> None:
    with _small_disk(tmp_path / "small", "64k") as disk:
        draft = disk / "d.toml"
        draft.write_bytes(huaian_copy.read_bytes())
        app = GovReportApp(draft, disk)
        async with app.run_test(size=(120, 40)) as pilot:
            await _type_in_requests(pilot, app, "6", "enter")
            with contextlib.suppress(OSError), open(disk / "filler", "wb") as fh:  # fill the disk
                fh.write(b"\0" * 1024 * 1024)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, ChoiceScreen)
            assert "保存失败" in app.screen.title_text and "没有丢失" in app.screen.message
            assert app.session.dirty and app.session.report.value(CELL) == 6
            await pilot.press("down", "enter")  # 另存到其他位置
            await pilot.pause()
            assert isinstance(app.screen, PathDialog)
            elsewhere = tmp_path / "elsewhere.toml"
            app.screen.query_one(Input).value = str(elsewhere)
            await pilot.press("enter")
            await pilot.pause()
            assert not app.session.dirty and app.session.path == elsewhere
        assert load_report(elsewhere).value(CELL) == 6
        assert load_report(draft).value(CELL) == 3001  # the old file is still whole


async def test_read_only_folder(huaian_copy: Path, tmp_path: Path) -> None:
    """No lock can be taken in a read-only folder: the draft opens read-only, and Ctrl+S offers to save a copy."""
    with _small_disk(tmp_path / "ro", "1m") as disk:
        draft = disk / "d.toml"
        draft.write_bytes(huaian_copy.read_bytes())
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        app = GovReportApp(draft, disk)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, EditorScreen) and app.session.read_only
            await _type_in_requests(pilot, app, "3")
            assert not app.session.dirty and app.session.report.value(CELL) == 3001
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, PathDialog)
            elsewhere = tmp_path / "copy.toml"
            app.screen.query_one(Input).value = str(elsewhere)
            await pilot.press("enter")
            await pilot.pause()
            assert app.session.path == elsewhere and not app.session.read_only
        assert load_report(elsewhere).value(CELL) == 3001


def test_new_drafts_and_backups_are_private(huaian_copy: Path) -> None:
    from tui.core.store import save_report

    report = load_report(huaian_copy)
    target = huaian_copy.parent / "new.toml"
    os.umask(0o022)
    save_report(report, target)
    save_report(report, target)
    assert target.stat().st_mode & 0o077 == 0
    assert backup_path(target).stat().st_mode & 0o077 == 0
    lock = DraftLock(target)
    lock.acquire()
    assert (target.parent / f".{target.name}.lock").stat().st_mode & 0o077 == 0
    lock.release()


async def test_a_disk_error_during_autosave_is_told_once_and_retried(
    huaian_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVREPORT_AUTOSAVE", "0.2,0.6")
    with _small_disk(tmp_path / "small", "64k") as disk:
        draft = disk / "d.toml"
        draft.write_bytes(huaian_copy.read_bytes())
        app = GovReportApp(draft, disk)
        async with app.run_test(size=(120, 40)) as pilot:
            filler = disk / "filler"
            with contextlib.suppress(OSError), open(filler, "wb") as fh:  # fill the disk
                fh.write(b"\0" * 1024 * 1024)
            await _type_in_requests(pilot, app, "7")
            await pilot.pause(0.6)  # the autosave tried and failed
            await pilot.press("8")
            await pilot.pause(0.6)  # and again: still one message
            told = [n for n in app._notifications if "修改仍在内存中" in n.message]
            assert len(told) == 1 and app.session.dirty
            filler.unlink()  # the clerk (or the administrator) makes room
            await pilot.pause(0.6)  # the next retry saves, without Ctrl+S
            assert not app.session.dirty
        assert load_report(draft).value(CELL) == 78


async def test_quit_with_work_that_cannot_be_saved_asks_first(huaian_copy: Path, tmp_path: Path) -> None:
    with _small_disk(tmp_path / "small", "64k") as disk:
        draft = disk / "d.toml"
        draft.write_bytes(huaian_copy.read_bytes())
        app = GovReportApp(draft, disk)
        async with app.run_test(size=(120, 40)) as pilot:
            await _type_in_requests(pilot, app, "5")
            with contextlib.suppress(OSError), open(disk / "filler", "wb") as fh:
                fh.write(b"\0" * 1024 * 1024)
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert isinstance(app.screen, ChoiceScreen) and "还有修改没有保存" in app.screen.title_text
            await pilot.press("down", "enter")  # 不退出
            await pilot.pause()
            assert isinstance(app.screen, EditorScreen) and app.is_running
            await pilot.press("ctrl+q")
            await pilot.pause()
            await pilot.press("down", "down", "enter")  # 放弃修改，直接退出
            await pilot.pause()
            assert not app.is_running
        assert load_report(draft).value(CELL) == 3001  # the file on disk is whole, without the change
