"""Cell values: the kinds a table cell can hold, and strict parsing of what people type."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from .safetext import safe_text

MAX_COUNT = 2**63 - 1
"""Largest count a draft may hold: TOML readers other than Python's stop at 64 bits."""

MAX_AMOUNT_DIGITS = 18
"""Most digits an amount may have before and after its decimal point (a bound, not a plausibility rule)."""


class CellKind(StrEnum):
    """What a table cell holds."""

    COUNT = "count"  # integer >= 0
    SIGNED = "signed"  # integer, may be negative (trial format 本年增/减)
    AMOUNT = "amount"  # decimal >= 0 with a unit


@dataclass(frozen=True, slots=True)
class Invalid:
    """A cell whose content is not a valid value; the raw text is kept so nothing is lost."""

    raw: str
    reason: str


CellValue = int | Decimal | Invalid | None
"""`None` is a blank cell (not filled in), never a zero."""

BLANK_MARKS = frozenset({"", "/", "／", "—", "——", "-", "－", "–", "无"})
"""What published reports print in a cell that has no value; all mean blank."""

_THOUSANDS = str.maketrans("", "", ",，_ \u3000\u00a0'")
_INT_RE = re.compile(r"[+-]?[0-9]+")
_DECIMAL_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def strip_controls(text: str, keep_newlines: bool = True) -> str:
    """`safe_text` for stored texts: by default tabs, newlines and CRLF pairs stay."""
    return safe_text(text, keep_newlines=keep_newlines)


def _digits_only(text: str) -> str | None:
    """Normalise full-width forms to ASCII; refuse look-alike digits NFKC would distort."""
    for ch in text:
        if ch.isdigit() and not ("0" <= ch <= "9" or "０" <= ch <= "９"):
            return None  # superscripts, circled, Arabic-Indic ...: not what a clerk means
    return unicodedata.normalize("NFKC", text)


def parse_cell(kind: CellKind, text: str, unit: str = "") -> CellValue:
    """Parse typed or imported text for a cell of `kind`.

    Accepts full-width digits, thousands separators and a trailing unit; returns `None` for
    blank marks and `Invalid` (never an exception) for anything else.
    """
    raw = text
    text = text.strip()
    if text in BLANK_MARKS:
        return None
    norm = _digits_only(text)
    if norm is None:
        return Invalid(raw, "含有无法识别的数字符号")
    norm = norm.translate(_THOUSANDS)
    for suffix in (unit, "元", "件", "个", "项", "条"):
        if suffix and norm.endswith(suffix):
            norm = norm[: -len(suffix)]
            break
    if kind is CellKind.AMOUNT:
        if not _DECIMAL_RE.fullmatch(norm):
            return Invalid(raw, "不是有效的金额")
        whole, _dot, fraction = norm.partition(".")
        if len(whole.lstrip("0")) > MAX_AMOUNT_DIGITS:
            return Invalid(raw, "数值过大")
        if len(fraction) > MAX_AMOUNT_DIGITS:
            return Invalid(raw, "小数位数过多")
        try:
            return Decimal(f"{whole.lstrip('0') or '0'}{_dot}{fraction}")
        except InvalidOperation:  # pragma: no cover - the pattern rules this out
            return Invalid(raw, "不是有效的金额")
    if not _INT_RE.fullmatch(norm):
        return Invalid(raw, "不是整数")
    # Python refuses int() of over 4,300 digits (leading zeros count): measure first, convert the rest.
    digits = norm.lstrip("+-").lstrip("0") or "0"
    if len(digits) > len(str(MAX_COUNT)):
        return Invalid(raw, "数值过大")
    value = -int(digits) if norm.startswith("-") else int(digits)
    if abs(value) > MAX_COUNT:
        return Invalid(raw, "数值过大")
    return value


def coerce_stored(kind: CellKind, value: object) -> CellValue:
    """Turn a value read from a TOML draft into a cell value."""
    if isinstance(value, bool):
        return Invalid(str(value).lower(), "不是数字")
    if isinstance(value, int):
        if abs(value) > MAX_COUNT:
            return Invalid(str(value), "数值过大")
        if kind is CellKind.AMOUNT:
            return Decimal(value)
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            return Invalid(str(value), "不是有效的数字")
        # 1e999999 would print a million digits, and overflow the arithmetic of the checks.
        if value and value.adjusted() >= (MAX_AMOUNT_DIGITS if kind is CellKind.AMOUNT else len(str(MAX_COUNT))):
            return Invalid(str(value), "数值过大")
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -MAX_AMOUNT_DIGITS:
            return Invalid(str(value), "小数位数过多")
        if kind is CellKind.AMOUNT:
            return value
        if value == value.to_integral_value():
            return coerce_stored(kind, int(value))
        return Invalid(str(value), "不是整数")
    if isinstance(value, str):
        return parse_cell(kind, value)
    return Invalid(str(value), "不是数字")


def to_stored(value: CellValue) -> int | str:
    """The TOML form of a cell value: integers as integers, amounts as exact strings."""
    if value is None:
        return ""
    if isinstance(value, Invalid):
        return value.raw
    if isinstance(value, Decimal):
        return format_amount(value)
    return value


def format_amount(value: Decimal) -> str:
    """An amount as written in a report: no exponent, the digits the clerk gave."""
    return format(value, "f")


def format_value(value: CellValue) -> str:
    """A value as printed in an export: a blank cell prints as 0."""
    if value is None:
        return "0"
    if isinstance(value, Invalid):
        return strip_controls(value.raw, keep_newlines=False)
    if isinstance(value, Decimal):
        return format_amount(value)
    return str(value)


BLANK = "空白"
"""How a message shows a cell left blank: it counts as 0 in a sum, but nobody wrote 0."""


def shown_value(value: CellValue) -> str:
    """A value as a message shows it: 空白 for a blank cell (never 0), text that is not a number in quotes."""
    if value is None:
        return BLANK
    if isinstance(value, Invalid):
        return f"“{format_value(value)}”"
    return format_value(value)


def numeric(value: CellValue) -> int | Decimal:
    """The number a cell counts as in arithmetic: blank and invalid count as 0."""
    if value is None or isinstance(value, Invalid):
        return 0
    return value
