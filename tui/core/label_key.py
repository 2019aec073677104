"""How labels are compared: the variants published reports print for the same row or column made alike."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_IGNORED = re.compile(r"[\s\"'“”‘’「」*]")
_ENUM_COMMA = re.compile(r"(?<=\d)、")


@lru_cache(maxsize=65536)
def label_key(text: str) -> str:
    """A label as compared: width, spaces, quotes, `1、`/`1.` and known misprints made alike."""
    text = unicodedata.normalize("NFKC", text)
    text = _IGNORED.sub("", text)
    text = _ENUM_COMMA.sub(".", text)
    text = text.replace("只记", "只计").replace("本年增/减", "本年增").replace("本年增减", "本年增")
    return text.replace("行政法复议", "行政复议")
