"""Narrative text cut into paragraphs and sentences, with offsets into the original text."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

_WIDE = str.maketrans("０１２３４５６７８９％．", "0123456789%.")
_WIDE_RE = re.compile("[０-９％．]")


@lru_cache(maxsize=64)
def normalize(text: str) -> str:
    """Full-width digits, ％ and ． as ASCII; same length, so offsets stay valid."""
    return text.translate(_WIDE) if _WIDE_RE.search(text) else text


class Span(NamedTuple):
    """A stretch of a text: `start` and `end` are indices into it (end excluded)."""

    start: int
    end: int


SENTENCE_END = "。！？；!?;"
_CLOSERS = '”’"』」）)】'


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


def find_all(text: str, needle: str, lo: int = 0, hi: int | None = None) -> list[int]:
    """Every index of `needle` in `text[lo:hi]` (str.find is much faster than a regex here)."""
    hi = len(text) if hi is None else hi
    out = []
    i = text.find(needle, lo, hi)
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + len(needle), hi)
    return out


def sentences(text: str, within: Span | None = None) -> list[Span]:
    """Sentences ending in 。！？； (or the line end), without leading or trailing blanks."""
    lo, hi = within or (0, len(text))
    cuts = sorted(i for ch in SENTENCE_END + "\n" for i in find_all(text, ch, lo, hi))
    out: list[Span] = []
    start = lo
    for cut in cuts:
        if cut < start:
            continue  # inside a run of 。！？ already taken
        if text[cut] == "\n":
            _add_sentence(text, start, cut, out)
            start = cut + 1
            continue
        end = cut + 1
        while end < hi and text[end] in SENTENCE_END:
            end += 1
        while end < hi and text[end] in _CLOSERS:
            end += 1
        _add_sentence(text, start, end, out)
        start = end
    _add_sentence(text, start, hi, out)
    return out


def _add_sentence(text: str, start: int, end: int, out: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and text[start:end].strip(SENTENCE_END):
        out.append(Span(start, end))


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
