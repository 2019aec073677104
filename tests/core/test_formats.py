"""The national formats as data: verbatim labels, shapes, validation of broken schema files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tui.core.formats import (
    Format,
    SchemaError,
    UnknownFormatError,
    all_formats,
    format_for_year,
    get_format,
    load_format,
)
from tui.core.report import Report
from tui.core.resources import resource_dir

PART_HEADINGS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]


def _rows(fmt: Format, part: str) -> list[str]:
    table = fmt.part(part).table
    assert table is not None
    return [row.label for block in table.blocks for row in block.rows]


def test_both_formats_are_known() -> None:
    formats = all_formats()
    assert list(formats) == ["2021", "2019-trial"]
    assert formats["2021"].document == "国办公开办函〔2021〕30号"
    assert formats["2019-trial"].document == "国办公开办函〔2019〕60号"


@pytest.mark.parametrize("fmt_id", ["2021", "2019-trial"])
def test_six_parts_verbatim(fmt_id: str) -> None:
    assert [p.heading for p in get_format(fmt_id).parts] == PART_HEADINGS


def test_cell_counts_match_the_official_tables(fmt2021: Format, fmt_trial: Format) -> None:
    def count(fmt: Format, part: str) -> int:
        return sum(1 for ref in fmt.cell_refs() if ref.part == part)

    assert (count(fmt2021, "proactive"), count(fmt2021, "requests"), count(fmt2021, "appeals")) == (10, 175, 15)
    assert (count(fmt_trial, "proactive"), count(fmt_trial, "requests"), count(fmt_trial, "appeals")) == (22, 161, 15)


def test_requests_table_rows_verbatim(fmt2021: Format, fmt_trial: Format) -> None:
    rows = _rows(fmt2021, "requests")
    assert rows[0] == "一、本年新收政府信息公开申请数量"
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in rows
    assert "3.危及“三安全一稳定”" in rows
    assert "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请" in rows
    assert rows[-2:] == ["（七）总计", "四、结转下年度继续办理"]
    assert len(rows) == 25
    trial = _rows(fmt_trial, "requests")
    assert len(trial) == 23 and "（六）其他处理" in trial


def test_requests_header_tree(fmt2021: Format) -> None:
    table = fmt2021.part("requests").table
    assert table is not None
    block = table.blocks[0]
    assert block.label_header.startswith("（本列数据的勾稽关系为：")
    (root,) = block.header
    assert root.label == "申请人情况"
    assert [n.label for n in root.children] == ["自然人", "法人或其他组织", "总计"]
    assert [c.label for c in root.children[1].children] == [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    assert "法人或其他组织" not in [c.label for c in block.columns]  # no subtotal column


def test_proactive_table_differs_between_formats(fmt2021: Format, fmt_trial: Format) -> None:
    assert _rows(fmt2021, "proactive") == [
        "规章",
        "行政规范性文件",
        "行政许可",
        "行政处罚",
        "行政强制",
        "行政事业性收费",
    ]
    assert "规范性文件" in _rows(fmt_trial, "proactive")
    assert "政府集中采购" in _rows(fmt_trial, "proactive")
    fee = fmt2021.cell_index[("proactive", "admin_fees", "fee_amount")][0]
    assert (fee.kind, fee.unit, fee.label) == ("amount", "万元", "本年收费金额（单位：万元）")
    change = fmt_trial.cell_index[("proactive", "licensing", "change")][0]
    assert (change.kind, change.label) == ("signed", "本年增/减")


def test_format_for_year() -> None:
    assert format_for_year(2020).id == "2019-trial"
    assert format_for_year(2019).id == "2019-trial"
    assert format_for_year(2021).id == "2021"
    assert format_for_year(2026).id == "2021"
    assert format_for_year(2010) is None


def test_unknown_format_id_is_a_clear_error() -> None:
    with pytest.raises(UnknownFormatError, match="未知的报告格式 “2030”"):
        get_format("2030")


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = (resource_dir("schemas") / "gov-2021.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('heading = "一、总体情况"\n', "", "parts[0].heading"),
        ("first_year = 2021", 'first_year = "2021"', "first_year"),
        ('label = "规章"', 'lable = "规章"', "parts[1].blocks[0].rows[0].lable"),
        ('kind = "amount"', 'kind = "money"', "kind"),
        ('severity = "error"', 'severity = "fatal"', "rules[0].severity"),
        ('kind = "year_range"', 'kind = "magic"', "rules[0].kind"),
        ('id = "normative_docs"', 'id = "rules"', "id"),
        ('"carried_forward"]', '"carried_nowhere"]', "carried_nowhere"),
        ('{ level = 3, id = "state_secret"', '{ level = 5, id = "state_secret"', "level"),
        ("[[rules]]", "[[rules]", "不是有效的 TOML"),
    ],
)
def test_broken_schema_names_file_and_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    path = _broken(tmp_path, old, new)
    with pytest.raises(SchemaError) as err:
        load_format(path)
    assert str(path) in str(err.value)
    assert key in str(err.value)


def test_a_third_format_needs_no_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A provincial variant: a copy of the 2021 file with another id and an extra row."""
    text = (resource_dir("schemas") / "gov-2021.toml").read_text(encoding="utf-8")
    text = (
        text.replace('id = "2021"', 'id = "js-2027"', 1)
        .replace("first_year = 2021", "first_year = 2027")
        .replace('name = "中华人民共和国政府信息公开工作年度报告格式"', 'name = "某省试点格式"')
        .replace(
            '  { id = "normative_docs", label = "行政规范性文件" },',
            '  { id = "normative_docs", label = "行政规范性文件" },\n  { id = "local_rules", label = "地方性规定" },',
        )
    )
    (tmp_path / "js-2027.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("GOVREPORT_SCHEMAS", str(tmp_path))
    fmt = get_format("js-2027")
    assert format_for_year(2027) is fmt
    assert ("proactive", "local_rules", "issued") in fmt.cell_index
    report = Report.new(fmt, "某县", 2027)
    assert report.title == "某县2027年政府信息公开工作年度报告"


def test_duplicate_format_ids_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(resource_dir("schemas") / "gov-2021.toml", tmp_path / "copy.toml")
    monkeypatch.setenv("GOVREPORT_SCHEMAS", str(tmp_path))
    with pytest.raises(SchemaError, match="重复"):
        all_formats()
