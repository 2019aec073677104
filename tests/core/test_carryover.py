"""Next year from last year, the year-over-year checks on a two-year pair, and upgrading 2020 → 2021."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from tui.cli import main
from tui.core.carryover import REVISE_MARK, next_year, upgrade
from tui.core.checks import check_report
from tui.core.formats import CellRef, get_format
from tui.core.report import Report
from tui.core.store import load_report, save_report

from ..conftest import HUAIAN, TONGJIANG, TONGJIANG_SOURCE

COLUMNS = ["natural_person", "commercial", "research", "public_interest", "legal_services", "other_org", "total"]


def _rules(report: Report) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in check_report(report):
        out.setdefault(f.rule, []).append(f.message)
    return out


def test_2020_trial_draft_starts_a_2021_report_in_the_2021_format() -> None:
    last = load_report(TONGJIANG)
    last.cells[CellRef("requests", "carried_forward", "natural_person")] = 2
    last.cells[CellRef("requests", "carried_forward", "total")] = 2
    new = next_year(last, 2021, source="2020.toml")
    assert new.format.id == "2021" and new.org == last.org and new.year == 2021
    assert [new.value(CellRef("requests", "carried_over", c)) for c in COLUMNS] == [2, 0, 0, 0, 0, 0, 2]
    assert new.derived_from == "2020.toml"
    assert new.text("overview").startswith(REVISE_MARK) and last.text("overview") in new.text("overview")
    assert new.value(CellRef("requests", "new_requests", "natural_person")) is None  # nothing invented
    rules = _rules(new)
    assert "YOY-CARRY" not in rules
    assert len(rules["TXT-REVISE"]) == 3  # 一、五、六 still carry last year's text


def test_trial_to_trial_carries_the_item_counts() -> None:
    last = load_report(TONGJIANG)
    last.year = 2019
    new = next_year(last, 2020)
    assert new.format.id == "2019-trial"
    assert new.value(CellRef("proactive", "other_services", "prior_items")) == 29  # 27 + 2
    assert new.value(CellRef("proactive", "penalties", "prior_items")) == 2  # 0 + 2
    assert new.value(CellRef("proactive", "other_services", "change")) is None


def test_yoy_carry_error_when_last_year_is_known() -> None:
    this = load_report(HUAIAN)
    last = copy.deepcopy(this)
    last.year = 2023
    this.previous = last  # last year's 四 is 103 for 自然人, this year's 二 is 34
    messages = _rules(this)["YOY-CARRY"]
    assert "自然人列：本年“二、上年结转”为 34，但上年报告“四、结转下年度继续办理”为 103" in messages
    for col in COLUMNS:
        last.cells[CellRef("requests", "carried_forward", col)] = this.value(CellRef("requests", "carried_over", col))
    assert "YOY-CARRY" not in _rules(this)
    this.previous = None
    assert "YOY-CARRY" not in _rules(load_report(HUAIAN))  # unknown last year: no such check


def test_yoy_valid_asks_for_an_explanation() -> None:
    this = load_report(HUAIAN)  # 规章 issued 1, repealed 0, in force 11; 行政规范性文件 8, 26, 66
    last = copy.deepcopy(this)
    last.cells[CellRef("proactive", "rules", "in_force")] = 10
    last.cells[CellRef("proactive", "normative_docs", "in_force")] = 84
    for col in COLUMNS:
        last.cells[CellRef("requests", "carried_forward", col)] = this.value(CellRef("requests", "carried_over", col))
    this.previous = last
    assert "YOY-VALID" not in _rules(this)  # 10 + 1 − 0 = 11; 84 + 8 − 26 = 66
    last.cells[CellRef("proactive", "normative_docs", "in_force")] = 90
    (message,) = _rules(this)["YOY-VALID"]
    assert "行政规范性文件" in message and "90 + 8 − 26 = 72" in message and "66" in message
    assert [f.severity for f in check_report(this) if f.rule == "YOY-VALID"] == ["warning"]


def test_yoy_trial_warning() -> None:
    last = load_report(TONGJIANG)
    last.year = 2019
    this = next_year(last, 2020)
    assert "YOY-TRIAL" not in _rules(this)
    this.cells[CellRef("proactive", "other_services", "prior_items")] = 27
    (message,) = _rules(this)["YOY-TRIAL"]
    assert "27 + 2 = 29" in message


def test_upgrade_2020_to_2021() -> None:
    old = load_report(TONGJIANG)
    result = upgrade(old, get_format("2021"))
    new = result.report
    assert new.format.id == "2021" and new.org == old.org and new.texts["overview"] == old.texts["overview"]
    assert new.value(CellRef("requests", "new_requests", "natural_person")) == 1
    assert new.value(CellRef("proactive", "licensing", "decisions")) == 0  # declared in the 2021 format
    reenter = set(result.reenter)
    assert CellRef("proactive", "admin_fees", "fee_amount") in reenter  # 本年收费金额 in 万元: new
    assert CellRef("requests", "fee_unpaid", "total") in reenter
    assert len(result.carried) + len(result.reenter) == len(new.format.cell_index)
    dropped = dict(result.dropped)
    assert dropped[CellRef("requests", "other_handling", "natural_person")] == "1"  # （六） is now three rows
    assert dropped[CellRef("proactive", "procurement", "amount")] == "64000"


def test_cli_next_year_and_checks_with_last_year(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    last = load_report(HUAIAN)
    last.year = 2023
    last.cells[CellRef("proactive", "admin_fees", "fee_amount")] = Decimal("1")
    save_report(last, tmp_path / "2023.toml")
    assert (
        main(["new", "--from", str(tmp_path / "2023.toml"), "--year", "2024", "-o", str(tmp_path / "2024.toml")]) == 0
    )
    new = load_report(tmp_path / "2024.toml")
    assert new.derived_from == "2023.toml" and new.org == "淮安市人民政府"
    assert new.value(CellRef("requests", "carried_over", "total")) == 103
    new.cells[CellRef("requests", "carried_over", "total")] = 100
    save_report(new, tmp_path / "2024.toml")
    capsys.readouterr()
    assert main(["check", str(tmp_path / "2024.toml")]) == 1
    assert "YOY-CARRY" in capsys.readouterr().out
    (tmp_path / "2023.toml").unlink()  # last year's draft gone: the draft is still checked, without YOY
    assert main(["check", str(tmp_path / "2024.toml")]) == 1
    assert "YOY-CARRY" not in capsys.readouterr().out


def test_cli_import_and_upgrade(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = TONGJIANG_SOURCE
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(source.read_text(encoding="utf-8").encode("gb18030"))
    assert main(["import", str(gbk), "-o", str(tmp_path / "tj.toml")]) == 0
    assert "198/198 个单元格有数值" in capsys.readouterr().out
    assert load_report(tmp_path / "tj.toml").cells == load_report(TONGJIANG).cells
    assert main(["upgrade", str(tmp_path / "tj.toml"), "-o", str(tmp_path / "tj-2021.toml")]) == 0
    out = capsys.readouterr().out
    assert "需要重新填写 28 个单元格" in out and "本年收费金额（单位：万元）" in out
    assert "（六）其他处理／自然人：1" in out
    broken = tmp_path / "notes.txt"
    broken.write_text("会议纪要\n今天开会。\n", encoding="utf-8")
    assert main(["import", str(broken), "-o", str(tmp_path / "x.toml")]) == 2
    assert "找不到报告标题" in capsys.readouterr().err


def test_a_blank_cell_of_last_year_is_unknown_not_zero() -> None:
    """Issue 11 item 7: no `上年现行有效 0 + 77 − 132 = -55`; a hint that last year's figure is missing."""
    this = load_report(HUAIAN)
    this.cells[CellRef("proactive", "normative_docs", "issued")] = 77
    this.cells[CellRef("proactive", "normative_docs", "repealed")] = 132
    last = copy.deepcopy(this)
    last.year = 2023
    last.cells[CellRef("proactive", "rules", "in_force")] = 10  # 10 + 1 − 0 = 11: fine
    last.cells[CellRef("proactive", "normative_docs", "in_force")] = None
    for col in COLUMNS:
        last.cells[CellRef("requests", "carried_forward", col)] = this.value(CellRef("requests", "carried_over", col))
    this.previous = last
    findings = [f for f in check_report(this) if f.rule == "YOY-VALID"]
    assert len(findings) == 1
    (hint,) = findings
    assert hint.severity == "info"
    assert "行政规范性文件" in hint.message and "空白" in hint.message
    assert "-55" not in hint.message and " 0 + " not in hint.message
    assert hint.cells == (CellRef("proactive", "normative_docs", "in_force"),)
    last.cells[CellRef("proactive", "normative_docs", "in_force")] = 121  # 121 + 77 − 132 = 66
    assert "YOY-VALID" not in _rules(this)


def test_yoy_carry_skips_the_columns_last_year_left_blank() -> None:
    this = load_report(HUAIAN)
    last = copy.deepcopy(this)
    last.year = 2023
    for col in COLUMNS:
        last.cells[CellRef("requests", "carried_forward", col)] = this.value(CellRef("requests", "carried_over", col))
    last.cells[CellRef("requests", "carried_forward", "commercial")] = None
    last.cells[CellRef("requests", "carried_forward", "research")] = None
    last.cells[CellRef("requests", "carried_forward", "natural_person")] = 30  # this year's 二 is 34
    this.previous = last
    findings = [f for f in check_report(this) if f.rule == "YOY-CARRY"]
    errors = [f for f in findings if f.severity == "error"]
    hints = [f for f in findings if f.severity == "info"]
    assert [f.column for f in errors] == ["natural_person"]
    assert len(hints) == 1
    assert "商业企业" in hints[0].message and "科研机构" in hints[0].message
    assert set(hints[0].cells) == {
        CellRef("requests", "carried_over", "commercial"),
        CellRef("requests", "carried_over", "research"),
    }


def test_new_from_last_year_leaves_blank_what_last_year_left_blank() -> None:
    last = load_report(HUAIAN)
    last.year = 2023
    last.cells[CellRef("requests", "carried_forward", "legal_services")] = None
    new = next_year(last, 2024)
    assert new.value(CellRef("requests", "carried_over", "legal_services")) is None
    assert new.value(CellRef("requests", "carried_over", "total")) == 103


def test_an_unreadable_derived_from_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    draft = load_report(HUAIAN)
    draft.derived_from = "2023-淮安.toml"
    save_report(draft, tmp_path / "2024.toml")
    assert main(["check", str(tmp_path / "2024.toml")]) == 0  # a hint, not an error
    out = capsys.readouterr().out
    assert "[提示] YOY-SOURCE" in out and "2023-淮安.toml" in out and "不存在" in out
    (tmp_path / "2023-淮安.toml").write_text("这不是草稿", encoding="utf-8")
    assert main(["check", str(tmp_path / "2024.toml"), "--json"]) == 0
    (result,) = json.loads(capsys.readouterr().out)
    (finding,) = [f for f in result["findings"] if f["rule"] == "YOY-SOURCE"]
    assert finding["severity"] == "info" and "2023-淮安.toml" in finding["message"] and "TOML" in finding["message"]
    save_report(load_report(HUAIAN), tmp_path / "2023-淮安.toml")
    assert main(["check", str(tmp_path / "2024.toml")]) == 1  # readable now: YOY-CARRY compares (34 ≠ 103)
    out = capsys.readouterr().out
    assert "YOY-SOURCE" not in out and "YOY-CARRY" in out


def test_the_stocks_come_over_to_confirm(huaian: Report, tmp_path: Path) -> None:
    """现行有效件数 is a stock: next year starts from last year's figure, flagged until the clerk confirms it."""
    from tui.core.session import DraftSession
    from tui.core.store import save_report

    rules, docs = CellRef("proactive", "rules", "in_force"), CellRef("proactive", "normative_docs", "in_force")
    report = next_year(huaian, 2025)
    assert report.value(rules) == huaian.value(rules) and report.value(docs) == huaian.value(docs)
    assert report.to_confirm == {rules, docs}
    stock = [f for f in check_report(report) if f.rule == "YOY-STOCK"]
    assert len(stock) == 1 and stock[0].severity == "warning" and set(stock[0].cells) == {rules, docs}
    draft = tmp_path / "2025.toml"
    save_report(report, draft)
    assert 'to_confirm = [\n    "proactive/rules/in_force",' in draft.read_text(encoding="utf-8")
    session = DraftSession.open(draft)
    assert session.report.to_confirm == {rules, docs}
    session.set_cell(rules, session.report.value(rules))  # typed again, unchanged: confirmed
    session.set_cell(docs, 80)  # changed: confirmed
    assert not session.report.to_confirm and session.dirty
    assert not [f for f in session.findings if f.rule == "YOY-STOCK"]
    session.save()
    assert "to_confirm" not in draft.read_text(encoding="utf-8")


def test_a_blank_stock_last_year_is_not_carried(huaian: Report) -> None:
    rules = CellRef("proactive", "rules", "in_force")
    huaian.cells[rules] = None
    report = next_year(huaian, 2025)
    assert report.value(rules) is None and rules not in report.to_confirm


def test_new_from_last_year_infers_the_year(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tui.core.store import load_report

    last = tmp_path / "2024.toml"
    last.write_bytes(HUAIAN.read_bytes())
    assert main(["new", "--from", str(last), "-o", str(tmp_path / "2025.toml")]) == 0
    report = load_report(tmp_path / "2025.toml")
    assert report.year == 2025 and report.org == "淮安市人民政府" and report.derived_from == "2024.toml"
    assert "已从上年草稿" in capsys.readouterr().out
    assert main(["new", "-o", str(tmp_path / "x.toml"), "--org", "某局"]) == 2
    assert "--year" in capsys.readouterr().err
