"""Pasting a block into a table: line ends, label columns, merged-cell padding, text in number cells."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.formats import Block, CellRef, Format, Part, Row
from tui.core.paste import block_lines, plan_paste

COLS = ["natural_person", "commercial", "research", "public_interest", "legal_services", "other_org", "total"]


def _rows(part: Part) -> list[tuple[Block, Row]]:
    assert part.table is not None
    return [(block, row) for block in part.table.blocks for row in block.rows]


@pytest.fixture
def requests(fmt2021: Format) -> Part:
    return fmt2021.part("requests")


def R(row: str, col: str) -> CellRef:
    return CellRef("requests", row, col)


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("5\t6\r\n7\t8\r\n", [["5", "6"], ["7", "8"]]),  # Windows
        ("5\t6\n7\t8\n\n\n", [["5", "6"], ["7", "8"]]),  # trailing empty lines
        ("5\r\r3\r\r2\r\r", [["5"], ["3"], ["2"]]),  # CRLF through tmux (LF pasted as CR)
        ("5\r\r\r\r3\r\r", [["5"], None, ["3"]]),  # a blank cell, through tmux
        ("5\r3\r2", [["5"], ["3"], ["2"]]),  # old Mac
        ("5\n\n3", [["5"], None, ["3"]]),  # a real empty line inside: a row left alone
    ],
)
def test_line_ends(text: str, lines: list[list[str] | None]) -> None:
    assert block_lines(text) == lines


def test_a_block_from_the_cursor(requests: Part) -> None:
    plan = plan_paste(requests, _rows(requests), (1, 2), "1\t2\n3\t4\n")
    assert plan.values == [
        (R("carried_over", "research"), 1),
        (R("carried_over", "public_interest"), 2),
        (R("disclosed", "research"), 3),
        (R("disclosed", "public_interest"), 4),
    ]
    assert not plan.by_label and not plan.refused
    assert (
        plan.summary()
        == "已粘贴 4 个单元格：第二项／法人或其他组织 科研机构 至 （一）予以公开／法人或其他组织 社会公益组织"
    )


def test_a_blank_line_never_clears_cells(requests: Part) -> None:
    plan = plan_paste(requests, _rows(requests), (0, 0), "5\n\n3\n")
    assert plan.values == [(R("new_requests", "natural_person"), 5), (R("disclosed", "natural_person"), 3)]


def test_rows_found_by_their_labels_wherever_the_cursor_is(requests: Part) -> None:
    text = (
        "申请人情况\t\t\t\t\t\t\t\n"  # a heading line: no values of its own
        "一、本年新收政府信息公开申请数量\t1\t2\t3\t4\t5\t6\t21\r\n"
        "（三）不予公开\t\t\t\t\t\t\t\r\n"
        "1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0\r\n"
    )
    plan = plan_paste(requests, _rows(requests), (10, 3), text)
    assert plan.by_label and not plan.refused
    assert [(ref.row, ref.col) for ref, _v in plan.values][:7] == [("new_requests", c) for c in COLS]
    assert [v for ref, v in plan.values if ref.row == "new_requests"] == [1, 2, 3, 4, 5, 6, 21]
    assert [v for ref, v in plan.values if ref.row == "state_secret"] == [0] * 7
    assert "按行名对应" in plan.summary()


def test_labels_merged_over_columns_are_padded_by_excel(requests: Part) -> None:
    plan = plan_paste(
        requests, _rows(requests), (0, 0), "一、本年新收政府信息公开申请数量\t\t\t80\t1\t0\t0\t0\t0\t81\n"
    )
    assert [v for _r, v in plan.values] == [80, 1, 0, 0, 0, 0, 81]
    assert plan.values[0][0] == R("new_requests", "natural_person")


def test_label_variants_as_published(fmt_trial: Format) -> None:
    part = fmt_trial.part("requests")
    plan = plan_paste(
        part, _rows(part), (0, 0), "（二）部分公开（区分处理的，只记这一情形，不计其他情形）\t1\t0\t0\t0\t0\t0\t1\n"
    )
    assert plan.by_label and plan.values[0][0] == CellRef("requests", "partly_disclosed", "natural_person")


def test_an_unknown_label_is_refused_not_placed(requests: Part) -> None:
    plan = plan_paste(
        requests, _rows(requests), (0, 0), "一、本年新收政府信息公开申请数量\t1\t1\t1\t1\t1\t1\t6\n不存在的行\t9\t9\n"
    )
    assert all(ref.row == "new_requests" for ref, _v in plan.values)
    assert plan.refused == ["找不到“不存在的行”这一行"]


def test_text_in_a_number_cell_is_refused(requests: Part) -> None:
    plan = plan_paste(requests, _rows(requests), (0, 0), "5\t约十件\t7\n")
    assert plan.values == [(R("new_requests", "natural_person"), 5), (R("new_requests", "research"), 7)]
    assert len(plan.refused) == 1 and "约十件" in plan.refused[0]
    assert "未填入 1 处" in plan.summary()


def test_past_the_edges(requests: Part) -> None:
    rows = _rows(requests)
    plan = plan_paste(requests, rows, (len(rows) - 1, 6), "1\t2\n3\n")
    assert plan.values == [(R("carried_forward", "total"), 1)]
    assert plan.refused == ["“2”超出表格右边", "第 2 行超出表格"]


def test_thousands_separators_and_full_width_digits(requests: Part) -> None:
    plan = plan_paste(requests, _rows(requests), (0, 0), "1,234\t１２\n")
    assert [v for _r, v in plan.values] == [1234, 12]


@given(st.lists(st.lists(st.integers(0, 10**6), min_size=1, max_size=7), min_size=1, max_size=25))
def test_every_number_of_a_grid_lands_in_its_place(grid: list[list[int]]) -> None:
    from tui.core.formats import get_format

    part = get_format("2021").part("requests")
    rows = _rows(part)
    text = "\r\n".join("\t".join(str(v) for v in line) for line in grid) + "\r\n"
    plan = plan_paste(part, rows, (0, 0), text)
    expected = [
        (CellRef("requests", rows[r][1].id, rows[r][0].columns[c].id), v)
        for r, line in enumerate(grid)
        for c, v in enumerate(line)
    ]
    assert plan.values == expected


def test_the_official_layout_group_and_row_in_separate_columns(requests: Part) -> None:
    # Excel/WPS copy of the printed table: groups merged down column A, rows in B, padding for merges.
    text = (
        "申请人情况\t\t\t\t\t\t\t\t\t\n"
        "\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计\n"
        "三、本年度办理结果\t（一）予以公开\t\t1\t2\t3\t4\t5\t6\t21\n"
        "\t（三）不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0\n"
        "\t\t2.其他法律行政法规禁止公开\t1\t0\t0\t0\t0\t0\t1\n"
    )
    plan = plan_paste(requests, _rows(requests), (20, 5), text)
    assert plan.by_label and not plan.refused
    assert [v for ref, v in plan.values if ref.row == "disclosed"] == [1, 2, 3, 4, 5, 6, 21]
    assert plan.values[0][0] == R("disclosed", "natural_person")
    assert [v for ref, v in plan.values if ref.row == "state_secret"] == [0] * 7
    assert [v for ref, v in plan.values if ref.row == "prohibited_by_law"] == [1, 0, 0, 0, 0, 0, 1]
    assert {ref.row for ref, _v in plan.values} == {"disclosed", "state_secret", "prohibited_by_law"}


def test_a_block_with_labels_never_falls_back_to_the_cursor(requests: Part) -> None:
    text = "三、本年度办理结果\t（九）不存在的一项\t\t1\t2\t3\t4\t5\t6\t21\n"
    plan = plan_paste(requests, _rows(requests), (0, 0), text)
    assert plan.values == []
    assert plan.refused == ["找不到“（九）不存在的一项”这一行"]


def test_copied_column_headers_are_skipped_and_numbers_go_from_the_cursor(fmt2021: Format) -> None:
    part = fmt2021.part("appeals")
    text = (
        "行政复议\t\t\t\t\t行政诉讼\n"
        "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\n"
        "1\t0\t0\t0\t1\t2\t0\t0\t0\t2\t0\t0\t0\t0\t0\n"
    )
    plan = plan_paste(part, _rows(part), (0, 0), text)
    assert not plan.by_label and not plan.refused
    assert [v for _r, v in plan.values] == [1, 0, 0, 0, 1, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0]
    assert plan.values[0][0] == CellRef("appeals", "cases", "review_upheld")


def test_a_whole_proactive_table_with_its_captions(fmt2021: Format) -> None:
    part = fmt2021.part("proactive")
    text = (
        "第二十条第（一）项\n"
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
        "规章\t0\t0\t3\n"
        "行政规范性文件\t2\t1\t14\n"
        "第二十条第（五）项\n"
        "信息内容\t本年处理决定数量\n"
        "行政许可\t1,203\n"
    )
    plan = plan_paste(part, _rows(part), (3, 0), text)
    assert plan.by_label and not plan.refused
    got = {(ref.row, ref.col): v for ref, v in plan.values}
    assert got == {
        ("rules", "issued"): 0,
        ("rules", "repealed"): 0,
        ("rules", "in_force"): 3,
        ("normative_docs", "issued"): 2,
        ("normative_docs", "repealed"): 1,
        ("normative_docs", "in_force"): 14,
        ("licensing", "decisions"): 1203,
    }


@pytest.mark.parametrize("cursor", [(0, 0), (0, 3), (5, 6)])
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("一、本年新收政府信息公开申请数量\t\t\t80\t1\t0\t0\t0\t0\t81\t", [80, 1, 0, 0, 0, 0, 81]),  # a column too many
        ("一、本年新收政府信息公开申请数量\t80\t1\t0\t0\t0\t0\t81\t\t", [80, 1, 0, 0, 0, 0, 81]),
        ("一、本年新收政府信息公开申请数量\t\t\t80\t1\t0\t0\t0\t0\t", [80, 1, 0, 0, 0, 0, None]),  # blank total
        ("一、本年新收政府信息公开申请数量\t\t\t80\t1\t0\t0\t0\t0\t\t\t", [80, 1, 0, 0, 0, 0, None]),
        ("一、本年新收政府信息公开申请数量\t80\t1\t0\t0\t0\t0", [80, 1, 0, 0, 0, 0]),  # the total not copied
    ],
)
def test_a_labelled_line_starts_at_the_first_column_wherever_the_cursor_is(
    requests: Part, cursor: tuple[int, int], line: str, expected: list[int | None]
) -> None:
    plan = plan_paste(requests, _rows(requests), cursor, line + "\r\n")
    assert plan.values == [(R("new_requests", col), v) for col, v in zip(COLS, expected, strict=False)]
    assert not plan.refused


def test_a_labelled_line_with_more_numbers_than_columns(requests: Part) -> None:
    """Which of them is one too many (a 序号 before, a note after) cannot be told: none is placed."""
    for line in (
        "一、本年新收政府信息公开申请数量\t\t1\t2\t3\t4\t5\t6\t21\t99\n",
        "一、本年新收政府信息公开申请数量\t1\t80\t1\t0\t0\t0\t0\t81\n",
    ):
        plan = plan_paste(requests, _rows(requests), (0, 3), line)
        assert plan.values == []
        assert plan.refused == ["“一、本年新收政府信息公开申请数量”一行有 8 格，表格只有 7 列"]


def test_a_line_named_like_a_column_still_carries_its_numbers(requests: Part) -> None:
    """总计 and 其他 are column headers too: with numbers after them they are a row the table lacks."""
    text = "（一）予以公开\t1\t2\t3\t4\t5\t6\t21\n总计\t9\t9\t9\t9\t9\t9\t54\n"
    plan = plan_paste(requests, _rows(requests), (0, 0), text)
    assert [v for _r, v in plan.values] == [1, 2, 3, 4, 5, 6, 21]
    assert plan.refused == ["找不到“总计”这一行"]


def test_a_title_or_unit_line_above_numbers_takes_no_row(requests: Part) -> None:
    rows = _rows(requests)
    for text in ("单位：件\n1\t2\t3\t4\t5\t6\t21\n", "三、收到和处理政府信息公开申请情况\n\n1\t2\t3\t4\t5\t6\t21\n"):
        plan = plan_paste(requests, rows, (2, 0), text)
        start = 2 + text.count("\n\n")  # an empty line inside the block is a row left alone
        assert plan.values == [
            (CellRef("requests", rows[start][1].id, col), v)
            for col, v in zip(COLS, [1, 2, 3, 4, 5, 6, 21], strict=True)
        ]
        assert not plan.refused and not plan.by_label
