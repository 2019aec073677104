"""The other text rules (FMT-PARTS, TXT-YEAR, TXT-COPY, P5-SUBSTANCE) and rule packs: a passing
and a failing case for each, written in the style of published reports."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from tui.core.checks import check_report
from tui.core.findings import Finding
from tui.core.formats import CellRef
from tui.core.linked_files import load_linked_files
from tui.core.report import Report
from tui.core.resources import resource_dir
from tui.core.store import load_report, save_report

from ..conftest import HUAIAN, TONGJIANG
from .test_text_figures import county

TEXT_RULES = {"TXT-NUM", "FMT-PARTS", "TXT-YEAR", "TXT-COPY", "P5-SUBSTANCE"}
P5_GOOD = (
    "我局政府信息公开工作还存在一些不足：一是政策解读形式较为单一，图解、视频等解读产品偏少；"
    "二是依申请公开答复的规范化水平有待提高，个别答复书引用条款不够准确。"
    "下一步，我局将丰富政策解读形式，加强答复文书审核，组织业务培训，不断提升政府信息公开工作质量。"
)


def _found(report: Report, rule: str) -> list[Finding]:
    return [f for f in check_report(report) if f.rule == rule]


def _with(tid: str, text: str, **kw: object) -> Report:
    report = county()
    report.set_text("problems", P5_GOOD)
    report.set_text(tid, text)
    for key, value in kw.items():
        setattr(report, key, value)
    return report


@pytest.mark.parametrize("path", [HUAIAN, TONGJIANG])
def test_bundled_reports_pass_every_text_rule(path: Path) -> None:
    assert [f for f in check_report(load_report(path)) if f.rule in TEXT_RULES] == []


def test_the_clean_county_report_passes_every_rule() -> None:
    report = _with(
        "preamble",
        "本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》编制，"
        "由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
        "存在的主要问题及改进情况、其他需要报告的事项六个部分组成。报告所列统计期限自2023年1月1日起至2023年12月31日止。"
        "本报告由某县民政局办公室根据《条例》编制。如对本报告有疑问，请与某县民政局办公室联系（电话：0000-1234567）。",
    )
    report.set_text("other", "本年度未收取信息处理费。")
    report.set_text(
        "overview",
        "2023年，某县民政局认真贯彻落实《中华人民共和国政府信息公开条例》。\n"
        "（二）依申请公开情况。本年度共收到政府信息公开申请 25 件，上年结转 2 件，办结 24 件，"
        "另有 3 件结转下年度继续办理。2024年，我局将继续做好依申请公开工作。",
    )
    assert check_report(report) == []


# --- FMT-PARTS -----------------------------------------------------------------------------

SIX = (
    "总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
    "存在的主要问题及改进情况、其他需要报告的事项"
)


@pytest.mark.parametrize(
    "preamble",
    [
        f"本报告由{SIX}六个部分组成。",
        f"本年度报告包括{SIX}。",
        "本报告由某县民政局根据《条例》编制，全文包括总体情况等六部分。",
        "第一部分总体情况包括主动公开、依申请公开、政府信息管理等情况。",  # no list of the report's parts
    ],
)
def test_fmt_parts_passes(preamble: str) -> None:
    assert _found(_with("preamble", preamble), "FMT-PARTS") == []


@pytest.mark.parametrize(
    ("preamble", "expected"),
    [
        (
            "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、存在的主要问题及改进情况、"
            "其他需要报告的事项等五部分组成。",
            "写“五部分”，但年度报告由 6 个部分组成",
        ),
        (
            "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、存在的主要问题及改进情况、"
            "其他需要报告的事项等六部分组成。",
            "缺少：四、政府信息公开行政复议、行政诉讼情况",
        ),
        (
            "本报告包括总体情况、主动公开政府信息情况、政府信息公开行政复议和行政诉讼情况、"
            "收到和处理政府信息公开申请情况、存在的主要问题及改进情况、其他需要报告的事项。",
            "顺序与格式不一致",
        ),
    ],
)
def test_fmt_parts_fails(preamble: str, expected: str) -> None:
    report = _with("preamble", "根据《条例》规定编制本报告。" + preamble)
    (finding,) = _found(report, "FMT-PARTS")
    assert expected in finding.message and finding.severity == "warning"
    assert finding.text == "preamble" and finding.part is None
    assert finding.quote == preamble and report.text("preamble")[finding.start : finding.end] == preamble


# --- TXT-YEAR ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tid", "text"),
    [
        ("preamble", "报告所列统计期限自 2023 年 1 月 1 日至 2023 年 12 月 31 日。"),
        ("preamble", "现公布某县民政局2023年政府信息公开工作年度报告。"),
        ("preamble", "根据《关于做好2023年政府信息公开工作年度报告编制发布工作的通知》要求编制本报告。"),
        ("overview", "2023年，我局坚持以习近平新时代中国特色社会主义思想为指导。"),
        ("overview", "2022年以来，我局不断完善政务公开制度。与2022年相比，主动公开信息数量有所增加。"),
        ("problems", P5_GOOD + "2024年，我局将进一步加强政府信息公开工作。"),
    ],
)
def test_txt_year_passes(tid: str, text: str) -> None:
    assert _found(_with(tid, text), "TXT-YEAR") == []


@pytest.mark.parametrize(
    ("tid", "text", "expected"),
    [
        ("preamble", "报告所列统计期限自2022年1月1日起至2022年12月31日止。", "统计期限应为 2023 年 1 月 1 日"),
        (
            "preamble",
            "现将某县民政局2022年政府信息公开工作年度报告公布如下。",
            "“某县民政局2022年政府信息公开工作年度报告”",
        ),
        ("preamble", "现公布某市民政局2023年政府信息公开工作年度报告。", "机关名称或年度不一致"),
        ("overview", "2022年，我局坚持以习近平新时代中国特色社会主义思想为指导。", "这里说的却是 2022 年"),
        ("other", "2021年度，我局未收取信息处理费。", "这里说的却是 2021 年"),
    ],
)
def test_txt_year_fails(tid: str, text: str, expected: str) -> None:
    (finding,) = _found(_with(tid, text), "TXT-YEAR")
    assert expected in finding.message, finding.message
    assert finding.quote == text and (finding.start, finding.end) == (0, len(text))


# --- TXT-COPY ------------------------------------------------------------------------------


def _two_years(this_year_text: str) -> Report:
    last = load_report(HUAIAN)
    last.year = 2023
    this = load_report(HUAIAN)
    this.previous = last
    for col in ("natural_person", "commercial", "research", "public_interest", "legal_services", "other_org", "total"):
        last.cells[CellRef("requests", "carried_forward", col)] = this.value(CellRef("requests", "carried_over", col))
    this.set_text("problems", this_year_text)
    return this


def _copied(report: Report) -> list[Finding]:
    return [f for f in _found(report, "TXT-COPY") if f.text == "problems"]


def test_txt_copy_passes_when_the_text_was_rewritten() -> None:
    report = _two_years(P5_GOOD)
    assert _copied(report) == []
    assert {f.text for f in _found(report, "TXT-COPY")} == {"preamble", "overview", "other"}  # unchanged
    report.previous = None
    assert _found(report, "TXT-COPY") == []


def test_txt_copy_reports_last_years_text_with_new_figures() -> None:
    old = load_report(HUAIAN).text("problems")
    report = _two_years(old.replace("一是", "一是2024年").replace("个别单位", "部分单位"))
    (finding,) = _copied(report)
    assert finding.severity == "info" and finding.part == "problems"
    assert "与上年报告的同一部分有" in finding.message and "% 相同" in finding.message
    percent = int(finding.message.split("有 ")[1].split("%")[0])
    assert 80 <= percent <= 100


@pytest.mark.parametrize(
    "text",
    [
        "本报告由某县民政局办公室根据《条例》编制。如对本报告有疑问，请与某县民政局办公室联系。",
        "本报告由县民政局办公室编制。",
        "本报告由本局办公室编制。",
        "本报告由某省某县民政局根据《条例》编制。",
    ],
)
def test_txt_copy_own_name_passes(text: str) -> None:
    assert _found(_with("preamble", text), "TXT-COPY") == []


@pytest.mark.parametrize(
    "text",
    ["本报告由某市民政局办公室根据《条例》编制。", "如对本报告有疑问，请与另一县民政局办公室联系（电话：1234567）。"],
)
def test_txt_copy_another_units_name_fails(text: str) -> None:
    (finding,) = _found(_with("preamble", text), "TXT-COPY")
    assert "本报告的机关是某县民政局" in finding.message and finding.quote == text


# --- P5-SUBSTANCE --------------------------------------------------------------------------


def test_p5_substance_passes() -> None:
    assert _found(_with("problems", P5_GOOD), "P5-SUBSTANCE") == []
    assert _found(_with("problems", ""), "P5-SUBSTANCE") == []  # empty: P5-NONEMPTY says so


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("无。", "只写了“无”"),
        ("暂无", "只写了“暂无”"),
        ("存在问题：一是公开不及时。下一步将加强培训。", "只有 22 个字"),
        (
            "我局政府信息公开工作取得了一定成效，信息发布及时准确，依申请公开答复规范，政务新媒体运行良好，"
            "公开平台建设扎实推进，监督保障机制健全有效，群众满意度较高，各项工作均按要求完成并取得实效，"
            "得到了上级部门和社会公众的充分肯定。",
            "没有写到：存在的主要问题",
        ),
    ],
)
def test_p5_substance_fails(text: str, expected: str) -> None:
    (finding,) = _found(_with("problems", text), "P5-SUBSTANCE")
    assert expected in finding.message and finding.severity == "info"


def test_p5_substance_asks_for_last_years_follow_up_when_last_year_is_known() -> None:
    report = _two_years(P5_GOOD)
    (finding,) = _found(report, "P5-SUBSTANCE")
    assert "上一年度报告所列问题的整改情况" in finding.message
    report.set_text(
        "problems", P5_GOOD + "针对上年度报告中指出的解读形式单一问题，我局已完成整改，新增图解解读 12 篇。"
    )
    assert _found(report, "P5-SUBSTANCE") == []


# --- rule packs ----------------------------------------------------------------------------

PACK = "packs/example-province.toml"
PACK_RULE = 'name = "x"\n[[rules]]\nid = "X"\nkind = "text_max_length"\nseverity = "info"\n'


def _draft_with_pack(tmp_path: Path, source: Path, *names: str) -> Report:
    report = load_report(source)
    report.rule_files = list(names)
    save_report(report, tmp_path / "draft.toml")
    loaded = load_report(tmp_path / "draft.toml")
    assert loaded.rule_files == list(names)  # the draft keeps the key
    load_linked_files(loaded, tmp_path / "draft.toml")
    return loaded


def test_the_example_pack_passes_on_huaian(tmp_path: Path) -> None:
    report = _draft_with_pack(tmp_path, HUAIAN, PACK)
    assert [r.id for r in report.extra_rules] == ["SHENG-LEN", "SHENG-MEDIA", "SHENG-JIEDU"]
    assert check_report(report) == []


def test_the_example_pack_fails(tmp_path: Path) -> None:
    report = _draft_with_pack(tmp_path, HUAIAN, PACK)
    report.set_text("overview", "2024 年，我市认真落实《条例》各项规定。" * 200)
    rules = {f.rule: f for f in check_report(report)}
    assert "不超过 3000 字" in rules["SHENG-LEN"].message and "现有 4200 字" in rules["SHENG-LEN"].message
    assert "政务新媒体" in rules["SHENG-MEDIA"].message
    assert "政策解读的数量" in rules["SHENG-JIEDU"].message


def test_a_pack_beside_the_draft(tmp_path: Path) -> None:
    (tmp_path / "本县.toml").write_text(
        'name = "本县要求"\n[[rules]]\nid = "XIAN-P6"\nkind = "text_mentions"\nseverity = "info"\n'
        'part = "other"\nany = ["政务公开工作要点"]\n',
        encoding="utf-8",
    )
    report = _draft_with_pack(tmp_path, TONGJIANG, "本县.toml")
    (finding,) = check_report(report)
    assert finding.rule == "XIAN-P6" and "政务公开工作要点" in finding.message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "不存在"),
        ("[[rules]", "不是有效的 TOML"),
        ('name = "x"\nrulez = []\n', "rulez：未知的键"),
        ("rules = []\n", "name：缺少此项"),
        (
            PACK_RULE + 'part = "overview"\nmax_char = 5\n',
            "rules[0].max_char（规则 X）：未知的参数",
        ),
        (
            PACK_RULE + 'part = "overvew"\nmax_chars = 5\n',
            "rules[0].part（规则 X）",
        ),
    ],
)
def test_a_pack_that_cannot_be_used_is_an_error(tmp_path: Path, content: str | None, expected: str) -> None:
    if content is not None:
        (tmp_path / "pack.toml").write_text(content, encoding="utf-8")
    report = _draft_with_pack(tmp_path, HUAIAN, "pack.toml")
    (finding,) = check_report(report)
    assert finding.rule == "RULES-FILE" and finding.severity == "error"
    assert expected in finding.message and "pack.toml" in finding.message


def test_a_pack_for_another_format_is_refused(tmp_path: Path) -> None:
    report = _draft_with_pack(tmp_path, TONGJIANG, PACK)
    (finding,) = check_report(report)
    assert finding.rule == "RULES-FILE" and "只适用于格式 2021" in finding.message


def test_the_example_pack_is_shipped() -> None:
    assert (resource_dir("schemas") / PACK).is_file()


def test_text_findings_move_with_the_text() -> None:
    report = county("本年度共收到政府信息公开申请 25 件。")
    assert _found(report, "TXT-NUM") == []
    edited = copy.copy(report)
    edited.texts = dict(report.texts)
    edited.set_text("overview", "（二）依申请公开情况。本年度共收到政府信息公开申请 26 件。")
    (finding,) = _found(edited, "TXT-NUM")
    assert (finding.start, finding.end) == (11, len(edited.text("overview")))
    assert finding.quote == "本年度共收到政府信息公开申请 26 件。"


def test_part_five_may_look_back_at_last_year() -> None:
    text = (
        "2023年，我局政府信息公开工作存在解读形式单一的问题，针对《某县民政局2023年政府信息公开工作年度报告》"
        "所列问题，今年已全部整改到位。" + P5_GOOD
    )
    assert _found(_with("problems", text), "TXT-YEAR") == []


def test_a_draft_with_a_bad_rules_key_is_refused(tmp_path: Path) -> None:
    from tui.core.store import DraftError

    path = tmp_path / "draft.toml"
    save_report(load_report(HUAIAN), path)
    text = path.read_text(encoding="utf-8").replace("year = 2024\n", 'year = 2024\nrules = "packs/x.toml"\n', 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DraftError, match="rules"):
        load_report(path)
