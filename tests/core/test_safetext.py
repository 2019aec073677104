"""Terminal-safe text: what `safe_text` removes, what it keeps, and JSON that loses nothing."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.safetext import MAX_COMBINING, safe_json, safe_text
from tui.core.values import strip_controls

HOSTILE = [
    ("\x1b]52;c;cHduZWQ=\x07", "]52;c;cHduZWQ="),  # OSC 52: write the clipboard
    ("\x1b]0;pwned\x07", "]0;pwned"),  # window title
    ("\x1b[2J", "[2J"),  # clear the screen
    ("\x9b2J", "2J"),  # the same, as a C1 CSI
    ("a\x9d0;t\x9cb", "a0;tb"),  # C1 OSC ... ST
    ("\x00\x08\x7f", ""),
    ("甲\u202e乙\u202c", "甲乙"),  # right-to-left override
    ("甲\u2066乙\u2069", "甲乙"),  # isolates
    ("\u200e\u200f\u061c", ""),  # LRM, RLM, Arabic letter mark
    ("a\u2060b\u2061c\u2062d\u2063e\u2064f", "abcdef"),  # word joiner, invisible operators
    ("机\u00ad关", "机关"),  # soft hyphen
    ("x\U000e0041\U000e007fy", "xy"),  # tag characters
    ("\ufeff机关", "机关"),
    ("a\rb", "ab"),  # a lone CR moves the cursor back over what was written
]


@pytest.mark.parametrize(("text", "expected"), HOSTILE)
def test_what_a_terminal_would_act_on_is_removed(text: str, expected: str) -> None:
    assert safe_text(text) == expected


def test_one_line_or_many() -> None:
    assert safe_text("甲\n乙\t丙\r\n丁") == "甲 乙 丙 丁"
    assert safe_text("甲\n乙\t丙\r\n丁", keep_newlines=True) == "甲\n乙\t丙\r\n丁"
    assert strip_controls("a\x1b]0;x\x07b\r\nc") == "a]0;xb\r\nc"  # the stored-text form keeps lines


def test_chinese_and_ordinary_text_is_untouched() -> None:
    text = "淮安市人民政府2024年政府信息公开工作年度报告（第三项（七）总计：3,001 件；“引号”——破折号…）"
    assert safe_text(text) == text
    assert safe_text("Ｃａｆé naïve 1²") == "Ｃａｆé naïve 1²"  # one combining mark is fine


def test_runs_of_combining_marks_are_capped() -> None:
    zalgo = "a" + "\u0301\u0316\u0489" * 20 + "b"
    out = safe_text(zalgo)
    assert out == "a" + ("\u0301\u0316\u0489" * 2)[:MAX_COMBINING] + "b"
    assert safe_text("字" + "\U0001d167" * 9 + "😀") == "字" + "\U0001d167" * MAX_COMBINING + "😀"  # beyond the BMP


def test_undecodable_file_name_bytes_become_replacement_characters() -> None:
    name = b"report-\x9b2J.toml".decode("utf-8", "surrogateescape")
    assert safe_text(name) == "report-\ufffd2J.toml"
    safe_text(name).encode("utf-8")  # printable on a UTF-8 terminal


def test_any_object_prints() -> None:
    from pathlib import Path

    assert safe_text(Path("/tmp/\x1b]0;x\x07.toml")) == "/tmp/]0;x.toml"
    assert safe_text(42) == "42"


def _unsafe(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return (cat == "Cc" and ch not in "\n\t") or ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_nothing_unsafe_survives_and_it_is_idempotent(text: str) -> None:
    for keep in (True, False):
        out = safe_text(text, keep_newlines=keep)
        assert not any(_unsafe(ch) for ch in out if ch != "\r" or not keep)
        assert safe_text(out, keep_newlines=keep) == out
        if not keep:
            assert not set(out) & {"\n", "\t", "\r"}
        run = 0
        for ch in out:
            run = run + 1 if unicodedata.category(ch) in ("Mn", "Me") else 0
            assert run <= MAX_COMBINING


@settings(max_examples=80, deadline=None)
@given(st.recursive(st.text(max_size=20), lambda inner: st.lists(inner, max_size=3), max_leaves=8))
def test_safe_json_loses_nothing_and_hides_everything(data: object) -> None:
    text = safe_json(data)
    assert json.loads(text) == data
    assert not any(_unsafe(ch) for ch in text if ch != "\n")
    text.encode("utf-8")  # no lone surrogate escapes the escaping


def test_safe_json_keeps_chinese_readable() -> None:
    assert '"淮安\\u001b]0;x\\u0007\\u202e"' in safe_json({"org": "淮安\x1b]0;x\x07\u202e"})
