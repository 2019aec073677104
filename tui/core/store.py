"""Drafts as TOML files: exact round trip, atomic saves, and clear messages for bad files."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import time
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from . import tomlsafe
from .files import (
    FileTooLarge,
    ReadOnlyFile,
    UnsafeFile,
    describe_os_error,
    read_regular_file,
    stale_temp_files,
)
from .files import atomic_write as atomic_write  # the app writes exports with it
from .formats import CellRef, UnknownFormatError, get_format
from .lock import DraftLock, LockBusy, held_here
from .report import FIRST_YEAR, LAST_YEAR, Report, text_ids
from .review import review_from_data, review_to_data
from .sum_record import sum_record_from_data, sum_record_to_data
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


def read_draft(path: Path) -> tuple[dict[str, Any], os.stat_result]:
    """Read and parse a draft file, and the status of the very file read (for the changed-on-disk check).

    Only a regular file is opened (never a symlink, FIFO or device), at most `MAX_DRAFT_BYTES`
    are read, and the TOML is parsed within limits on number length and nesting: a hostile
    file is one `DraftError`, never a hang or a traceback.
    """
    try:
        raw, st = read_regular_file(path, MAX_DRAFT_BYTES)
    except FileTooLarge:
        raise DraftError(f"{path}：文件过大（超过 {MAX_DRAFT_BYTES} 字节），不是报告草稿") from None
    except UnsafeFile as exc:
        raise DraftError(f"{path}：{exc}") from None
    except FileNotFoundError:
        raise DraftError(f"{path}：文件不存在") from None
    except PermissionError:
        raise DraftError(f"{path}：没有读取权限") from None
    except OSError as exc:
        raise DraftError(f"{path}：无法读取（{exc.strerror or exc}）") from None
    except ValueError:  # a NUL in the name (e.g. a hostile `derived_from`)
        raise DraftError(f"{path}：文件名无效") from None
    return parse_draft_bytes(path, raw), st


def parse_draft_bytes(path: Path, raw: bytes) -> dict[str, Any]:
    """Parse the bytes of a draft file (within the TOML limits); `path` is named in the messages."""
    if not raw.strip():
        raise DraftError(f"{path}：文件是空的（可能是保存被中断），请使用备份")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DraftError(f"{path}：第 {line} 行不是 UTF-8 编码") from None
    try:
        return tomlsafe.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _decode_error(path, text, exc) from None
    except tomlsafe.TomlLimitError as exc:
        place = f"第 {exc.line} 行第 {exc.column} 列" if exc.line else ""
        raise DraftError(f"{path}：{place}{exc.message}，不是报告草稿") from None


def read_draft_data(path: Path) -> dict[str, Any]:
    """Read and parse a draft file, refusing empty, huge, linked, special and non-TOML files."""
    return read_draft(path)[0]


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
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise fail("year", f"年度 {year} 不合理")
    report = Report.new(fmt, strip_controls(need("org", str), keep_newlines=False), year)
    if "derived_from" in data:
        report.derived_from = need("derived_from", str)
    rule_files = data.get("rules", [])
    if not isinstance(rule_files, list) or not all(isinstance(v, str) for v in rule_files):
        raise fail("rules", "应为规则文件路径（文字）组成的列表")
    report.rule_files = list(rule_files)
    to_confirm = data.get("to_confirm", [])
    if not isinstance(to_confirm, list) or not all(isinstance(v, str) for v in to_confirm):
        raise fail("to_confirm", "应为单元格（部分/行/列）组成的列表")
    for name in to_confirm:
        ref = CellRef(*name.split("/", 2)) if name.count("/") == 2 else None
        if ref is None or ref not in fmt.cell_index:
            raise fail("to_confirm", f"《{fmt.name}》中没有单元格 {name}")
        report.to_confirm.add(ref)

    _read_desk_facts(data, report, fail)

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


_KINDS = ("department", "government", "township", "institution")  # tui.core.deadlines.BodyKind


def _read_desk_facts(data: dict[str, Any], report: Report, fail: Any) -> None:
    """What the review desk reads: kind, deadline, publication date, `[review]`, `[summed]` (all optional)."""
    kind = data.get("kind", "")
    if not isinstance(kind, str) or (kind and kind not in _KINDS):
        raise fail("kind", f"应为 {'、'.join(_KINDS)} 之一（部门、人民政府、乡镇/街道、事业单位）")
    report.kind = kind
    for key in ("deadline", "published"):
        value = data.get(key)
        if value is not None and (isinstance(value, dt.datetime) or not isinstance(value, dt.date)):
            raise fail(key, "应为日期，例如 2026-01-31")
        setattr(report, key, value)
    if "review" in data:
        report.review = review_from_data(data["review"], fail)
    if "summed" in data:
        report.summed = sum_record_from_data(data["summed"], report.format, fail)


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
    if report.to_confirm:
        order = {ref: k for k, ref in enumerate(report.format.cell_refs())}
        head["to_confirm"] = ["/".join(ref) for ref in sorted(report.to_confirm, key=order.__getitem__)]
    if report.kind:
        head["kind"] = report.kind
    if report.deadline is not None:
        head["deadline"] = report.deadline
    if report.published is not None:
        head["published"] = report.published
    out = [_HEADER, tomli_w.dumps(head)]
    if report.position:
        out += ["\n", tomli_w.dumps({"position": report.position})]
    if not report.review.empty:
        out += ["\n", tomli_w.dumps({"review": review_to_data(report.review)})]
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
    if report.summed is not None:
        out += ["\n", tomli_w.dumps({"summed": sum_record_to_data(report.summed)})]
    return "".join(out)


def save_report(report: Report, path: Path, *, replace: bool = True) -> None:
    """Write a draft atomically, keeping the previous version as `.bak`; raises `DraftError` when refused.

    Does not lock: editing sessions save through `DraftSession.save`, new files through
    `tui.core.session.create_draft`. With `replace=False` an existing file (even a dangling
    symlink) is refused. A read-only draft is never replaced.
    """
    try:
        atomic_write(path, dumps_report(report).encode("utf-8"), replace=replace)
    except FileExistsError:
        raise DraftError(f"{path}：文件已存在，没有覆盖") from None
    except ReadOnlyFile as exc:
        raise DraftError(f"{path}：{exc.strerror}") from None
    except OSError as exc:
        raise DraftError(f"{path}：无法保存（{describe_os_error(exc)}）") from None


def backup_path(draft: Path) -> Path:
    """Where the previous version of a draft is kept."""
    return draft.with_name(draft.name + ".bak")


def restore_backup(draft: Path) -> Path:
    """Put the backup in place of a damaged draft; the damaged file is kept, renamed. Returns its new name.

    Runs under the draft's lock (taken here unless this process holds it). Only a backup that
    is a regular file and reads as a draft is restored. Every failure is an `OSError` with a
    Chinese message.
    """
    lock = None if held_here(draft) else DraftLock(draft)
    try:
        if lock is not None:
            lock.acquire()
    except LockBusy as busy:
        raise OSError(errno.EBUSY, f"{draft}：草稿正由{busy}打开，不能恢复备份") from None
    try:
        backup = backup_path(draft)
        try:
            raw, _st = read_regular_file(backup, MAX_DRAFT_BYTES)
            report_from_data(parse_draft_bytes(backup, raw), str(backup))
        except (DraftError, UnsafeFile, FileNotFoundError) as exc:
            raise OSError(errno.EINVAL, f"备份无法使用：{exc}") from None
        stem = f"{draft.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}"
        damaged, n = draft.with_name(stem), 2
        while os.path.lexists(damaged):
            damaged, n = draft.with_name(f"{stem}-{n}"), n + 1
        os.replace(draft, damaged)
        atomic_write(draft, raw, backup=False)
        return damaged
    finally:
        if lock is not None:
            lock.release()


def remove_stale_temp_files(draft: Path) -> list[Path]:
    """Temporary files left by a save that was killed (`kill -9`, power cut); call with the lock held."""
    removed = []
    for path in stale_temp_files(draft):
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed
