"""Bytes of a published report's file to text: UTF-8, UTF-16 (with or without BOM), GBK/GB18030."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from ..files import UnsafeFile, describe_os_error, read_regular_file
from .result import NotAReport

_BINARY_KINDS = (
    (b"PK\x03\x04", "这是 Word 文档（.docx）或其他压缩文件"),
    (b"\xd0\xcf\x11\xe0", "这是旧版 Word 文档（.doc）或 WPS 文件"),
    (b"%PDF", "这是 PDF 文件"),
    (b"{\\rtf", "这是 RTF 文档"),
)
_HOW_TO = "请在 Word/WPS 中“另存为”网页（.html）或纯文本（.txt），或复制全文粘贴到文本文件中再导入。"


def _looks_like_text(text: str) -> bool:
    """Mostly letters, digits, punctuation and line breaks: not binary decoded by chance."""
    if not text:
        return False
    odd = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs") and ch not in "\t\n\r")
    return odd * 50 < len(text)


def _utf16_without_bom(raw: bytes) -> str | None:
    """Notepad and Excel sometimes write UTF-16 without a BOM: ASCII characters have a NUL byte."""
    sample = raw[:4000]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = raw[: len(raw) - len(raw) % 2].decode(encoding)
    except UnicodeDecodeError:
        return None
    return text if _looks_like_text(text) else None


def decode_bytes(raw: bytes) -> str:
    """The text of a file's bytes, or NotAReport saying what the file is."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise NotAReport("文件以 UTF-16 标记开头，但内容无法按 UTF-16 读取") from None
    for magic, what in _BINARY_KINDS:
        if raw.startswith(magic):
            raise NotAReport(f"{what}，不能直接导入。{_HOW_TO}")
    if b"\x00" in raw[:4000]:
        text = _utf16_without_bom(raw)
        if text is not None:
            return text
        raise NotAReport(f"不是文本文件（含有二进制内容）。{_HOW_TO}")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise NotAReport("无法识别文件的编码（支持 UTF-8、UTF-16、GBK/GB18030）")


MAX_SOURCE_BYTES = 32 * 1024 * 1024
"""A published report, even a saved web page with its scripts, is far smaller than this."""


def read_file(path: Path) -> str:
    """The text of a published report's file."""
    try:
        raw, _st = read_regular_file(path.resolve(), MAX_SOURCE_BYTES)  # a link to a report is fine to read
    except UnsafeFile as exc:  # a folder, FIFO, device, or too large: never opened or read past the cap
        raise NotAReport(str(exc)) from None
    except OSError as exc:
        raise NotAReport(f"无法读取（{describe_os_error(exc)}）") from None
    if not raw.strip():
        raise NotAReport("文件是空的")
    return decode_bytes(raw)
