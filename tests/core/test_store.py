"""Drafts as TOML: the exact round trip, atomic saves and clear messages for bad files."""

from __future__ import annotations

import os
import stat
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.formats import CellRef, Format
from tui.core.report import Report
from tui.core.store import DraftError, dumps_report, load_report, report_from_data, save_report
from tui.core.values import Invalid

from ..conftest import HUAIAN, TONGJIANG


def _same(a: Report, b: Report) -> None:
    assert a.format is b.format
    assert (a.org, a.year, a.derived_from) == (b.org, b.year, b.derived_from)
    assert a.texts == b.texts
    assert a.cells == b.cells


@pytest.mark.parametrize("path", [TONGJIANG, HUAIAN])
def test_bundled_drafts_round_trip_byte_for_byte(path: Path, tmp_path: Path) -> None:
    report = load_report(path)
    out = tmp_path / "copy.toml"
    save_report(report, out)
    assert out.read_bytes() == path.read_bytes()
    _same(load_report(out), report)


def test_tricky_text_and_amounts_round_trip(fmt2021: Format, tmp_path: Path) -> None:
    report = Report.new(fmt2021, "某局“测试”\\单位", 2024)
    report.set_text("overview", "第一行\r\n第二行“引号”‘单引号’\r\n")
    report.set_text("problems", '含有 """ 三引号、\\反斜杠\\n 和\t制表符\n\n空行之后')
    report.set_text("other", "")
    report.cells[CellRef("proactive", "admin_fees", "fee_amount")] = Decimal("5949.088667")
    report.cells[CellRef("requests", "new_requests", "total")] = 0
    report.cells[CellRef("requests", "carried_over", "total")] = Invalid("十二", "不是整数")
    out = tmp_path / "d.toml"
    save_report(report, out)
    back = load_report(out)
    _same(back, report)
    assert str(back.value(CellRef("proactive", "admin_fees", "fee_amount"))) == "5949.088667"
    assert back.value(CellRef("requests", "new_requests", "natural_person")) is None


@settings(max_examples=60, deadline=None)
@given(text=st.text(st.characters(exclude_categories=("Cs",)), max_size=80))
def test_any_text_round_trips(text: str) -> None:
    from tui.core.formats import get_format

    report = Report.new(get_format("2021"), "机关", 2024)
    report.set_text("overview", text)
    data = tomllib.loads(dumps_report(report), parse_float=Decimal)
    assert report_from_data(data).texts == report.texts


def test_draft_is_readable_and_in_report_order(huaian: Report) -> None:
    text = dumps_report(huaian)
    assert text.index('format = "2021"') < text.index("[texts]") < text.index("[tables.proactive")
    assert text.index("[tables.proactive") < text.index("[tables.requests.new_requests]")
    assert text.index("[tables.requests.new_requests]") < text.index("[tables.appeals.cases]")
    assert 'overview = """\n2024 年' in text  # multi-line texts stay legible
    assert 'fee_amount = "96171.6"' in text


def test_blank_is_not_zero(fmt2021: Format, tmp_path: Path) -> None:
    report = Report.new(fmt2021, "机关", 2024)
    report.cells[CellRef("requests", "new_requests", "natural_person")] = 0
    out = tmp_path / "d.toml"
    save_report(report, out)
    text = out.read_text(encoding="utf-8")
    assert '[tables.requests.new_requests]\nnatural_person = 0\ncommercial = ""' in text
    back = load_report(out)
    assert back.value(CellRef("requests", "new_requests", "natural_person")) == 0
    assert back.value(CellRef("requests", "new_requests", "commercial")) is None


def test_save_is_atomic_private_and_keeps_a_backup(fmt2021: Format, tmp_path: Path) -> None:
    out = tmp_path / "d.toml"
    report = Report.new(fmt2021, "第一版", 2024)
    save_report(report, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    report.org = "第二版"
    save_report(report, out)
    assert load_report(out).org == "第二版"
    backup = tmp_path / "d.toml.bak"
    assert 'org = "第一版"' in backup.read_text(encoding="utf-8")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["d.toml", "d.toml.bak"]  # no temp file left


def test_failed_save_leaves_the_old_file(fmt2021: Format, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "d.toml"
    report = Report.new(fmt2021, "原来的", 2024)
    save_report(report, out)
    before = out.read_bytes()

    def boom(*_a: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    report.org = "新的"
    with pytest.raises(DraftError, match="无法保存"):
        save_report(report, out)
    assert out.read_bytes() == before
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


GOOD = 'layout = 1\nformat = "2021"\norg = "机关"\nyear = 2024\n'


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "文件是空的"),
        ("\n  \n", "文件是空的"),
        ('layout = 1\nformat = "2021\n', "第 2 行第"),
        ("this is not toml", "第 1 行第"),
        ('format = "2021"\norg = "x"\nyear = 2024\n', "缺少草稿文件版本号"),
        ('layout = 9\nformat = "2021"\norg = "x"\nyear = 2024\n', "比本程序支持的版本 1 新"),
        ('layout = 1\nformat = "2030"\norg = "x"\nyear = 2024\n', "未知的报告格式 “2030”"),
        ('layout = 1\nformat = "2021"\norg = 5\nyear = 2024\n', "org"),
        ('layout = 1\nformat = "2021"\norg = "x"\nyear = "2024"\n', "year"),
        (GOOD + "[texts]\nsevenths = 'x'\n", "texts.sevenths"),
        (GOOD + "[texts]\noverview = 3\n", "texts.overview"),
        (GOOD + "[tables.requests.new_requests]\nnobody = 1\n", "tables.requests.new_requests.nobody"),
        (GOOD + "tables = 3\n", "tables"),
    ],
)
def test_bad_files_give_one_line_messages(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DraftError) as err:
        load_report(path)
    text = str(err.value)
    assert message in text
    assert str(path) in text
    assert "\n" not in text


def test_not_utf8_and_missing_and_folder(tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes(GOOD.replace("机关", "机关").encode("gbk"))
    with pytest.raises(DraftError, match="UTF-8"):
        load_report(gbk)
    with pytest.raises(DraftError, match="文件不存在"):
        load_report(tmp_path / "none.toml")
    with pytest.raises(DraftError, match="文件夹"):
        load_report(tmp_path)


def test_wrong_cell_values_are_kept_not_lost(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_text(
        GOOD + '[tables.requests.new_requests]\nnatural_person = "十二"\n'
        "commercial = -3\nresearch = 99999999999999999999999\ntotal = 1.5\n",
        encoding="utf-8",
    )
    report = load_report(path)
    cell = report.value(CellRef("requests", "new_requests", "natural_person"))
    assert isinstance(cell, Invalid) and cell.raw == "十二"
    assert report.value(CellRef("requests", "new_requests", "commercial")) == -3
    assert isinstance(report.value(CellRef("requests", "new_requests", "research")), Invalid)
    assert isinstance(report.value(CellRef("requests", "new_requests", "total")), Invalid)
    save_report(report, path)
    assert 'natural_person = "十二"' in path.read_text(encoding="utf-8")


def test_stale_temp_files_of_a_killed_save_are_removed(fmt2021: Format, tmp_path: Path) -> None:
    from tui.core.store import remove_stale_temp_files

    draft = tmp_path / "d.toml"
    save_report(Report.new(fmt2021, "机关", 2024), draft)
    (tmp_path / ".d.toml.abc123.tmp").write_text("half a save", encoding="utf-8")
    (tmp_path / ".d.toml.bak.xyz.tmp").write_text("half a backup", encoding="utf-8")
    (tmp_path / ".other.toml.q.tmp").write_text("someone else's", encoding="utf-8")
    assert len(remove_stale_temp_files(draft)) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.toml.q.tmp", "d.toml"]
