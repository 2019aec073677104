"""Drafts as TOML files: exact round trip, atomic saves, and clear messages for bad files."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli_w

from .formats import CellRef, UnknownFormatError, get_format
from .report import Report, text_ids
from .values import coerce_stored, strip_controls, to_stored

LAYOUT = 1
"""Version of the draft file layout written by this program."""

MAX_DRAFT_BYTES = 4 * 1024 * 1024
"""A real draft is about 10 KB; anything this large is not one."""

_HEADER = (
    "# 政府信息公开工作年度报告草稿（govreport-tui）。\n"
    '# 可以用文本编辑器查看；表格中 "" 表示尚未填写，没有数据请填 0。\n\n'
)


class DraftError(Exception):
    """A draft that cannot be read or written; the message is one line of Chinese."""


def _decode_error(path: Path, text: str, exc: tomllib.TOMLDecodeError) -> DraftError:
    message = str(exc)
    m = re.search(r"\(at line (\d+), column (\d+)\)", message)
    detail = re.sub(r"\s*\(at .*\)$", "", message)
    if m:
        place = f"第 {m.group(1)} 行第 {m.group(2)} 列"
    else:  # "at end of document": the file stops in the middle of something (a cut-off save)
        lines = text.splitlines() or [""]
        place = f"第 {len(lines)} 行第 {len(lines[-1]) + 1} 列（文件末尾）"
    return DraftError(f"{path}：{place}不是有效的 TOML（{detail}）")


def read_draft_data(path: Path) -> dict[str, Any]:
    """Read and parse a draft file, refusing empty, huge, linked and non-TOML files."""
    if path.is_symlink():
        raise DraftError(f"{path}：这是一个符号链接（指向 {os.readlink(path)}），为免写到别处，请直接打开它指向的文件")
    try:
        size = path.stat().st_size
        if size > MAX_DRAFT_BYTES:
            raise DraftError(f"{path}：文件过大（{size} 字节），不是报告草稿")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DraftError(f"{path}：文件不存在") from None
    except IsADirectoryError:
        raise DraftError(f"{path}：这是一个文件夹，不是草稿文件") from None
    except PermissionError:
        raise DraftError(f"{path}：没有读取权限") from None
    except OSError as exc:
        raise DraftError(f"{path}：无法读取（{exc.strerror}）") from None
    if not raw.strip():
        raise DraftError(f"{path}：文件是空的（可能是保存被中断），请使用备份")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DraftError(f"{path}：第 {line} 行不是 UTF-8 编码") from None
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise _decode_error(path, text, exc) from None


def report_from_data(data: dict[str, Any], where: str = "草稿") -> Report:
    """Build a report from parsed draft data; every problem is a `DraftError` naming the key."""

    def fail(key: str, problem: str) -> DraftError:
        return DraftError(f"{where}：{key}：{problem}")

    def need(key: str, typ: type, obj: dict[str, Any] = data) -> Any:
        if key not in obj:
            raise fail(key, "缺少此项")
        value = obj[key]
        if (typ is int and isinstance(value, bool)) or not isinstance(value, typ):
            raise fail(key, "类型不对" + ("，应为整数" if typ is int else "，应为文字"))
        return value

    if "layout" not in data:
        raise fail("layout", "缺少草稿文件版本号：这不是 govreport-tui 的草稿，或文件已损坏")
    layout = need("layout", int)
    if layout > LAYOUT:
        raise fail("layout", f"草稿文件版本 {layout} 比本程序支持的版本 {LAYOUT} 新，请升级 govreport-tui")
    if layout < 1:
        raise fail("layout", f"无效的版本号 {layout}")
    try:
        fmt = get_format(need("format", str))
    except UnknownFormatError as exc:
        raise fail("format", str(exc)) from None
    year = need("year", int)
    if not 1990 <= year <= 2200:
        raise fail("year", f"年度 {year} 不合理")
    report = Report.new(fmt, strip_controls(need("org", str), keep_newlines=False), year)
    if "derived_from" in data:
        report.derived_from = need("derived_from", str)
    rule_files = data.get("rules", [])
    if not isinstance(rule_files, list) or not all(isinstance(v, str) for v in rule_files):
        raise fail("rules", "应为规则文件路径（文字）组成的列表")
    report.rule_files = list(rule_files)

    position = data.get("position", {})
    if not isinstance(position, dict) or not all(isinstance(v, str) for v in position.values()):
        raise fail("position", "应为文字组成的表")
    report.position = dict(position)

    texts = data.get("texts", {})
    if not isinstance(texts, dict):
        raise fail("texts", "应为表（[texts]）")
    known_texts = set(text_ids(fmt))
    for key, value in texts.items():
        if key not in known_texts:
            raise fail(f"texts.{key}", "本格式没有这一部分")
        if not isinstance(value, str):
            raise fail(f"texts.{key}", "应为文字")
        report.set_text(key, value)

    present = 0
    tables = data.get("tables", {})
    if not isinstance(tables, dict):
        raise fail("tables", "应为表（[tables]）")
    for part_id, rows in tables.items():
        if not isinstance(rows, dict):
            raise fail(f"tables.{part_id}", "应为表")
        for row_id, cols in rows.items():
            if not isinstance(cols, dict):
                raise fail(f"tables.{part_id}.{row_id}", "应为表")
            for col_id, stored in cols.items():
                ref = CellRef(part_id, row_id, col_id)
                if ref not in fmt.cell_index:
                    raise fail(f"tables.{part_id}.{row_id}.{col_id}", f"《{fmt.name}》中没有这个单元格")
                column, _row = fmt.cell_index[ref]
                report.cells[ref] = coerce_stored(column.kind, stored)
                present += 1
    report.missing_cells = len(fmt.cell_index) - present
    return report


def load_report(path: Path) -> Report:
    """Read a draft file into a report; raises `DraftError` with a one-line Chinese message."""
    return report_from_data(read_draft_data(path), str(path))


def dumps_report(report: Report) -> str:
    """The TOML text of a draft: metadata, then texts, then every cell in report order."""
    head: dict[str, Any] = {
        "layout": LAYOUT,
        "format": report.format.id,
        "org": report.org,
        "year": report.year,
    }
    if report.derived_from:
        head["derived_from"] = report.derived_from
    if report.rule_files:
        head["rules"] = report.rule_files
    out = [_HEADER, tomli_w.dumps(head)]
    if report.position:
        out += ["\n", tomli_w.dumps({"position": report.position})]
    out.append("\n[texts]\n")
    for text_id in text_ids(report.format):
        text = report.text(text_id)
        # tomli-w turns CRLF into LF in multi-line strings: keep such texts on one line.
        out.append(tomli_w.dumps({text_id: text}, multiline_strings="\r" not in text))
    tables: dict[str, dict[str, dict[str, int | str]]] = {}
    for ref in report.format.cell_refs():
        row = tables.setdefault(ref.part, {}).setdefault(ref.row, {})
        row[ref.col] = to_stored(report.value(ref))
    out.append("\n")
    out.append(tomli_w.dumps({"tables": tables}))
    return "".join(out)


def atomic_write(path: Path, data: bytes, *, backup: bool = True, mode: int = 0o600) -> None:
    """Replace `path` with `data` so that a crash leaves either the old or the new file.

    The previous version is kept as `<name>.bak`. New files are private to the user.
    """
    directory = path.parent if str(path.parent) else Path(".")
    try:
        old_mode = stat.S_IMODE(path.stat().st_mode)
        exists = True
    except FileNotFoundError:
        old_mode, exists = mode, False
    if exists and backup:
        atomic_write(
            path.with_name(path.name + ".bak"), path.read_bytes(), backup=False, mode=old_mode & 0o600 or 0o600
        )
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, old_mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def save_report(report: Report, path: Path) -> None:
    """Write a draft atomically; raises `DraftError` when the disk refuses."""
    try:
        atomic_write(path, dumps_report(report).encode("utf-8"))
    except OSError as exc:
        raise DraftError(f"{path}：无法保存（{exc.strerror or exc}）") from None


def backup_path(draft: Path) -> Path:
    """Where the previous version of a draft is kept."""
    return draft.with_name(draft.name + ".bak")


def restore_backup(draft: Path) -> Path:
    """Put the backup in place of a damaged draft; the damaged file is kept, renamed. Returns its new name."""
    damaged = draft.with_name(f"{draft.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    os.replace(draft, damaged)
    atomic_write(draft, backup_path(draft).read_bytes(), backup=False)
    return damaged


def remove_stale_temp_files(draft: Path) -> list[Path]:
    """Temporary files left by a save that was killed (`kill -9`, power cut); call with the lock held."""
    removed = []
    for pattern in (f".{draft.name}.*.tmp", f".{draft.name}.bak.*.tmp"):
        for path in draft.parent.glob(pattern):
            if path.is_file() and not path.is_symlink():
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
    return removed
