"""Line breaking for Chinese text: the rules, case by case, and what holds for any text."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.linebreak import NO_END, NO_START, break_lines, break_offsets
from tui.core.width import char_width, display_width, is_ambiguous

# (text, width, expected lines)
CASES = [
    pytest.param(
        "工作情况报告如下。2024年，本机关",
        22,
        ["工作情况报告如下。", "2024年，本机关"],
        id="number-keeps-its-unit-and-the-comma (issue: …情况。2024 / 年，…)",
    ),
    pytest.param(
        "主动公开政府信息 5500余条，制发",
        22,
        ["主动公开政府信息 ", "5500余条，制发"],
        id="number-keeps-余条 (issue: …信息 5500 / 余条)",
    ),
    pytest.param("现行有效规章 1件。", 15, ["现行有效规章 ", "1件。"], id="number-keeps-件 (issue: …规章 1 / 件)"),
    pytest.param(
        "依据国办公开办函〔2020〕109号文件",
        28,
        ["依据国办公开办函", "〔2020〕109号文件"],
        id="document-number-whole (issue: 〔2020〕10 / 9号)",
    ),
    pytest.param("本年度共收到申请，均已办结。", 16, ["本年度共收到申", "请，均已办结。"], id="no-line-starts-with-，"),
    pytest.param("本机关按时办结。下一年度", 14, ["本机关按时办", "结。下一年度"], id="no-line-starts-with-。"),
    pytest.param("落实“放管服”改革要求", 12, ["落实“放管", "服”改革要求"], id="no-line-starts-with-”"),
    pytest.param("围绕改革“放管服”", 10, ["围绕改革", "“放管服”"], id="no-line-ends-with-“"),
    pytest.param("公开情况（含申请）", 10, ["公开情况", "（含申请）"], id="no-line-ends-with-（"),
    pytest.param("工作仍有差距——主要是", 14, ["工作仍有差距", "——主要是"], id="dash-pair-stays-whole"),
    pytest.param("涉及政务公开……等方面", 14, ["涉及政务公", "开……等方面"], id="ellipsis-pair-whole-not-first"),
    pytest.param("参照 GB/T 9704 格式排版", 12, ["参照 GB/T ", "9704 格式排", "版"], id="ascii-words-whole"),
    pytest.param("占比 12.5% 左右", 8, ["占比 ", "12.5% 左", "右"], id="decimal-and-percent-whole"),
    pytest.param(
        "中文汉字可以在任意字之间换行", 8, ["中文汉字", "可以在任", "意字之间", "换行"], id="any-cjk-boundary"
    ),
    pytest.param(
        "网址https://www.gov.cn/zhengce/content",
        16,
        ["网址", "https://www.gov.", "cn/zhengce/conte", "nt"],
        id="word-longer-than-a-line-is-cut",
    ),
    pytest.param("第一段\n\n第二段很长很长", 8, ["第一段", "", "第二段很", "长很长"], id="paragraphs"),
    pytest.param("正好八个汉字宽度", 16, ["正好八个汉字宽度"], id="exact-fit"),
]


@pytest.mark.parametrize(("text", "width", "expected"), CASES)
def test_break_lines(text: str, width: int, expected: list[str]) -> None:
    assert break_lines(text, width) == expected


def test_a_naive_cut_would_break_these_rules() -> None:
    """The cases above are not met by chance: a cut at the last fitting character breaks each rule."""

    def naive(text: str, width: int) -> list[str]:
        lines, line = [], ""
        for ch in text:
            if display_width(line + ch) > width:
                lines.append(line)
                line = ""
            line += ch
        return [*lines, line]

    assert naive("工作情况报告如下。2024年，本机关", 22)[0].endswith("2024")
    assert naive("主动公开政府信息 5500余条，制发", 22)[1].startswith("余条")
    assert naive("现行有效规章 1件。", 15)[1].startswith("件")
    assert naive("依据国办公开办函〔2020〕109号文件", 26)[1].startswith("9号")
    assert naive("本年度共收到申请，均已办结。", 16)[1].startswith("，")
    assert naive("本机关按时办结。下一年度", 14)[1].startswith("。")
    assert naive("落实“放管服”改革要求", 12)[1].startswith("”")
    assert naive("围绕改革“放管服”", 10)[0].endswith("“")
    assert naive("公开情况（含申请）", 10)[0].endswith("（")
    assert naive("工作仍有差距——主要是", 14)[1].startswith("—")
    assert naive("涉及政务公开……等方面", 14)[1].startswith("…")


def test_later_lines_can_be_narrower() -> None:
    assert break_offsets("一二三四五六七八九十", 10, later_width=6) == [5, 8]


def test_extra_glued_spans_stay_on_one_line() -> None:
    text = "自然人 5，商业企业 0，科研机构 0"
    spans = [(0, 6), (6, 13), (13, len(text))]
    lines = break_lines(text, 16)
    assert lines[0] == "自然人 5，商业企"  # alone, a line breaks between any two characters
    cuts = [0, *break_offsets(text, 16, glued=spans), len(text)]
    assert [text[a:b] for a, b in pairwise(cuts)] == ["自然人 5，", "商业企业 0，", "科研机构 0"]


def test_a_character_wider_than_the_line_stands_alone() -> None:
    assert break_lines("汉字", 1) == ["汉", "字"]


def test_ambiguous_punctuation_counts_two_columns() -> None:
    assert [char_width(ch) for ch in "“”‘’—…·①a汉"] == [2, 2, 2, 2, 2, 2, 2, 2, 1, 2]
    assert display_width("“三安全一稳定”") == 16
    assert is_ambiguous("“") and not is_ambiguous("汉") and not is_ambiguous("a")
    assert display_width("\u0301") == 0  # a combining mark stays zero-width


# --- any text ---------------------------------------------------------------------------------

_HAN = st.text(st.sampled_from(list("政府信息公开申请办理情况年度报告")), min_size=1, max_size=6)
_PHRASE = st.one_of(
    _HAN,
    _HAN.map(lambda s: f"“{s}”"),
    _HAN.map(lambda s: f"（{s}）"),
    st.integers(0, 99999).map(lambda n: f"{n}件"),
    st.sampled_from(["〔2021〕30号", "GB/T", "——", "……", " "]),
)
_TEXT = st.lists(st.tuples(_PHRASE, st.sampled_from(["", "，", "。", "、", "；"])), max_size=30).map(
    lambda parts: "".join(p + q for p, q in parts)
)


@settings(max_examples=200, deadline=None)
@given(_TEXT, st.integers(min_value=24, max_value=100))
def test_lines_fit_lose_nothing_and_keep_the_punctuation_rules(text: str, width: int) -> None:
    lines = break_lines(text, width)
    assert "".join(lines) == text
    assert all(display_width(line) <= width for line in lines)
    for line in lines[1:]:
        assert line[0] not in NO_START, lines
    for line in lines[:-1]:
        assert line[-1] not in NO_END, lines
    for before, after in pairwise(lines):
        assert not (before[-1] == after[0] and before[-1] in "—…"), lines  # —— and …… stay whole


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.integers(min_value=2, max_value=40))
def test_any_text_is_cut_into_lines_that_fit(text: str, width: int) -> None:
    text = text.replace("\n", "")
    cuts = [0, *break_offsets(text, width), len(text)]
    assert cuts == sorted(set(cuts)) or text == ""
    for a, b in pairwise(cuts):
        assert display_width(text[a:b]) <= width or b - a == 1
