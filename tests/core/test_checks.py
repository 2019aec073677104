"""Every rule: one passing case (the bundled reports) and one failing case, with its message."""

from __future__ import annotations

from decimal import Decimal

from tui.core.checks import Finding, check_report, rule_instances
from tui.core.formats import CellRef, Format, get_format
from tui.core.report import Report
from tui.core.values import CellKind, Invalid, parse_cell

ALL_RULES = {
    "T3-BAL",
    "T3-SUM",
    "T3-ROW",
    "T4-SUM",
    "CELL-INT",
    "CELL-BLANK",
    "FMT-YEAR",
    "FEE-STMT",
    "P5-NONEMPTY",
    "FEE-ROW",
    "PLAUS",
}


def _rules(findings: list[Finding]) -> set[str]:
    return {f.rule for f in findings}


def test_bundled_reports_pass_every_rule(huaian: Report, tongjiang: Report) -> None:
    assert check_report(huaian) == []
    assert check_report(tongjiang) == []


def test_every_required_rule_is_declared() -> None:
    declared = {r.id for r in get_format("2021").rules}
    linked = {"YOY-SOURCE", "RULES-FILE", "TXT-NUM", "FMT-PARTS", "TXT-YEAR", "TXT-COPY", "P5-SUBSTANCE", "TXT-BLANK"}
    assert declared == ALL_RULES | {"YOY-CARRY", "YOY-VALID", "YOY-STOCK", "TXT-REVISE"} | linked
    trial = {r.id for r in get_format("2019-trial").rules}
    assert trial == ALL_RULES - {"FEE-STMT", "FEE-ROW"} | {"YOY-CARRY", "YOY-TRIAL", "TXT-REVISE"} | linked


def _one(report: Report, rule: str) -> Finding:
    findings = [f for f in check_report(report) if f.rule == rule]
    assert len(findings) == 1, findings
    return findings[0]


def test_t3_bal_reports_the_column_and_numbers(huaian: Report) -> None:
    # One more carried-over application that was never processed: the 自然人 and 总计 columns break.
    huaian.cells[CellRef("requests", "carried_over", "natural_person")] = 35
    huaian.cells[CellRef("requests", "carried_over", "total")] = 35
    findings = [f for f in check_report(huaian) if f.rule == "T3-BAL"]
    assert [f.column for f in findings] == ["natural_person", "total"]
    f = findings[0]
    assert f.severity == "error"
    assert f.message == ("自然人列：第一项 3001 + 第二项 35 = 3036，但第三项（七）总计 2932 + 第四项 103 = 3035")
    assert f.column == "natural_person" and f.part == "requests"
    assert CellRef("requests", "carried_over", "natural_person") in f.cells
    assert f.location == "三、收到和处理政府信息公开申请情况 › 自然人列"


def test_t3_bal_issue_example() -> None:
    report = Report.new(get_format("2021"), "机关", 2024)
    for ref in report.format.cell_refs():
        report.cells[ref] = 0
    for row in ("new_requests", "disclosed", "results_total"):
        report.cells[CellRef("requests", row, "natural_person")] = 1
        report.cells[CellRef("requests", row, "total")] = 1
    report.cells[CellRef("requests", "results_total", "natural_person")] = 0
    report.cells[CellRef("requests", "results_total", "total")] = 0
    messages = [f.message for f in check_report(report) if f.rule == "T3-BAL"]
    assert "自然人列：第一项 1 + 第二项 0 = 1，但第三项（七）总计 0 + 第四项 0 = 0" in messages


def test_t3_sum(huaian: Report) -> None:
    huaian.cells[CellRef("requests", "results_total", "research")] = 2
    huaian.cells[CellRef("requests", "results_total", "total")] = 3052
    huaian.cells[CellRef("requests", "results_total", "natural_person")] = 2930
    findings = [f for f in check_report(huaian) if f.rule == "T3-SUM"]
    messages = {f.message for f in findings}
    assert "科研机构列：（七）总计为 2，但（一）至（六）各项之和为 0（相差 2）" in messages
    assert "自然人列：（七）总计为 2930，但（一）至（六）各项之和为 2932（相差 2）" in messages


def test_t3_row(huaian: Report) -> None:
    huaian.cells[CellRef("requests", "state_secret", "total")] = 3
    f = [f for f in check_report(huaian) if f.rule == "T3-ROW"]
    assert len(f) == 1
    assert f[0].row == "state_secret"
    assert f[0].message == (
        "（三）不予公开 1.属于国家秘密行：总计为 3，但各类申请人之和为 "
        "自然人 2 + 商业企业 0 + 科研机构 0 + 社会公益组织 0 + 法律服务机构 0 + 其他 0 = 2"
    )


def test_a_sum_message_says_blank_for_a_blank_cell_not_0(huaian: Report) -> None:
    """A blank counts as 0 in the sum, but the clerk (or the imported report) did not write 0."""
    huaian.cells[CellRef("requests", "state_secret", "total")] = None
    huaian.cells[CellRef("requests", "state_secret", "commercial")] = None
    f = [f for f in check_report(huaian) if f.rule == "T3-ROW"]
    assert [x.message for x in f] == [
        "（三）不予公开 1.属于国家秘密行：总计为 空白，但各类申请人之和为 "
        "自然人 2 + 商业企业 空白 + 科研机构 0 + 社会公益组织 0 + 法律服务机构 0 + 其他 0 = 2"
    ]
    huaian.cells[CellRef("requests", "state_secret", "total")] = parse_cell(CellKind.COUNT, "abc")
    f = [f for f in check_report(huaian) if f.rule == "T3-ROW"]
    assert [x.message.split("，")[0] for x in f] == ["（三）不予公开 1.属于国家秘密行：总计为 “abc”"]


def test_t4_sum(huaian: Report) -> None:
    huaian.cells[CellRef("appeals", "cases", "after_pending")] = 7
    f = _one(huaian, "T4-SUM")
    assert f.message == "行政诉讼（复议后起诉）：总计为 20，但结果维持 12 + 结果纠正 1 + 其他结果 1 + 尚未审结 7 = 21"
    huaian.cells[CellRef("appeals", "cases", "review_total")] = 350
    assert len([x for x in check_report(huaian) if x.rule == "T4-SUM"]) == 2


def test_cell_int(huaian: Report, tongjiang: Report) -> None:
    huaian.cells[CellRef("proactive", "rules", "issued")] = -1
    f = _one(huaian, "CELL-INT")
    assert f.severity == "error"
    assert "规章／本年制发件数" in f.message and "-1 是负数" in f.message
    huaian.cells[CellRef("proactive", "rules", "issued")] = Invalid("一", "不是整数")
    assert "“一”不是整数" in _one(huaian, "CELL-INT").message
    # 本年增/减 may be negative in the trial format
    tongjiang.cells[CellRef("proactive", "licensing", "change")] = -4
    assert "CELL-INT" not in _rules(check_report(tongjiang))


def test_cell_blank_is_reported_once_per_table_and_counts_as_zero(huaian: Report) -> None:
    huaian.cells[CellRef("requests", "publications", "natural_person")] = None
    huaian.cells[CellRef("requests", "excessive", "total")] = None
    findings = check_report(huaian)
    assert _rules(findings) == {"CELL-BLANK"}  # both were 0: blank counts as 0, sums still hold
    f = findings[0]
    assert f.severity == "warning"
    assert "有 2 个单元格空白" in f.message and "没有数据的请填 0" in f.message
    assert set(f.cells) == {
        CellRef("requests", "publications", "natural_person"),
        CellRef("requests", "excessive", "total"),
    }


def test_fmt_year(huaian: Report, tongjiang: Report) -> None:
    tongjiang.year = 2021
    f = _one(tongjiang, "FMT-YEAR")
    assert f.severity == "error"
    assert "2021年度" in f.message and "2019—2020年度" in f.message
    huaian.year = 2020
    assert "FMT-YEAR" in _rules(check_report(huaian))


def test_fee_stmt(huaian: Report) -> None:
    huaian.set_text("other", "无其他需要报告的事项。")
    f = _one(huaian, "FEE-STMT")
    assert f.severity == "warning" and f.part == "other"
    huaian.set_text("other", "本年度未收取信息处理费。")
    assert "FEE-STMT" not in _rules(check_report(huaian))


def test_p5_nonempty(huaian: Report) -> None:
    huaian.set_text("problems", " \n ")
    f = _one(huaian, "P5-NONEMPTY")
    assert f.severity == "warning" and "存在的主要问题" in f.message


def test_fee_row(huaian: Report) -> None:
    huaian.set_text("other", "本年度无其他事项。")  # the 6 unpaid fee notices go unexplained
    f = _one(huaian, "FEE-ROW")
    assert f.severity == "info"
    assert "为 6 件" in f.message
    huaian.cells[CellRef("requests", "fee_unpaid", "total")] = 0
    assert "FEE-ROW" not in _rules(check_report(huaian))


def test_plaus_amount_in_yuan_instead_of_wan(huaian: Report, tongjiang: Report) -> None:
    huaian.cells[CellRef("proactive", "admin_fees", "fee_amount")] = Decimal("961716000")
    f = _one(huaian, "PLAUS")
    assert f.severity == "info"
    assert "961716000 万元" in f.message and "异常大" in f.message
    huaian.cells[CellRef("proactive", "admin_fees", "fee_amount")] = Decimal("1.1234567")
    assert "7 位小数" in _one(huaian, "PLAUS").message
    huaian.cells[CellRef("proactive", "admin_fees", "fee_amount")] = Decimal("5949.088667")
    assert "PLAUS" not in _rules(check_report(huaian))
    tongjiang.cells[CellRef("proactive", "procurement", "amount")] = Decimal("64000.001")
    assert "3 位小数" in _one(tongjiang, "PLAUS").message


def test_findings_are_sorted_by_severity(huaian: Report) -> None:
    huaian.set_text("problems", "")
    huaian.cells[CellRef("appeals", "cases", "after_pending")] = 7
    huaian.cells[CellRef("proactive", "admin_fees", "fee_amount")] = Decimal("961716000")
    severities = [f.severity for f in check_report(huaian)]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)


def test_every_instance_names_its_cells() -> None:
    for fmt_id in ("2021", "2019-trial"):
        fmt = get_format(fmt_id)
        for inst in rule_instances(fmt):
            assert all(ref in fmt.cell_index for ref in inst.cells)


def test_txt_blank_until_the_opening_paragraph_is_completed(fmt2021: Format) -> None:
    from tui.core.new_drafts import blank_report
    from tui.core.report import PREAMBLE

    report = blank_report(fmt2021, "某县民政局", 2025)
    blank = [f for f in check_report(report) if f.rule == "TXT-BLANK"]
    assert len(blank) == 1 and blank[0].severity == "warning" and "请填写" in blank[0].message
    report.set_text(
        PREAMBLE, report.text(PREAMBLE).replace("【请填写：编制单位，如办公室】", "办公室").split("本报告电子版")[0]
    )
    assert not [f for f in check_report(report) if f.rule == "TXT-BLANK"]
