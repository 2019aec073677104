"""Display width of text as Chinese fonts, and terminals set up for Chinese, draw it."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from rich.cells import cell_len


@lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    """Columns of one character: `cell_len`, but 2 for an East Asian Ambiguous one (“ ” ‘ ’ — … · ①).

    Rich counts ambiguous characters as 1 column, as a terminal does in a Western locale. Chinese
    fonts (宋体, 仿宋, 黑体) and terminals in a Chinese locale draw them 2 columns wide.
    """
    width = cell_len(ch)
    if width == 1 and unicodedata.east_asian_width(ch) == "A":
        return 2
    return width


def display_width(text: str) -> int:
    """Columns of `text`, ambiguous characters counted as 2 (see `char_width`)."""
    if text.isascii():
        return cell_len(text)
    return _cached_width(text) if len(text) < 256 else sum(map(char_width, text))


@lru_cache(maxsize=4096)
def _cached_width(text: str) -> int:
    return sum(map(char_width, text))


def is_ambiguous(ch: str) -> bool:
    """True for a character that terminals draw 1 or 2 columns wide depending on their setting."""
    return cell_len(ch) == 1 and unicodedata.east_asian_width(ch) == "A"
