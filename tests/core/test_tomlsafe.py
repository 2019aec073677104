"""TOML within limits: long numbers and deep nesting refused with a place, strings and comments left alone."""

from __future__ import annotations

import time
import tomllib
from decimal import Decimal

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core import tomlsafe
from tui.core.tomlsafe import MAX_DEPTH, MAX_NUMBER_CHARS, TomlLimitError, check_limits, loads


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("a = 1\nb = " + "9" * 4301 + "\n", 2, 5, "数字过长（4301 个字符"),
        ("a = -" + "1" * 200, 1, 5, "数字过长"),
        ("x = 1." + "5" * 200 + "e999999", 1, 5, "数字过长"),
        ("x = " + "[" * 100_000 + "]" * 100_000, 1, 5 + MAX_DEPTH, "嵌套层数过多"),
        ("x = " + "{a = " * 1000 + "1" + "}" * 1000, 1, 5 + 5 * MAX_DEPTH, "嵌套层数过多"),
        ("[t]\nx = [[[[\n[\n" + "[" * MAX_DEPTH, 4, MAX_DEPTH - 4, "嵌套层数过多"),
    ],
    ids=["int-4301", "signed-200", "float-200", "arrays-100000", "tables-1000", "lines"],
)
def test_beyond_the_limits_is_refused_with_its_place(text: str, line: int, column: int, message: str) -> None:
    with pytest.raises(TomlLimitError) as err:
        loads(text)
    assert message in err.value.message
    assert (err.value.line, err.value.column) == (line, column)


def test_within_the_limits_parses_exactly() -> None:
    text = (
        'a = 9223372036854775807\nb = 1979-05-27T07:32:00Z\nc = 5949.088667\ne = {f = {g = "h"}}\n'
        "[[t]]\nd = [[1, 2], [3]]\n"
    )
    data = loads(text)
    assert data["a"] == 2**63 - 1 and data["c"] == Decimal("5949.088667")
    assert data["t"][0]["d"] == [[1, 2], [3]] and data["e"] == {"f": {"g": "h"}}


@pytest.mark.parametrize(
    "text",
    [
        'a = "' + "9" * 5000 + '"',
        "a = '" + "[" * 500 + "'",
        'a = """\n' + "[{" * 500 + "\n" + "7" * 5000 + '\n"""',
        "a = '''\n" + "[" * 500 + "''''",
        'a = "\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[" # ' + "[" * 100,
        "# " + "[" * 100 + "9" * 500 + "\na = 1",
        "a" * 500 + "1 = 2",  # a long bare key is not a number
    ],
)
def test_strings_comments_and_keys_are_not_numbers_or_nesting(text: str) -> None:
    check_limits(text)
    tomllib.loads(text)  # and they are valid TOML


def test_unterminated_strings_do_not_make_the_scan_slow() -> None:
    start = time.perf_counter()
    for text in ('"\\"' * 300_000, "'" + "x" * 1_000_000, '"""' + "\\x" * 500_000, "'''" + "[" * 10):
        check_limits(text)
    assert time.perf_counter() - start < 5  # a bound against quadratic scanning, not a speed target


def test_what_the_scan_misses_is_still_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tomlsafe, "MAX_DEPTH", 10**9)
    with pytest.raises(TomlLimitError, match="嵌套层数过多"):
        loads("x = " + "[" * 100_000 + "]" * 100_000)
    monkeypatch.setattr(tomlsafe, "MAX_NUMBER_CHARS", 10**9)
    with pytest.raises(TomlLimitError, match="无法处理的数值"):
        loads("x = " + "9" * 5000)


def test_bad_syntax_is_still_a_decode_error() -> None:
    with pytest.raises(tomllib.TOMLDecodeError):
        loads('a = "x')


_keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=8)
_leaves = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.booleans(),
)
_values = st.recursive(
    _leaves,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_keys, inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(_keys, _values, max_size=5), st.booleans())
def test_any_shallow_toml_passes_the_scan(data: dict[str, object], multiline: bool) -> None:
    text = tomli_w.dumps(data, multiline_strings=multiline)
    check_limits(text)  # no false alarm, whatever the strings hold
    assert loads(text) == tomllib.loads(text, parse_float=Decimal)


def test_limits_are_generous_for_a_draft() -> None:
    assert len(str(2**63)) <= MAX_NUMBER_CHARS and MAX_DEPTH >= 4
