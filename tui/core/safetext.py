"""Text that is safe to show on a terminal: no controls, no bidi tricks, no invisible marks.

A file name, a cell value or an organisation name can carry `ESC ]52;…` (a clipboard write),
`ESC ]0;…` (a window title), C1 controls, bidi overrides that reorder what the clerk reads,
invisible characters, or thousands of stacked combining marks. `safe_text` removes all of
them; every string that leaves the program for a terminal goes through it (the CLI, the app,
and the texts stored in a draft).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata

MAX_COMBINING = 4
"""Longest run of combining marks kept on one character (more is "Zalgo" text drawn over lines)."""

_REMOVED = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 controls but tab, newline, CR; DEL; C1 controls
    "\u00ad"  # soft hyphen
    "\u061c"  # Arabic letter mark
    "\u180e"  # Mongolian vowel separator
    "\u200b-\u200f"  # zero-width space, joiners, LRM, RLM
    "\u2028\u2029"  # line and paragraph separators (some terminals break the line)
    "\u202a-\u202e"  # bidi embeddings and overrides
    "\u2060-\u2064"  # word joiner, invisible operators
    "\u2066-\u2069"  # bidi isolates
    "\ufeff"  # byte-order mark / zero-width no-break space
    "\ufff9-\ufffb"  # interlinear annotation
)
_TAGS = "\U000e0000-\U000e007f"  # tag characters; apart, as a class with astral ranges is slow to match
_REMOVE_RE = re.compile(f"[{_REMOVED}]|\r(?!\n)")
_REMOVE_OR_REPLACE_RE = re.compile(f"[{_REMOVED}]|\r(?!\n)|([\ud800-\udfff])")  # surrogates: undecodable bytes
_TAGS_RE = re.compile(f"[{_TAGS}]")
_LINE_BREAK_RE = re.compile("\r?\n|\t")
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")


def _mark_ranges(first: int, last: int) -> str:
    """A regex character class body of the combining marks (Mn, Me) between two code points."""
    ranges: list[list[int]] = []
    for code in range(first, last + 1):
        if unicodedata.category(chr(code)) in ("Mn", "Me"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges)


@functools.cache
def _bmp_marks() -> re.Pattern[str]:
    # Built on first use (about 10 ms); a class of BMP characters only keeps the scan fast.
    return re.compile(f"[{_mark_ranges(0x300, 0xFFFF)}]{{{MAX_COMBINING + 1},}}")


@functools.cache
def _all_marks() -> re.Pattern[str]:
    # Needed only for text with characters beyond the BMP (about 100 ms once, slower to match).
    marks = _mark_ranges(0x300, 0x3FFFF) + _mark_ranges(0xE0100, 0xE01EF)
    return re.compile(f"[{marks}]{{{MAX_COMBINING + 1},}}")


def _removed_or_replaced(match: re.Match[str]) -> str:
    return "\ufffd" if match.group(1) else ""


def _cap_marks(match: re.Match[str]) -> str:
    return match.group()[:MAX_COMBINING]


def safe_text(text: object, *, keep_newlines: bool = False) -> str:
    """`text` (a str, a path, anything printable) with nothing a terminal would act on.

    Removes C0 and C1 controls (and DEL), bidi overrides, embeddings, isolates and marks,
    U+061C, U+2060–U+2064, zero-width characters, the soft hyphen, tag characters (U+E0000
    block) and lone CRs; replaces undecodable bytes of file names with U+FFFD; shortens runs
    of more than `MAX_COMBINING` combining marks. With `keep_newlines` (multi-line texts) tabs,
    newlines and CRLF pairs stay; without it they become spaces, so one value is one line.
    """
    out = text if isinstance(text, str) else str(text)
    if out.isascii():
        out = _REMOVE_RE.sub("", out)
    else:
        out = _REMOVE_OR_REPLACE_RE.sub(_removed_or_replaced, out)
        if _ASTRAL_RE.search(out):
            out = _all_marks().sub(_cap_marks, _TAGS_RE.sub("", out))
        else:
            out = _bmp_marks().sub(_cap_marks, out)
    return out if keep_newlines else _LINE_BREAK_RE.sub(" ", out)


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


_JSON_UNSAFE_RE = re.compile(f"[{_REMOVED}\r\ud800-\udfff]|[{_TAGS}]")


def safe_json(data: object) -> str:
    """JSON for a terminal: readable Chinese, but every character `safe_text` would remove escaped.

    Unlike `safe_text` nothing is lost: a script reading the JSON gets the exact file names
    and values back.
    """
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE_RE.sub(_json_escape, text)
