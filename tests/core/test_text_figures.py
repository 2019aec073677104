"""TXT-NUM: figures stated in the narrative against the tables, on phrasings in the style of
published reports; both bundled reports are the golden case (their texts agree with their tables)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.checks import check_report
from tui.core.findings import Finding
from tui.core.formats import CellRef, get_format
from tui.core.report import Report
from tui.core.store import load_report

from ..conftest import HUAIAN, TONGJIANG

ROWS = {
    "new_requests": 25,
    "carried_over": 2,
    "disclosed": 10,
    "partly_disclosed": 4,
    "state_secret": 1,
    "third_party": 1,
    "not_held": 5,
    "repeated": 2,
    "no_correction": 1,
    "results_total": 24,
    "carried_forward": 3,
}
APPEALS = {
    "review_upheld": 2,
    "review_corrected": 1,
    "review_other": 0,
    "review_pending": 1,
    "review_total": 4,
    "direct_upheld": 1,
    "direct_corrected": 0,
    "direct_other": 0,
    "direct_pending": 1,
    "direct_total": 2,
    "after_upheld": 1,
    "after_corrected": 0,
    "after_other": 1,
    "after_pending": 0,
    "after_total": 2,
}


def county(overview: str = "", *, zero: bool = False) -> Report:
    """A consistent 2023 report of a county bureau: 25 new requests, 2 carried over, 24 answered, 3 carried forward."""
    report = Report.new(get_format("2021"), "某县民政局", 2023)
    for ref in report.format.cell_refs():
        report.cells[ref] = 0
    if not zero:
        for row, value in ROWS.items():
            report.cells[CellRef("requests", row, "natural_person")] = value
            report.cells[CellRef("requests", row, "total")] = value
        for col, value in APPEALS.items():
            report.cells[CellRef("appeals", "cases", col)] = value
    report.set_text("overview", overview)
    return report


def txt_num(report: Report) -> list[Finding]:
    return [f for f in check_report(report) if f.rule == "TXT-NUM"]


CLEAN = [
    "2023年，本机关共收到政府信息公开申请25件，上年结转2件，共计27件。",
    "全年共受理政府信息公开申请27件（含上年结转2件），已全部办结24件，另有3件结转下年度继续办理。",
    "本年度新收政府信息公开申请 25 件，办结 24 件，其中予以公开 10 件，部分公开 4 件，不予公开 2 件，"
    "无法提供 5 件，不予处理 2 件，其他处理 1 件；结转下年度继续办理 3 件。",
    "（二）依申请公开情况。本年度共收到政府信息公开申请 25 件，答复 24 件。其中予以公开10件，占办结总数的41.7%；"
    "部分公开4件，占16.7%。",
    "本年度共收到政府信息公开申请 25 件，同比增长 19%，答复 24 件，按时答复率 100%。",
    "本年度因政府信息公开被申请行政复议 4 件，其中维持 2 件、纠正 1 件、尚未审结 1 件；"
    "被提起行政诉讼 4 件，其中直接起诉 2 件、复议后起诉 2 件。",
    "全年发生政府信息公开行政复议 4 起，行政诉讼 4 起。",
    "收到政府信息公开申请２５件，全部按期答复。",
    "全年共收到政府信息公开申请 25 件，较上年减少 15 件，较2022年的 40 件明显下降。",
    "与上年相比，政府信息公开申请数量（2022年为40件）有所下降。",
    "全年受理群众咨询 120 件，办结人大代表建议 12 件、政协提案 8 件，召开新闻发布会 6 场。",
    "收到行政复议申请 4 件。",
    "依申请公开方面，全年共办理政府信息公开申请 27 件，约 30 件涉及民生领域，受理申请 300 余件次的咨询。",
    "未经复议直接起诉 2 件，其中尚未审结 1 件；复议后起诉 2 件，其中结果维持 1 件，其他结果 1 件。",
    "行政复议 4 件，行政诉讼 4 件，其中维持 1 件。",
    "因政府信息公开被申请行政复议和提起行政诉讼共 8 件。",
    "本年度政府信息公开申请 25 件，其中予以公开 10 件，占 40%。",
    "2022年度结转至本年度的申请已全部办结。上年度共收到政府信息公开申请 40 件。",
]


@pytest.mark.parametrize("text", CLEAN)
def test_clean_phrasings_raise_nothing(text: str) -> None:
    assert txt_num(county(text)) == []


def test_clean_phrasings_are_read_not_just_ignored() -> None:
    """The clean cases above agree with the table because they were read: change the table, they fire."""
    report = county("\n".join(CLEAN))
    rule = next(r for r in report.format.rules if r.id == "TXT-NUM")
    (check,) = [c for c in rule.checks if getattr(c, "text", "") == "overview"]
    claims = check.reader.claims(report.text("overview"), 2023)  # type: ignore[attr-defined]
    stated = sorted({(c.kind, c.figure.id, c.stated) for c in claims})
    assert ("figure", "received", 25) in stated
    assert ("figure", "received", 27) in stated  # 含上年结转
    assert ("figure", "carried_over", 2) in stated
    assert ("figure", "processed", 24) in stated
    assert ("figure", "carried_forward", 3) in stated
    assert ("percent", "disclosed", 10) in stated and ("percent", "partly", 4) in stated
    for figure in ("disclosed", "partly", "withheld", "unavailable", "not_processed", "other_handling"):
        assert any(c.figure.id == figure for c in claims), figure
    for figure in ("review", "review_upheld", "review_corrected", "review_pending", "litigation", "direct", "after"):
        assert any(c.figure.id == figure for c in claims), figure
    assert ("figure", "direct_pending", 1) in stated and ("figure", "after_upheld", 1) in stated
    assert not any(c.stated in (40, 15, 120, 12, 8, 6, 30, 300) for c in claims)
    assert not any(c.figure.id in ("review_upheld", "litigation_upheld") and c.stated == 1 for c in claims)


def test_answered_805_while_the_table_says_820() -> None:
    report = county(
        "本年度共收到政府信息公开申请 823 件，答复 805 件（含上年度结转申请 2 件，另有 20 件结转下年度办理）。"
    )
    report.cells[CellRef("requests", "new_requests", "total")] = 823
    report.cells[CellRef("requests", "results_total", "total")] = 820
    report.cells[CellRef("requests", "carried_forward", "total")] = 20
    (finding,) = txt_num(report)
    assert finding.message.startswith("第一部分写“答复 805 件”，表三（七）总计为 820")
    assert finding.severity == "warning" and finding.part == "overview" and finding.text == "overview"
    assert finding.quote == report.text("overview")
    assert (finding.start, finding.end) == (0, len(report.text("overview")))
    assert finding.cells == (CellRef("requests", "results_total", "total"),)


FAILING = [
    ("本年度共收到政府信息公开申请 26 件。", "表三第一项（本年新收申请）总计为 25"),
    (
        "全年共受理政府信息公开申请 25 件（含上年结转 2 件），均已按时答复。",
        "第一项（本年新收）与第二项（上年结转）总计之和为 27",
    ),
    ("共收到政府信息公开申请25件，上年结转1件。", "“上年结转1件”，表三第二项（上年结转）总计为 2"),
    ("本年度新收政府信息公开申请 25 件，办结 23 件。", "“办结 23 件”，表三（七）总计为 24"),
    (
        "共收到政府信息公开申请 25 件，另有 4 件结转下年度。",
        "“4 件结转下年度”，表三第四项（结转下年度继续办理）总计为 3",
    ),
    ("办结政府信息公开申请 24 件，其中予以公开 11 件。", "“予以公开 11 件”，表三（一）予以公开总计为 10"),
    ("其中不予公开 3 件，无法提供 5 件。", "表三（三）不予公开各项之和为 2"),
    ("本年度收到政府信息公开申请 25 件，其中 6 件无法提供。", "“6 件无法提供”，表三（四）无法提供各项之和为 5"),
    ("本年度办结政府信息公开申请24件，予以公开10件，占45%。", "以表三（七）总计 24 为基数计算应为 42%"),
    ("本年度被申请行政复议 5 件。", "写“被申请行政复议 5 件”，表四行政复议总计为 4"),
    ("本年度发生政府信息公开行政诉讼 3 起。", "表四行政诉讼总计（直接起诉与复议后起诉之和）为 4"),
    ("本年度因政府信息公开被申请行政复议 4 件，其中维持 3 件。", "“维持 3 件”，表四行政复议结果维持为 2"),
    ("未经复议直接起诉 1 宗。", "表四未经复议直接起诉总计为 2"),
    ("本年度未发生政府信息公开行政复议案件。", "“未发生政府信息公开行政复议案件”，但表四行政复议总计为 4"),
    ("本年度未收到政府信息公开申请。", "但表三第一项（本年新收申请）总计为 25"),
]


@pytest.mark.parametrize(("text", "expected"), FAILING)
def test_failing_phrasings_are_reported(text: str, expected: str) -> None:
    findings = txt_num(county(text))
    assert len(findings) == 1, findings
    assert expected in findings[0].message, findings[0].message
    assert findings[0].quote and findings[0].quote in text


def test_nothing_said_nothing_owed() -> None:
    zero = county("本年度未收到政府信息公开申请，未发生因政府信息公开引发的行政复议、行政诉讼。", zero=True)
    assert txt_num(zero) == []
    zero.cells[CellRef("appeals", "cases", "after_total")] = 1
    (finding,) = txt_num(zero)
    assert "行政诉讼" in finding.message and "为 1" in finding.message


def test_a_blank_or_invalid_cell_is_not_compared() -> None:
    report = county("本年度共收到政府信息公开申请 26 件。")
    report.cells[CellRef("requests", "new_requests", "total")] = None
    assert txt_num(report) == []


def test_another_years_figures_are_left_alone() -> None:
    text = "2022年，本机关共收到政府信息公开申请 40 件，答复 38 件。本年度共收到政府信息公开申请 25 件。"
    assert txt_num(county(text)) == []
    assert txt_num(county("上一年度共收到政府信息公开申请 40 件。")) == []


@pytest.mark.parametrize("path", [HUAIAN, TONGJIANG])
def test_bundled_reports_agree_with_their_tables(path: object) -> None:
    report = load_report(path)  # type: ignore[arg-type]
    assert txt_num(report) == []


# Which sentence of 淮安 2024 states which table figure (a change of one of them must be reported there).
HUAIAN_STATED = {
    ("requests", "new_requests", "total"): "2024 年，全市共受理政府信息公开申请 3119 件",
    ("requests", "carried_over", "total"): "2024 年，全市共受理政府信息公开申请 3119 件",
    ("requests", "results_total", "total"): "2024 年，全市共受理政府信息公开申请 3119 件",
    ("requests", "carried_forward", "total"): "2024 年，全市共受理政府信息公开申请 3119 件",
    **{
        ("appeals", "cases", f"review_{k}"): "政府信息公开行政复议 351 件"
        for k in ("upheld", "corrected", "other", "pending", "total")
    },
    **{
        ("appeals", "cases", f"{g}_{k}"): "政府信息公开行政诉讼 46 件"
        for g in ("direct", "after")
        for k in ("upheld", "corrected", "other", "pending", "total")
    },
}


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(HUAIAN_STATED)), st.integers(1, 500), st.booleans())
def test_changing_a_stated_figure_fires_for_exactly_its_sentence(
    cell: tuple[str, str, str], delta: int, up: bool
) -> None:
    report = load_report(HUAIAN)
    ref = CellRef(*cell)
    old = report.value(ref)
    assert isinstance(old, int)
    report.cells[ref] = old + delta if up or delta > old else old - delta
    findings = txt_num(report)
    assert findings
    assert len({f.quote for f in findings}) == 1
    assert all(f.quote.startswith(HUAIAN_STATED[cell]) for f in findings)
    assert all(ref in f.cells for f in findings)


SYNTHETIC_STATED = {
    ("requests", "new_requests", "total"): 0,
    ("requests", "carried_over", "total"): 0,
    ("requests", "results_total", "total"): 1,
    ("requests", "carried_forward", "total"): 1,
    ("requests", "disclosed", "total"): 2,
    ("requests", "partly_disclosed", "total"): 2,
    ("requests", "not_held", "total"): 3,
    ("requests", "repeated", "total"): 3,
    ("appeals", "cases", "review_total"): 4,
    ("appeals", "cases", "review_corrected"): 4,
    ("appeals", "cases", "direct_total"): 5,
    ("appeals", "cases", "after_total"): 5,
}
SYNTHETIC = [
    "本年度共收到政府信息公开申请 25 件，上年结转 2 件。",
    "全年办结 24 件，另有 3 件结转下年度继续办理。",
    "其中，予以公开 10 件，部分公开 4 件。",
    "无法提供 5 件，不予处理 2 件。",
    "被申请行政复议 4 件，其中纠正 1 件。",
    "行政诉讼 4 件，其中未经复议直接起诉 2 件、复议后起诉 2 件。",
]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(SYNTHETIC_STATED)), st.integers(1, 9), st.booleans())
def test_changing_a_stated_figure_fires_for_exactly_its_sentence_written_here(
    cell: tuple[str, str, str], delta: int, up: bool
) -> None:
    report = county("（二）依申请公开情况。" + "".join(SYNTHETIC))
    assert txt_num(report) == []
    ref = CellRef(*cell)
    old = report.value(ref)
    assert isinstance(old, int)
    report.cells[ref] = old + delta if up or delta > old else old - delta
    findings = txt_num(report)
    assert {f.quote for f in findings} == {SYNTHETIC[SYNTHETIC_STATED[cell]]}


@pytest.mark.parametrize(
    "text",
    [
        "本年度共收到政府信息公开申请 25 件，其中通过网络平台收到 20 件，通过信函收到 5 件。",
        "本年度办结政府信息公开申请 24 件，其中按时答复 20 件，延期答复 4 件。",
        "全年当面受理政府信息公开申请 3 件。",
    ],
)
def test_a_part_of_a_figure_is_not_the_figure(text: str) -> None:
    assert txt_num(county(text)) == []
