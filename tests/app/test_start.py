"""The start screen: the drafts folder, a new report, the bundled examples."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import Input, OptionList, Select

from tui.app.app import GovReportApp
from tui.app.screens.choice import ChoiceScreen
from tui.app.screens.editor import EditorScreen
from tui.app.screens.start import NewReportScreen, StartScreen, default_year
from tui.core.drafts_folder import drafts_dir, new_draft_path, scan
from tui.core.store import load_report

from ..conftest import HUAIAN_SOURCE


def test_default_year_follows_the_reporting_calendar() -> None:
    assert default_year(dt.date(2027, 1, 10)) == 2026
    assert default_year(dt.date(2026, 11, 26)) == 2026
    assert default_year(dt.date(2026, 5, 1)) == 2025


def test_drafts_dir_precedence(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GOVREPORT_DIR", str(tmp_path / "env"))
    assert drafts_dir(tmp_path / "flag") == tmp_path / "flag"
    assert drafts_dir() == tmp_path / "env"
    monkeypatch.delenv("GOVREPORT_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert drafts_dir() == tmp_path / "xdg" / "govreport-tui" / "drafts"


def test_scan_and_new_names(huaian_copy: Path) -> None:
    (huaian_copy.parent / "broken.toml").write_text("", encoding="utf-8")
    infos = {i.path.name: i for i in scan(huaian_copy.parent)}
    assert infos[huaian_copy.name].org == "淮安市人民政府" and infos[huaian_copy.name].errors == 0
    assert "文件是空的" in infos["broken.toml"].problem
    assert new_draft_path(huaian_copy.parent, "某县/民政局", 2025).name == "2025-某县民政局.toml"


async def test_start_lists_drafts_and_opens_one(huaian_copy: Path) -> None:
    app = GovReportApp(None, huaian_copy.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, StartScreen)
        listing = app.screen.query_one(OptionList)
        assert listing.get_option_at_index(0).id == "new"
        assert listing.get_option_at_index(listing.highlighted).id == "draft:0"  # the newest draft
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert app.session.path == huaian_copy


async def test_new_report_from_the_start_screen(tmp_path: Path) -> None:
    app = GovReportApp(None, tmp_path / "drafts")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, NewReportScreen)
        await pilot.press(*"某县民政局")
        year = app.screen.query_one("#new-year", Input)
        year.value = "2020"
        await pilot.pause()
        assert app.screen.query_one("#new-format", Select).value == "2019-trial"  # proposed from the year
        year.value = "2025"
        await pilot.pause()
        assert app.screen.query_one("#new-format", Select).value == "2021"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        path = tmp_path / "drafts" / "2025-某县民政局.toml"
        report = load_report(path)
        assert (report.org, report.year, report.format.id) == ("某县民政局", 2025, "2021")
        assert (path.stat().st_mode & 0o077) == 0


async def test_a_new_report_that_already_has_a_draft_offers_it(huaian_copy: Path) -> None:
    folder = huaian_copy.parent
    before = sorted(p.name for p in folder.glob("*.toml"))
    for answer, opened in (("enter", huaian_copy), ("down enter", None)):
        app = GovReportApp(None, folder)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("ctrl+n")
            await pilot.pause()
            await pilot.press(*"淮安市人民政府")
            app.screen.query_one("#new-year", Input).value = "2024"
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ChoiceScreen) and "已有这份报告的草稿" in app.screen.title_text
            await pilot.press(*answer.split())
            await pilot.pause()
            assert isinstance(app.screen, EditorScreen)
            if opened is not None:
                assert app.session.path == opened
                assert sorted(p.name for p in folder.glob("*.toml")) == before
            else:
                assert app.session.path != huaian_copy and app.session.path.name == "2024-淮安市人民政府.toml"


async def test_open_a_copy_of_an_example(tmp_path: Path) -> None:
    from tui.core.drafts_folder import bundled_examples

    examples = bundled_examples()
    huaian = next(i for i, e in enumerate(examples) if e.name == "2024-huaian-city-gov.toml")
    app = GovReportApp(None, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        listing = app.screen.query_one(OptionList)
        listing.highlighted = listing.get_option_index(f"example:{huaian}")
        assert "淮安市人民政府2024年" in str(listing.get_option_at_index(listing.highlighted).prompt)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert app.session.path == tmp_path / "2024-huaian-city-gov.toml"
        assert app.session.report.org == "淮安市人民政府"
    assert (tmp_path / "2024-huaian-city-gov.toml").read_bytes() == examples[huaian].read_bytes()


def test_an_example_opened_by_path_is_a_copy(tmp_path: Path) -> None:
    from tui.core.drafts_folder import copy_if_example
    from tui.core.resources import resource_dir

    example = resource_dir("reports") / "2024-huaian-city-gov.toml"
    copy = copy_if_example(example, tmp_path / "drafts")
    assert copy == tmp_path / "drafts" / example.name
    assert copy.read_bytes() == example.read_bytes()
    assert copy_if_example(copy, tmp_path / "drafts") == copy  # a draft is opened as it is


async def test_import_and_next_year_from_the_start_screen(tmp_path: Path) -> None:
    from tui.app.screens.start import ImportDialog
    from tui.core.formats import CellRef

    source = HUAIAN_SOURCE
    app = GovReportApp(None, tmp_path / "drafts")
    async with app.run_test(size=(100, 30)) as pilot:
        listing = app.screen.query_one(OptionList)
        listing.highlighted = listing.get_option_index("import")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ImportDialog)
        app.screen.query_one("#import-path", Input).value = str(source)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # the notes: one line before the title was not imported
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        imported = app.session.path
        assert imported.name == "2024-淮安市人民政府.toml"
        assert app.session.report.value(CellRef("requests", "new_requests", "total")) == 3119
        await pilot.press("ctrl+q")
    app = GovReportApp(None, tmp_path / "drafts")
    async with app.run_test(size=(100, 30)) as pilot:
        listing = app.screen.query_one(OptionList)
        listing.highlighted = listing.get_option_index("next-year")
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one(Input).value = str(imported)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        report = app.session.report
        assert report.year == 2025 and report.derived_from == imported.name
        assert report.value(CellRef("requests", "carried_over", "total")) == 103
        assert report.previous is not None  # the year-over-year checks know last year


async def test_import_asks_for_the_organisation_the_text_does_not_give(tmp_path: Path) -> None:
    from tui.app.screens.start import ImportDialog

    text = HUAIAN_SOURCE.read_text(encoding="utf-8").split("\n", 1)[1]  # without the line naming the source
    text = text.replace("淮安市人民政府\n2024年", "2024年", 1).replace("本报告由淮安市人民政府办公室根据", "本报告根据")
    source = tmp_path / "无机关名称.txt"
    source.write_text(text, encoding="utf-8")
    app = GovReportApp(None, tmp_path / "drafts")
    async with app.run_test(size=(100, 30)) as pilot:
        listing = app.screen.query_one(OptionList)
        listing.highlighted = listing.get_option_index("import")
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#import-path", Input).value = str(source)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ImportDialog)  # asked again, at the missing field, path kept
        assert app.screen.focused is app.screen.query_one("#import-org", Input)
        assert app.screen.query_one("#import-path", Input).value == str(source)
        app.screen.query_one("#import-org", Input).value = "淮安市人民政府"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)  # everything placed, nothing to note: straight in
        assert app.session.report.org == "淮安市人民政府" and app.session.report.year == 2024
        await pilot.press("ctrl+q")


async def test_start_screen_shows_the_folder_and_counts_the_year_over_year_checks(
    huaian_copy: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from tui.core.carryover import next_year
    from tui.core.formats import CellRef
    from tui.core.session import DraftSession
    from tui.core.store import save_report

    folder = huaian_copy.parent
    this_year = next_year(load_report(huaian_copy), 2025, source=huaian_copy.name)
    this_year.cells[CellRef("requests", "carried_over", "total")] = 1  # not last year's 结转下年度 (103)
    path = folder / "2025.toml"
    save_report(this_year, path)

    opened = DraftSession.open(path)
    assert any(f.rule == "YOY-CARRY" for f in opened.findings)
    counts = {i.path.name: (i.errors, i.warnings) for i in scan(folder)}
    errors = sum(f.severity == "error" for f in opened.findings)
    warnings = sum(f.severity == "warning" for f in opened.findings)
    assert counts["2025.toml"] == (errors, warnings)  # the same numbers as in the editor

    monkeypatch.setenv("HOME", str(folder.parent))
    app = GovReportApp(None, folder)
    async with app.run_test(size=(80, 24)):
        shown = str(app.screen.query_one("#drafts-folder").render())
        assert shown == f"草稿文件夹：~/{folder.name}"
        listing = app.screen.query_one(OptionList)
        prompt = str(listing.get_option(f"draft:{[d.path.name for d in app.screen.drafts].index('2025.toml')}").prompt)
        assert f"错误 {errors}" in prompt
