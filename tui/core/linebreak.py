"""Line breaking for Chinese text: where a line of a given display width may end.

The usual rules for Chinese (as in GB/T 15834 and the CSS "strict" line-break level): a line
may end between any two Chinese characters, never starts with closing punctuation (，。、；：！？）」
』”’》〕】 …) and never ends with opening punctuation (（「『“‘《〔【); a paired —— or …… stays
on one line. Runs of ASCII letters and digits are words and are not split; a number keeps its unit
(2024年, 5500余条, 30%), and a document number stays whole (〔2021〕30号). A word wider than a line
is cut where it must be. Widths are display columns with ambiguous punctuation as 2 (`width`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from .width import char_width, display_width

NO_START = frozenset("，。、；：！？）」』”’》〕】〉〗〙〛］｝＞…‥·・～％‰℃°,.;:!?)]}%")
"""Closing punctuation: never the first character of a line."""

NO_END = frozenset("（「『“‘《〔【〈〖〘〚［｛＜([{")
"""Opening punctuation: never the last character of a line."""

PAIRED = frozenset("—…")
"""Doubled as one mark (—— and ……): the two halves stay on one line."""

_ALNUM = "A-Za-z0-9Ａ-Ｚａ-ｚ０-９"
_DIGIT = "0-9０-９"
_UNIT = (
    "[余多]?[十百千万亿]*"
    "(?:个工作日|工作日|小时|个月|年度|人次|件次|周年"
    "|[年月日时分秒件条个项人次元家位份起批天周篇期场名户宗部本页册类种所处台套张座号倍列行格字])"
    "|[%％‰]"
)
_TOKEN = re.compile(
    rf"[〔［\[][{_DIGIT}]+[〕］\]][{_DIGIT}]+号?"  # a document number: 〔2021〕30号
    rf"|第?[{_ALNUM}]+(?:[.,:/\-_@+&'][{_ALNUM}]+)*(?:(?<=[{_DIGIT}])(?:{_UNIT}))?"  # a word, a number and its unit
)


_WORD_CHARS = frozenset(chr(c) for c in range(0x21, 0x7F)) | frozenset(
    chr(c) for lo, hi in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for c in range(lo, hi + 1)
)
"""ASCII letters, digits and signs, and full-width letters and digits: the parts of a word."""


def break_opportunities(text: str, glued: Iterable[tuple[int, int]] = ()) -> list[bool]:
    """`allowed[i]`: a line may start at index `i` of `text` (one paragraph, no newline).

    `glued` are extra (start, end) spans to keep on one line, e.g. the items of a list.
    """
    n = len(text)
    allowed = [False] * (n + 1)
    words = _WORD_CHARS
    for i in range(1, n):
        a, b = text[i - 1], text[i]
        allowed[i] = not (
            b in NO_START or a in NO_END or b.isspace() or (a == b and a in PAIRED) or (a in words and b in words)
        )
    spans = [m.span() for m in _TOKEN.finditer(text)]
    for start, end in (*spans, *glued):
        for i in range(start + 1, min(end, n)):
            allowed[i] = False
    return allowed


def _kinsoku_ok(text: str, i: int) -> bool:
    """A break before `i` that keeps the punctuation rules (used when a word must be cut)."""
    return text[i] not in NO_START and text[i - 1] not in NO_END and not text[i].isspace()


def break_offsets(
    text: str, width: int, *, later_width: int | None = None, glued: Iterable[tuple[int, int]] = ()
) -> list[int]:
    """Where the lines of one paragraph start, after the first: each line at most `width` columns.

    Lines after the first may be given another width (`later_width`, e.g. after an indent). The
    lines are `text` cut at the offsets: nothing is added or dropped, spaces included.
    """
    if display_width(text) <= width:  # most lines: nothing to break
        return []
    n = len(text)
    allowed = break_opportunities(text, glued)
    ends = [0] * (n + 1)  # ends[i]: display width of text[:i]
    for i, ch in enumerate(text):
        ends[i + 1] = ends[i] + char_width(ch)
    offsets: list[int] = []
    start, limit = 0, width
    while ends[n] - ends[start] > limit:
        fits = start + 1  # the line ends before `fits` at most: at least one character per line
        while fits < n and ends[fits + 1] - ends[start] <= limit:
            fits += 1
        if fits >= n:  # a last character wider than the line: it stays alone
            break
        cut = next((i for i in range(fits, start, -1) if allowed[i]), 0)
        if not cut:  # one word longer than the line: cut it, keeping the punctuation rules if possible
            cut = next((i for i in range(fits, start, -1) if _kinsoku_ok(text, i)), fits)
        offsets.append(cut)
        start, limit = cut, later_width if later_width is not None else width
    return offsets


def break_lines(text: str, width: int, *, later_width: int | None = None) -> list[str]:
    """`text` as lines of at most `width` columns; each newline starts a new paragraph."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        cuts = [0, *break_offsets(paragraph, width, later_width=later_width), len(paragraph)]
        lines += [paragraph[a:b] for a, b in pairwise(cuts)] if paragraph else [""]
    return lines
