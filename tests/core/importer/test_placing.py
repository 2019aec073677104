"""When a number's column is certain, and when it is not: counting, padding, header layout, names."""

from __future__ import annotations

from tui.core.formats import CellRef
from tui.core.importer import ImportResult, import_report

NEW = "一、本年新收政府信息公开申请数量"
CARRIED = "二、上年结转政府信息公开申请数量"
APPLICANTS = ["natural_person", "commercial", "research", "public_interest", "legal_services", "other_org", "total"]


def report(requests: list[str] = (), appeals: list[str] = (), proactive: list[str] = ()) -> ImportResult:  # type: ignore[assignment]
    lines = ["云溪县统计局2023年政府信息公开工作年度报告", "一、总体情况", "2023年，我局认真贯彻落实《条例》。"]
    lines += ["二、主动公开政府信息情况", *proactive, "三、收到和处理政府信息公开申请情况", *requests]
    lines += ["四、政府信息公开行政复议、行政诉讼情况", *appeals]
    lines += ["五、存在的主要问题及改进情况", "解读形式单一。", "六、其他需要报告的事项", "未收取信息处理费。"]
    return import_report("\n".join(lines) + "\n")


def row(result: ImportResult, row_id: str, part: str = "requests", cols: list[str] = APPLICANTS) -> list[object]:
    return [result.report.value(CellRef(part, row_id, c)) for c in cols]


def test_the_padding_of_a_merged_label_is_not_taken_for_values() -> None:
    """The issue's example: Excel pads a label merged over three columns with two empty cells."""
    result = report([f"{NEW}\t\t\t80\t1\t0\t0\t0\t0\t81", f"{CARRIED}\t\t\t0\t0\t0\t0\t0\t0\t0"])
    assert row(result, "new_requests") == [80, 1, 0, 0, 0, 0, 81]
    assert result.complete


def test_padding_and_a_blank_at_either_end_make_a_row_uncertain() -> None:
    """9 cells for 7 columns, empty at both ends: padding + blank 总计, or blank 自然人 + padding?"""
    result = report([f"{NEW}\t\t\t80\t1\t0\t0\t0\t0\t81", f"{CARRIED}\t\t\t\t0\t0\t0\t0\t0\t"])
    assert row(result, "carried_over") == [None] * 7
    assert [u.text for u in result.unplaced] == ["0"] * 5
    assert any("合并单元格" in n.message and n.severity == "error" for n in result.notes)
    assert not result.complete


def test_the_header_rows_settle_what_counting_cannot() -> None:
    """With the Excel header rows (also padded), every value's column is known by position."""
    header = [
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t\t申请人情况\t\t\t\t\t\t",
        "\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计",
        "\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t",
    ]
    result = report([*header, f"{NEW}\t\t\t80\t1\t0\t0\t0\t0\t81", f"{CARRIED}\t\t\t\t0\t0\t0\t0\t0\t"])
    assert row(result, "carried_over") == [None, 0, 0, 0, 0, 0, None]
    assert result.complete


def test_a_row_whose_trailing_tabs_were_cut_off_is_listed_not_shifted() -> None:
    """No row keeps a trailing empty cell: an editor may have cut them; 8 cells could be 7 + padding."""
    result = report([f"{NEW}\t\t\t80\t1\t0\t0\t0\t0\t81", f"{CARRIED}\t\t\t5\t0\t0\t0\t0\t0"])
    assert row(result, "carried_over") == [None] * 7
    assert "5" in [u.text for u in result.unplaced]


def test_blank_cells_in_table_four_stay_where_they_are() -> None:
    """Issue item 2: 5 of 行政复议/结果维持 stayed 5, the blank 结果纠正 stays blank."""
    header = ["行政复议\t行政诉讼", "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉"]
    header.append("\t".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2))
    result = report(appeals=[*header, "5\t\t\t4\t9\t0\t0\t0\t0\t0\t\t\t\t\t"])
    cases = row(result, "cases", "appeals", ["review_upheld", "review_corrected", "review_pending", "review_total"])
    assert cases == [5, None, 4, 9]
    assert result.complete


def test_table_four_with_a_cell_missing_is_listed() -> None:
    result = report(appeals=["行政复议 | 行政诉讼", " | ".join(["5", "", "4", "9"] + ["0"] * 10)])
    assert result.report.value(CellRef("appeals", "cases", "review_upheld")) is None
    assert sorted(u.text for u in result.unplaced) == sorted(["5", "4", "9"] + ["0"] * 10)
    assert any("只有 14 个单元格（应有 15 个）" in n.message for n in result.notes)


def test_a_row_with_more_numbers_than_columns_is_listed_whole() -> None:
    result = report([f"{NEW} | 3 | 0 | 0 | 0 | 0 | 0 | 3 | 999"])
    assert row(result, "new_requests") == [None] * 7
    assert [u.text for u in result.unplaced] == ["3", "0", "0", "0", "0", "0", "3", "999"]
    assert result.unplaced[0].row == NEW and result.unplaced[0].part == "三、收到和处理政府信息公开申请情况"


def test_a_row_with_fewer_cells_is_listed_blanks_could_be_anywhere() -> None:
    result = report([f"{NEW} | 3 | 3"])
    assert row(result, "new_requests") == [None] * 7 and [u.text for u in result.unplaced] == ["3", "3"]


def test_a_number_under_no_column_of_an_html_table_is_listed() -> None:
    tds = "".join(f"<td>{v}</td>" for v in ["行政许可", "5", "7"])
    table = f"<table><tr><th>信息内容</th><th>本年处理决定数量</th></tr><tr>{tds}</tr></table>"
    page = "<html><body><h1>云溪县统计局2023年政府信息公开工作年度报告</h1>"
    page += f"<p>一、总体情况</p><p>概况。</p><p>二、主动公开政府信息情况</p>{table}</body></html>"
    result = import_report(page)
    assert result.report.value(CellRef("proactive", "licensing", "decisions")) == 5
    assert [u.text for u in result.unplaced] == ["7"]


def test_the_same_cell_with_two_different_numbers_keeps_the_first_and_lists_the_second() -> None:
    result = report(proactive=["行政许可 | 5", "行政许可 | 6"])
    assert result.report.value(CellRef("proactive", "licensing", "decisions")) == 5
    assert [u.text for u in result.unplaced] == ["6"]
    assert any("已有不同的数值" in n.message for n in result.notes)


def test_numbers_named_by_their_column_are_placed_by_name() -> None:
    result = report(
        [f"{NEW}：自然人 12，商业企业 3，总计 15"],
        ["行政复议：结果维持 1，尚未审结 1，总计 2", "行政诉讼：复议后起诉：总计 0"],
        ["行政许可：447228", "行政强制：5，另有 3"],
    )
    assert row(result, "new_requests") == [12, 3, None, None, None, None, 15]
    cols = ["review_upheld", "review_pending", "review_total", "direct_total", "after_total"]
    assert row(result, "cases", "appeals", cols) == [1, 1, 2, None, 0]
    assert result.report.value(CellRef("proactive", "licensing", "decisions")) == 447228
    assert result.report.value(CellRef("proactive", "enforcement", "decisions")) == 5
    assert [u.text for u in result.unplaced] == ["3"]
    assert any("“另有 3”" in n.message for n in result.notes)


def test_a_name_shared_by_two_columns_places_nothing() -> None:
    result = report(appeals=["行政诉讼：总计 3"])  # 未经复议直接起诉 or 复议后起诉?
    assert result.report.value(CellRef("appeals", "cases", "direct_total")) is None
    assert result.report.value(CellRef("appeals", "cases", "after_total")) is None
    assert [u.text for u in result.unplaced] == ["3"]


def test_numbers_after_an_unknown_row_label_are_listed_with_it() -> None:
    result = report(["1.属于国家秘密的事项 | 2 | 0 | 0 | 0 | 0 | 0 | 2"])
    assert [u.text for u in result.unplaced] == ["2", "0", "0", "0", "0", "0", "2"]
    assert any("“1.属于国家秘密的事项”不是本表的行名称" in n.message for n in result.notes)


def test_a_label_without_its_number_is_still_the_row() -> None:
    result = report(["属于国家秘密 | 2 | 0 | 0 | 0 | 0 | 0 | 2"])
    assert row(result, "state_secret") == [2, 0, 0, 0, 0, 0, 2]


def test_nothing_placed_while_tables_are_there_fails_with_a_reason() -> None:
    result = report([f"{NEW} | 3 | 3"], ["行政复议 | 行政诉讼"])
    assert result.placed == 0 and result.failed and not result.complete
    assert "无法确定所在的单元格" in result.failure


def test_no_tables_at_all_fails_with_a_reason() -> None:
    result = report()
    assert result.failed and "没有找到统计表" in result.failure


def test_a_file_with_fewer_than_three_pipe_lines_still_has_its_tables_read() -> None:
    result = report(proactive=["行政许可 | 447228", "行政处罚 | 3985758"])
    assert result.report.value(CellRef("proactive", "licensing", "decisions")) == 447228
    assert result.report.value(CellRef("proactive", "penalties", "decisions")) == 3985758
    assert result.shape == "pipes" and result.placed == 2 and result.complete
