"""Deadlines: what kind of body a report is for, when it is due, and the warnings as the day nears.

By default a department's report (and a township's, an institution's) is due on 31 January of
the next year, a government's own report on 31 March (条例 第四十九、五十条). A records office
sets its own, earlier dates for a folder in `govreport.toml`; a draft may name its own
`deadline`. Deadline warnings are computed here, not by the rule engine: they depend on today's
date and on the folder the draft is in, neither of which a rule of the format can see, and the
wizard must not show a different finding each morning while the clerk types.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import tomlsafe
from .files import FileTooLarge, UnsafeFile, read_regular_file
from .findings import Finding
from .review import ReviewStatus
from .severity import Severity

if TYPE_CHECKING:
    from .report import Report

CONFIG_NAME = "govreport.toml"
"""The review desk's settings for a folder of drafts (and the folders under it)."""

DEADLINE_RULE = "DEADLINE"
WARN_DAYS = 10
"""Days before the deadline from which a report not yet approved is warned about."""


class BodyKind(StrEnum):
    """What kind of body a report is for; the value is the id stored in drafts."""

    DEPARTMENT = "department"
    GOVERNMENT = "government"
    TOWNSHIP = "township"
    INSTITUTION = "institution"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    BodyKind.DEPARTMENT: "部门",
    BodyKind.GOVERNMENT: "人民政府",
    BodyKind.TOWNSHIP: "乡镇/街道",
    BodyKind.INSTITUTION: "事业单位",
}
_KIND_ALIASES = {"乡镇": BodyKind.TOWNSHIP, "街道": BodyKind.TOWNSHIP, "政府": BodyKind.GOVERNMENT}

DEFAULT_DUE: dict[BodyKind, tuple[int, int]] = {
    BodyKind.DEPARTMENT: (1, 31),
    BodyKind.GOVERNMENT: (3, 31),
    BodyKind.TOWNSHIP: (1, 31),
    BodyKind.INSTITUTION: (1, 31),
}
"""(month, day) of the year after the report's year."""


def kinds_text() -> str:
    return "、".join(f"{k.label}（{k.value}）" for k in BodyKind)


def parse_kind(text: str) -> BodyKind:
    """A kind by its id or Chinese name; `ValueError` in Chinese naming the ones known."""
    for kind in BodyKind:
        if text in (kind.value, kind.label):
            return kind
    if text in _KIND_ALIASES:
        return _KIND_ALIASES[text]
    raise ValueError(f"未知的机关类别“{text}”（可用：{kinds_text()}）")


_TOWNSHIP_RE = re.compile(r"(乡|镇|街道)(人民政府|办事处)$|街道办事处$|街道工作委员会$")


def infer_kind(org: str) -> BodyKind:
    """The kind a name says: 某镇人民政府 and 某街道办事处 are townships, 某县人民政府 a government,
    anything else (某县民政局, 某市人民政府办公室) a department."""
    name = org.strip()
    if _TOWNSHIP_RE.search(name):
        return BodyKind.TOWNSHIP
    if name.endswith("人民政府"):
        return BodyKind.GOVERNMENT
    return BodyKind.DEPARTMENT


class ConfigError(Exception):
    """A `govreport.toml` that cannot be used; the message names the file and the key, in Chinese."""


@dataclass(frozen=True)
class DueDate:
    """A deadline as configured: a fixed date, or a month and day of the year after the report's."""

    month: int
    day: int
    fixed: dt.date | None = None

    def for_year(self, year: int) -> dt.date:
        if self.fixed is not None:
            return self.fixed
        try:
            return dt.date(year + 1, self.month, self.day)
        except ValueError:  # 02-29 in a common year
            return dt.date(year + 1, self.month, 28)


@dataclass(frozen=True)
class DeskConfig:
    """The settings of a review folder: deadlines by kind, the kind of unnamed drafts, warning days."""

    path: Path | None = None
    due: dict[BodyKind, DueDate] = field(default_factory=dict)
    default_kind: BodyKind | None = None
    warn_days: int = WARN_DAYS

    def due_date(self, kind: BodyKind, year: int) -> tuple[dt.date, str]:
        """The deadline for a report of this kind and year, and where it comes from."""
        if kind in self.due:
            return self.due[kind].for_year(year), CONFIG_NAME
        month, day = DEFAULT_DUE[kind]
        return dt.date(year + 1, month, day), "默认"


_MONTH_DAY_RE = re.compile(r"^(\d{1,2})[-/月](\d{1,2})日?$")


def _due(value: object, key: str, fail: Any) -> DueDate:
    if isinstance(value, dt.datetime):
        raise fail(key, '应为日期（例如 2026-01-20）或“月-日”（例如 "01-20"），不要写时刻')
    if isinstance(value, dt.date):
        return DueDate(value.month, value.day, value)
    if isinstance(value, str):
        m = _MONTH_DAY_RE.match(value.strip())
        if m:
            month, day = int(m.group(1)), int(m.group(2))
            try:
                dt.date(2024, month, day)  # a leap year: 02-29 is a real day
            except ValueError:
                raise fail(key, f"“{value}”不是有效的日期") from None
            return DueDate(month, day)
    raise fail(key, f'“{value}”应为日期（例如 2026-01-20）或“月-日”（例如 "01-20"，指报告年度的次年）')


def parse_config(data: dict[str, Any], path: Path) -> DeskConfig:
    """Validate the parsed `govreport.toml`."""

    def fail(key: str, problem: str) -> ConfigError:
        return ConfigError(f"{path}：{key}：{problem}")

    known = {"deadlines", "kind", "warn_days"}
    for key in data:
        if key not in known:
            raise fail(key, f"未知的设置（可用的设置：{'、'.join(sorted(known))}）")
    due: dict[BodyKind, DueDate] = {}
    deadlines = data.get("deadlines", {})
    if not isinstance(deadlines, dict):
        raise fail("deadlines", '应为表（[deadlines]），每行一个机关类别，例如 部门 = "01-20"')
    for name, value in deadlines.items():
        try:
            kind = parse_kind(name)
        except ValueError as exc:
            raise fail(f"deadlines.{name}", str(exc)) from None
        due[kind] = _due(value, f"deadlines.{name}", fail)
    default_kind = None
    if "kind" in data:
        if not isinstance(data["kind"], str):
            raise fail("kind", f"应为文字（{kinds_text()}）")
        try:
            default_kind = parse_kind(data["kind"])
        except ValueError as exc:
            raise fail("kind", str(exc)) from None
    warn_days = data.get("warn_days", WARN_DAYS)
    if isinstance(warn_days, bool) or not isinstance(warn_days, int) or not 0 <= warn_days <= 366:
        raise fail("warn_days", f"应为 0 到 366 之间的整数（天），现在是 {warn_days!r}")
    return DeskConfig(path, due, default_kind, warn_days)


def load_config(path: Path) -> DeskConfig:
    """Read one `govreport.toml`; `ConfigError` (Chinese, with line and column) when it is wrong."""
    try:
        raw, _st = read_regular_file(path, 64 * 1024)
    except FileTooLarge:
        raise ConfigError(f"{path}：文件过大，不是审核设置") from None
    except UnsafeFile as exc:
        raise ConfigError(f"{path}：{exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}：无法读取（{exc.strerror or exc}）") from None
    try:
        data = tomlsafe.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}：不是 UTF-8 编码的文字") from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        place = f"第 {m.group(1)} 行第 {m.group(2)} 列" if m else ""
        detail = re.sub(r"\s*\(at .*\)$", "", str(exc))
        raise ConfigError(f"{path}：{place}不是有效的 TOML（{detail}）") from None
    except tomlsafe.TomlLimitError as exc:
        raise ConfigError(f"{path}：{exc.message}") from None
    return parse_config(data, path)


class ConfigFinder:
    """The settings that apply to a folder: the nearest `govreport.toml` in it or above it, up to `root`.

    Each folder is looked at once. A wrong file raises `ConfigError` when a draft under it asks.
    """

    def __init__(self, root: Path | None = None, *, strict: bool = True) -> None:
        self.root = root.resolve() if root is not None else None
        self.strict = strict  # else a wrong file is noted in `problems` and the defaults apply
        self.problems: list[str] = []
        self._found: dict[Path, DeskConfig | None] = {}

    def _lookup(self, folder: Path) -> DeskConfig | None:
        if folder in self._found:
            return self._found[folder]
        candidate = folder / CONFIG_NAME
        config: DeskConfig | None
        if candidate.is_file() or candidate.is_symlink():
            try:
                config = load_config(candidate)
            except ConfigError as exc:
                if self.strict:
                    raise
                self.problems.append(str(exc))
                config = None
        elif self.root is None or folder == self.root or folder.parent == folder or self.root not in folder.parents:
            config = None
        else:
            config = self._lookup(folder.parent)
        self._found[folder] = config
        return config

    def for_draft(self, draft: Path) -> DeskConfig | None:
        """The settings for a draft; `None` when no `govreport.toml` covers it."""
        return self._lookup(draft.resolve().parent)


@dataclass(frozen=True)
class Deadline:
    """A report's deadline: the date, the kind of body it was computed for, and where it comes from."""

    due: dt.date
    kind: BodyKind
    source: str  # 草稿, govreport.toml, 默认

    def days_left(self, today: dt.date) -> int:
        return (self.due - today).days


def chinese_date(day: dt.date) -> str:
    """E.g. 2026年1月31日."""
    return f"{day.year}年{day.month}月{day.day}日"


def has_desk_facts(report: Report) -> bool:
    """Whether the draft itself says anything a review desk set: kind, deadline, publication, a review."""
    return bool(report.kind or report.deadline or report.published or not report.review.empty)


def deadline_for(report: Report, config: DeskConfig | None) -> Deadline:
    """The deadline of a report: its own `deadline`, else its folder's date for its kind, else the default."""
    config = config or DeskConfig()
    kind = parse_kind(report.kind) if report.kind else config.default_kind or infer_kind(report.org)
    if report.deadline is not None:
        return Deadline(report.deadline, kind, "草稿")
    due, source = config.due_date(kind, report.year)
    return Deadline(due, kind, source)


def deadline_findings(report: Report, deadline: Deadline, today: dt.date, warn_days: int = WARN_DAYS) -> list[Finding]:
    """Warnings about the deadline: near and not approved, passed and not approved, published late."""
    out = []
    left = deadline.days_left(today)
    approved = report.review.status is ReviewStatus.APPROVED
    due = chinese_date(deadline.due)
    kind = f"{deadline.kind.label}报告"
    if not approved and left < 0:
        text = f"已超过截止日期（{due}，{kind}）{-left} 天，审核状态为“{report.review.status.label}”，尚未通过"
        out.append(Finding(DEADLINE_RULE, Severity.WARNING, text, location="截止日期"))
    elif not approved and left <= warn_days:
        when = "今天截止" if left == 0 else f"还有 {left} 天截止"
        text = f"{when}（{due}，{kind}），审核状态为“{report.review.status.label}”，尚未通过"
        out.append(Finding(DEADLINE_RULE, Severity.WARNING, text, location="截止日期"))
    if report.published is not None and report.published > deadline.due:
        late = (report.published - deadline.due).days
        text = f"于 {chinese_date(report.published)} 公布，晚于截止日期（{due}）{late} 天"
        out.append(Finding(DEADLINE_RULE, Severity.WARNING, text, location="截止日期"))
    return out
