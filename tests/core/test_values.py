"""Parsing what clerks type into cell values."""

from decimal import Decimal

import pytest

from tui.core.values import (
    CellKind,
    Invalid,
    coerce_stored,
    format_value,
    parse_cell,
    strip_controls,
    to_stored,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        ("１２３", 123),
        ("1,234", 1234),
        ("1，234", 1234),
        (" 7 ", 7),
        ("3件", 3),
        ("0", 0),
        ("-3", -3),
        ("－3", -3),
    ],
)
def test_counts_accept_what_clerks_type(text: str, expected: int) -> None:
    assert parse_cell(CellKind.COUNT, text) == expected


@pytest.mark.parametrize("text", ["", "/", "／", "—", "  "])
def test_blank_marks_are_blank_not_zero(text: str) -> None:
    assert parse_cell(CellKind.COUNT, text) is None


@pytest.mark.parametrize("text", ["abc", "1.5", "10²", "①", "٣", "nan", "inf", "1e3", "12-3"])
def test_counts_reject_lookalikes_and_text(text: str) -> None:
    value = parse_cell(CellKind.COUNT, text)
    assert isinstance(value, Invalid)
    assert value.raw == text


def test_count_beyond_64_bits_is_invalid() -> None:
    assert isinstance(parse_cell(CellKind.COUNT, "9" * 30), Invalid)
    assert isinstance(coerce_stored(CellKind.COUNT, 2**70), Invalid)


def test_amounts_are_exact_decimals() -> None:
    assert parse_cell(CellKind.AMOUNT, "5949.088667") == Decimal("5949.088667")
    assert str(parse_cell(CellKind.AMOUNT, "5949.088667")) == "5949.088667"
    assert parse_cell(CellKind.AMOUNT, "64000元", unit="元") == Decimal(64000)
    assert parse_cell(CellKind.AMOUNT, "73,802,895.90元") == Decimal("73802895.90")
    assert isinstance(parse_cell(CellKind.AMOUNT, "-5"), Invalid)


def test_stored_values_round_trip() -> None:
    for kind, value in [
        (CellKind.COUNT, 5),
        (CellKind.SIGNED, -2),
        (CellKind.AMOUNT, Decimal("96171.60")),
        (CellKind.COUNT, None),
        (CellKind.COUNT, Invalid("十二", "不是整数")),
    ]:
        back = coerce_stored(kind, to_stored(value))
        assert back == value or (isinstance(value, Invalid) and back.raw == value.raw)


def test_stored_floats_and_bools() -> None:
    assert coerce_stored(CellKind.COUNT, Decimal("3.0")) == 3
    assert isinstance(coerce_stored(CellKind.COUNT, Decimal("3.5")), Invalid)
    assert isinstance(coerce_stored(CellKind.COUNT, Decimal("nan")), Invalid)
    assert isinstance(coerce_stored(CellKind.COUNT, True), Invalid)


def test_blank_exports_as_zero() -> None:
    assert format_value(None) == "0"
    assert format_value(Decimal("0.000001")) == "0.000001"


def test_strip_controls_keeps_text_and_crlf() -> None:
    assert strip_controls("a\x1b]0;pwned\x07b\r\nc\td\u202e") == "a]0;pwnedb\r\nc\td"
    assert strip_controls("a\rb") == "ab"
    assert strip_controls("甲\n乙", keep_newlines=False) == "甲 乙"


@pytest.mark.parametrize("kind", list(CellKind))
def test_a_pasted_number_of_any_length_never_raises(kind: CellKind) -> None:
    for text in ("9" * 4301, "9" * 100_000, "-" + "9" * 5000, "１" * 5000, "9" * 3000 + "." + "9" * 3000):
        value = parse_cell(kind, text)
        assert isinstance(value, Invalid) and value.raw == text  # kept as typed, never an exception
    assert parse_cell(CellKind.COUNT, "0" * 5000 + "7") == 7  # leading zeros are not digits of the value
    assert parse_cell(CellKind.AMOUNT, "0" * 5000 + "1.50") == Decimal("1.50")


def test_amount_bounds() -> None:
    assert parse_cell(CellKind.AMOUNT, "9" * 18 + ".5") == Decimal("9" * 18 + ".5")
    assert parse_cell(CellKind.AMOUNT, "9" * 19) == Invalid("9" * 19, "数值过大")
    assert parse_cell(CellKind.AMOUNT, "0." + "1" * 19) == Invalid("0." + "1" * 19, "小数位数过多")
    assert parse_cell(CellKind.COUNT, "9" * 19) == Invalid("9" * 19, "数值过大")  # 19 digits, above 2**63 - 1
    assert parse_cell(CellKind.COUNT, str(2**63 - 1)) == 2**63 - 1
    assert isinstance(parse_cell(CellKind.COUNT, str(2**63)), Invalid)


@pytest.mark.parametrize("kind", list(CellKind))
def test_stored_floats_with_huge_exponents_are_invalid_not_slow(kind: CellKind) -> None:
    assert coerce_stored(kind, Decimal("1e999999")) == Invalid("1E+999999", "数值过大")
    assert coerce_stored(kind, Decimal("1e-999999")) == Invalid("1E-999999", "小数位数过多")
    assert coerce_stored(kind, Decimal("0e-999999")) == Invalid("0E-999999", "小数位数过多")
    assert coerce_stored(kind, Decimal("-1e999999")) == Invalid("-1E+999999", "数值过大")
    assert coerce_stored(kind, Decimal("12.0")) == (Decimal("12.0") if kind is CellKind.AMOUNT else 12)
