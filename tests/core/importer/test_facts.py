"""Organisation and year wherever the report gives them; portal furniture kept out of the draft."""

from __future__ import annotations

import pytest

from tui.core.importer import MissingFacts, NotAReport, import_report
from tui.core.store import load_report

from ...conftest import HUAIAN
from .shapes import pipes, portal_page

ORIGINAL = load_report(HUAIAN)
BODY = pipes(ORIGINAL).split("\n", 1)[1]  # everything after the title line
PREAMBLE = ORIGINAL.texts["preamble"]
WITHOUT_ORG = BODY.replace("本报告由淮安市人民政府办公室根据", "本报告根据")

TITLES = [
    # (case, the text before the preamble, body, expected organisation or None = missing, year or None)
    ("org and year", "淮安市人民政府2024年政府信息公开工作年度报告", BODY, "淮安市人民政府", 2024),
    ("year first", "2024年淮安市人民政府政府信息公开工作年度报告", BODY, "淮安市人民政府", 2024),
    ("年度, year first", "2024年度淮安市人民政府政府信息公开工作年度报告", BODY, "淮安市人民政府", 2024),
    ("title over two lines", "淮安市人民政府\n2024年政府信息公开工作年度报告", BODY, "淮安市人民政府", 2024),
    ("title cut mid-word", "淮安市人民政府2024年政府信息\n公开工作年度报告", BODY, "淮安市人民政府", 2024),
    ("year in brackets", "淮安市人民政府政府信息公开工作年度报告（2024年度）", BODY, "淮安市人民政府", 2024),
    ("without 工作", "淮安市人民政府2024年政府信息公开年度报告", BODY, "淮安市人民政府", 2024),
    ("spaces", "淮安市人民政府 2024 年政府信息公开工作年度报告", BODY, "淮安市人民政府", 2024),
    (
        "发布机构 before the title",
        "索引号：11320800014157284J/2025-00012 发布机构：淮安市人民政府 发布日期：2025-01-20\n"
        "2024年政府信息公开工作年度报告",
        WITHOUT_ORG,
        "淮安市人民政府",
        2024,
    ),
    (
        "metadata run together",
        "索引号：113208/2025-00012发布机构：淮安市人民政府发布日期：2025-01-20\n2024年政府信息公开工作年度报告",
        WITHOUT_ORG,
        "淮安市人民政府",
        2024,
    ),
    (
        "metadata around the title",
        "索引号：1132/2025-1 分类：年度报告\n淮安市人民政府2024年政府信息公开工作年度报告\n"
        "发布日期：2025-01-20 来源：市政府办 浏览次数：123",
        BODY,
        "淮安市人民政府",
        2024,
    ),
    (
        "现公布 in the preamble",
        "2024年政府信息公开工作年度报告\n根据《条例》规定，现公布淮安市人民政府2024年政府信息公开工作年度报告。",
        WITHOUT_ORG,
        "淮安市人民政府",
        2024,
    ),
    (
        "特编制 in the preamble",
        "2024年度政府信息公开工作年度报告\n根据《中华人民共和国政府信息公开条例》规定，"
        "特编制淮安市人民政府2024年度政府信息公开工作年度报告。",
        WITHOUT_ORG,
        "淮安市人民政府",
        2024,
    ),
    (
        "现将《…》公布如下",
        "2024年政府信息公开工作年度报告\n现将《淮安市人民政府2024年政府信息公开工作年度报告》公布如下。",
        WITHOUT_ORG,
        "淮安市人民政府",
        2024,
    ),
    (
        "breadcrumbs only",
        "首页 > 政务公开 > 淮安市人民政府2024年政府信息公开工作年度报告\n发布日期：2025-01-20",
        BODY,
        "淮安市人民政府",
        2024,
    ),
    ("本报告由…编制", "2024年政府信息公开工作年度报告", BODY, "淮安市人民政府办公室", 2024),
    (
        "year from 统计期限",
        "淮安市人民政府政府信息公开工作年度报告",
        BODY.replace(PREAMBLE, "本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止。"),
        "淮安市人民政府",
        2024,
    ),
    (
        "格式 is not a title",
        "2024年政府信息公开工作年度报告",
        WITHOUT_ORG.replace("本报告根据", "本报告按照《中华人民共和国政府信息公开工作年度报告格式》，根据"),
        None,
        2024,
    ),
    # title and preamble phrasings of real reports (see tests/data/import/README.md)
    ("年度…工作报告", "淮安市人民政府2024年度政府信息公开工作报告", BODY, "淮安市人民政府", 2024),
    (
        "现公布…年度…工作报告",
        "2024年度政府信息公开工作报告\n现公布淮安市人民政府2024年度政府信息公开工作报告。",
        WITHOUT_ORG,
        "淮安市人民政府",
        2024,
    ),
    ("关于…年度…情况的报告", "关于2024年度政府信息公开情况的报告", WITHOUT_ORG, None, 2024),
    ("关于…年度…工作情况的报告", "关于2022年度政府信息公开工作情况的报告", WITHOUT_ORG, None, 2022),
    ("flipbook page", "Page 1 - 淮安市人民政府2024年政府信息公开工作年度报告\nP. 1", BODY, "淮安市人民政府", 2024),
    (
        "结合…工作实际",
        "根据《条例》要求，结合2024年淮安市人民政府政府信息公开工作实际，编制发布本报告。",
        WITHOUT_ORG,
        "淮安市人民政府",
        2024,
    ),
    ("工作报告 without 年度 is no title", "淮安市人民政府政府信息公开工作报告", WITHOUT_ORG, None, 2024),
    ("no organisation", "2024年政府信息公开工作年度报告", WITHOUT_ORG, None, 2024),
    ("neither", "政府信息公开工作年度报告", WITHOUT_ORG.replace("2024 年 1 月 1 日", "今年"), None, None),
]


@pytest.mark.parametrize(("case", "head", "body", "org", "year"), TITLES, ids=[t[0] for t in TITLES])
def test_title_variants(case: str, head: str, body: str, org: str | None, year: int | None) -> None:
    if org is None or year is None:
        with pytest.raises(MissingFacts) as caught:
            import_report(f"{head}\n{body}")
        assert caught.value.missing == tuple(m for m, v in (("org", org), ("year", year)) if v is None)
        names = "和".join(n for n, v in (("机关名称", org), ("报告年度", year)) if v is None)
        assert str(caught.value).endswith(f"找不到{names}")
        given = import_report(f"{head}\n{body}", org=org or "淮安市人民政府", year=year or 2024)
        assert (given.report.org, given.report.year) == (org or "淮安市人民政府", year or 2024)
        return
    result = import_report(f"{head}\n{body}")
    assert (result.report.org, result.report.year) == (org, year)
    assert result.report.cells == ORIGINAL.cells and result.complete
    assert not any(word in result.report.texts["preamble"] for word in ("索引号", "发布日期", "首页", "P. 1"))


def test_the_clerks_organisation_and_year_win_with_a_note() -> None:
    result = import_report("淮安市人民政府2024年政府信息公开工作年度报告\n" + BODY, org="淮安市政府办公室", year=2025)
    assert (result.report.org, result.report.year) == ("淮安市政府办公室", 2025)
    messages = " ".join(n.message for n in result.notes)
    assert "按指定的“淮安市政府办公室”导入（报告中标题写的是“淮安市人民政府”）" in messages
    assert "按指定的 2025 年导入" in messages


def test_a_text_that_is_no_report_is_refused() -> None:
    with pytest.raises(NotAReport, match="找不到报告标题"):
        import_report("会议纪要\n今天开会，讨论了三件事。\n")
    with pytest.raises(NotAReport, match="找不到报告标题"):
        import_report("会议纪要\n今天开会。\n", org="某局", year=2024)


def test_headings_and_tables_without_a_title_import_with_the_clerks_facts() -> None:
    result = import_report(BODY, org="淮安市人民政府", year=2024)
    assert result.report.cells == ORIGINAL.cells and result.report.texts == ORIGINAL.texts


def test_portal_furniture_stays_out_of_the_preamble_and_part_six() -> None:
    page = portal_page(ORIGINAL).replace("</body>", "<p>淮安市人民政府办公室 主办</p></body>")
    result = import_report(page)
    assert result.report.texts == ORIGINAL.texts
    dropped = " ".join(n.message for n in result.notes if n.severity == "info")
    assert "标题之前的文字" in dropped and "网页页脚" in dropped
    for word in ("版权所有", "网站标识码", "ICP", "打印本页", "关闭窗口", "当前位置", "索引号", "无障碍", "相关链接"):
        assert all(word not in text for text in result.report.texts.values())


def test_footer_lines_of_a_copied_page_are_cut_after_part_six() -> None:
    footer = (
        "\n【打印本页】 【关闭窗口】\n上一篇：淮安市人民政府2023年政府信息公开工作年度报告\n版权所有：淮安市人民政府\n"
    )
    result = import_report("淮安市人民政府2024年政府信息公开工作年度报告\n" + BODY + footer)
    assert result.report.texts == ORIGINAL.texts
    dropped = [n.message for n in result.notes if "网页页脚" in n.message]
    assert len(dropped) == 3 and "版权所有" in dropped[2]


def test_a_sentence_mentioning_accessibility_is_not_furniture() -> None:
    sentence = "完成网站无障碍和适老化改造，全年未发生网站安全事件。"
    text = BODY.replace("六、其他需要报告的事项\n", f"六、其他需要报告的事项\n{sentence}\n")
    result = import_report("淮安市人民政府2024年政府信息公开工作年度报告\n" + text)
    assert result.report.texts["other"].startswith(sentence)
