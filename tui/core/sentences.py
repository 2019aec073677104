"""Narrative text cut into paragraphs and sentences, with offsets into the original text."""

from __future__ import annotations

import re
from typing import NamedTuple

_WIDE = str.maketrans("０１２３４５６７８９％．", "0123456789%.")


def normalize(text: str) -> str:
    """Full-width digits, ％ and ． as ASCII; same length, so offsets stay valid."""
    return text.translate(_WIDE)


class Span(NamedTuple):
    """A stretch of a text: `start` and `end` are indices into it (end excluded)."""

    start: int
    end: int


SENTENCE_END = "。！？；!?;"
_CLOSERS = '”’"』」）)】'
_SENTENCE_RE = re.compile(f"[^{SENTENCE_END}\n]+(?:[{SENTENCE_END}]+[{_CLOSERS}]*)?|[{SENTENCE_END}]+")


def paragraphs(text: str) -> list[Span]:
    """Every non-empty line."""
    out = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            out.append(Span(start, end))
        start = end + 1
    return out


def sentences(text: str, within: Span | None = None) -> list[Span]:
    """Sentences ending in 。！？； (or the line end), without leading or trailing blanks."""
    lo, hi = within or (0, len(text))
    out = []
    for m in _SENTENCE_RE.finditer(text, lo, hi):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start and text[start:end].strip(SENTENCE_END):
            out.append(Span(start, end))
    return out


def sentence_at(spans: list[Span], pos: int) -> Span:
    """The sentence of `spans` holding `pos` (or the nearest one before it)."""
    best = spans[0]
    for span in spans:
        if span.start > pos:
            break
        best = span
    return best


_NUMERALS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def small_number(text: str) -> int | None:
    """`6`, `六`, `十二` as an int; None for anything else."""
    text = normalize(text.strip())
    if text.isdigit():
        return int(text)
    if text in _NUMERALS:
        return _NUMERALS[text]
    if text.startswith("十") and (len(text) == 1 or text[1:] in _NUMERALS):
        return 10 + (_NUMERALS[text[1:]] if len(text) > 1 else 0)
    return None
