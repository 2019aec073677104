"""Typed rule parameters read from TOML: every key known, every type checked, nothing silent."""

from __future__ import annotations

import dataclasses
import typing
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, TypeVar, get_args, get_origin

T = TypeVar("T")

CellPath = tuple[str, str, str]
"""A cell as written in a format file: `[part, row, column]`."""


class RuleError(Exception):
    """A rule whose declaration is wrong; `key` says where (`terms[1].year`), `problem` what."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}：{problem}")
        self.key = key
        self.problem = problem


_TYPE_NAMES = {str: "文字", int: "整数", bool: "true 或 false", float: "数", Decimal: "数"}


_HINTS: dict[type, dict[str, Any]] = {}


def _type_hints(cls: type) -> dict[str, Any]:
    """A parameter class's field types, resolved once (resolving string annotations compiles them)."""
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _type_name(hint: Any) -> str:
    origin = get_origin(hint)
    if origin is Literal:
        return "、".join(repr(a) if not isinstance(a, str) else a for a in get_args(hint)) + " 之一"
    if hint == CellPath:
        return "[部分, 行, 列]"
    if origin is tuple:
        return "列表"
    if dataclasses.is_dataclass(hint):
        return "表（table）"
    return _TYPE_NAMES.get(hint, str(hint))


def _convert(hint: Any, value: Any, key: str) -> Any:
    """`value` as `hint`, or `RuleError` naming `key`."""
    origin = get_origin(hint)
    bad = RuleError(key, f"应为{_type_name(hint)}")
    if origin is Literal:
        if value in get_args(hint) and type(value) in {type(a) for a in get_args(hint)}:
            return value
        raise bad
    if origin is tuple:
        args = get_args(hint)
        if not isinstance(value, list):
            raise bad
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], item, f"{key}[{i}]") for i, item in enumerate(value))
        if len(value) != len(args):
            raise bad
        return tuple(_convert(a, item, key) for a, item in zip(args, value, strict=True))
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        if not isinstance(value, dict):
            raise bad
        return parse_params(hint, value, key)
    if hint is bool:
        if not isinstance(value, bool):
            raise bad
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise bad
        return float(value)
    if hint is Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            raise bad
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise bad from None
        if not number.is_finite():
            raise bad
        return number
    if hint is str:
        if not isinstance(value, str):
            raise bad
        return value
    raise TypeError(f"unsupported parameter type {hint!r}")  # a programming error, not a file error


def param_names(cls: type) -> list[str]:
    """The keys a parameter class accepts, in declaration order."""
    return [f.name for f in dataclasses.fields(cls)]


def parse_params(cls: type[T], data: dict[str, Any], where: str = "") -> T:
    """Build `cls` (a frozen dataclass) from a TOML table: unknown and missing keys are errors."""

    def key(name: str) -> str:
        return f"{where}.{name}" if where else name

    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    hints = _type_hints(cls)
    for name in data:
        if name not in fields:
            raise RuleError(key(name), f"未知的参数（可用的参数：{'、'.join(fields)}）")
    values = {}
    for name, f in fields.items():
        if name in data:
            values[name] = _convert(hints[name], data[name], key(name))
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise RuleError(key(name), "缺少此参数")
    return cls(**values)
