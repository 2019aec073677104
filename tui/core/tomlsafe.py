"""TOML that may be hostile: number length and nesting depth are checked before tomllib sees it.

`tomllib` raises `ValueError` on an integer of over 4,300 digits and `RecursionError` on
arrays nested 100,000 deep; a float like `1e999999` becomes a number that takes minutes to
print. A pre-scan of the text (strings and comments skipped) refuses such files with the line
and column, and amounts are read as exact `Decimal`s.
"""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from typing import Any

MAX_NUMBER_CHARS = 100
"""Longest number (or date) outside a string; a count has at most 19 digits."""

MAX_DEPTH = 20
"""Deepest nesting of arrays and inline tables (a draft uses 2, for `[[…]]` headers)."""


class TomlLimitError(ValueError):
    """A TOML text beyond the limits; `line` and `column` (1-based) say where, when known."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


_TOKEN_RE = re.compile(
    r'''
      (?P<mlbasic>"""(?:[^"\\]++|\\[\s\S]?|"(?!""))*+(?:"{3,5}|\Z))
    | (?P<mlliteral>\'\'\'(?:[^\']++|\'(?!\'\'))*+(?:\'{3,5}|\Z))
    | (?P<basic>"(?:[^"\\\n]++|\\.?)*+(?:"|$))
    | (?P<literal>\'[^\'\n]*+(?:\'|$))
    | (?P<comment>\#[^\n]*+)
    | (?P<open>[\[{]++)
    | (?P<close>[\]}]++)
    | (?P<word>[0-9+\-][0-9A-Za-z_.+\-:]*+)
    | (?P<key>[A-Za-z_][0-9A-Za-z_\-]*+)
    | (?P<other>[^"\'\#\[\]{}0-9A-Za-z_+\-]++)
    ''',
    re.VERBOSE | re.MULTILINE,
)
"""Strings (possessive: no backtracking, an unterminated one runs to its end), comments, brackets, numbers."""


def _where(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def check_limits(text: str) -> None:
    """Raise `TomlLimitError` if a number outside strings is too long or nesting too deep."""
    depth = 0
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup
        if kind == "open":
            if depth + len(match.group()) > MAX_DEPTH:
                where = _where(text, match.start() + MAX_DEPTH - depth)  # the first bracket too many
                raise TomlLimitError(f"嵌套层数过多（超过 {MAX_DEPTH} 层）", *where)
            depth += len(match.group())
        elif kind == "close":
            depth = max(0, depth - len(match.group()))
        elif kind == "word" and len(match.group()) > MAX_NUMBER_CHARS:
            raise TomlLimitError(
                f"数字过长（{len(match.group())} 个字符，最多 {MAX_NUMBER_CHARS} 个）", *_where(text, match.start())
            )


def loads(text: str) -> dict[str, Any]:
    """Parse a TOML text within the limits; floats become exact `Decimal`s.

    Raises `tomllib.TOMLDecodeError` for bad syntax and `TomlLimitError` past the limits.
    """
    check_limits(text)
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError:
        raise
    except RecursionError:  # the pre-scan missed a nesting: still one clear message, no traceback
        raise TomlLimitError(f"嵌套层数过多（超过 {MAX_DEPTH} 层）") from None
    except ValueError:  # e.g. an integer beyond Python's conversion limit
        raise TomlLimitError("含有无法处理的数值") from None
