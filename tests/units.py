"""A folder of generated unit drafts, as a records office collects them (tests and benchmarks).

Every unit is the 淮安 2024 report's tables times a factor (so every total still reconciles and
sums are easy to compute by hand), with short texts of its own, for 2025. Some have an error
(第一项 of 自然人 one too many), some are approved, some returned; `damage` cuts a draft off.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from tui.core.formats import CellRef
from tui.core.report import Report
from tui.core.review import ReviewEntry, ReviewStatus
from tui.core.store import dumps_report, load_report
from tui.core.values import Invalid

ROOT = Path(__file__).resolve().parent.parent
HUAIAN = ROOT / "reports" / "2024-huaian-city-gov.toml"
YEAR = 2025
BROKEN_CELL = CellRef("requests", "new_requests", "natural_person")
WHEN = dt.datetime(2026, 1, 10, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))

TOWNS = ["城关镇", "东关镇", "西湖镇", "南河镇", "北山乡", "新民街道"]
BUREAUS = ["民政局", "财政局", "教育局", "卫生健康委员会", "自然资源局", "交通运输局", "住房和城乡建设局"]


@dataclass(frozen=True)
class UnitSpec:
    """What a generated unit is: its file, name, factor, and what is wrong or decided about it."""

    file: str
    org: str
    factor: int
    error: bool = False
    status: ReviewStatus = ReviewStatus.DRAFT
    comment: str = ""


def unit_org(i: int) -> str:
    if i % 3 == 0:
        return f"某县{TOWNS[(i // 3) % len(TOWNS)]}{i // 18 or ''}人民政府".replace("街道人民政府", "街道办事处")
    return f"某县{BUREAUS[i % len(BUREAUS)]}{i // 7 or ''}"


def base_report() -> Report:
    return load_report(HUAIAN)


def scaled(base: Report, org: str, factor: int) -> Report:
    """The base report's cells times `factor`, with short texts naming `org`."""
    report = Report.new(base.format, org, YEAR)
    for ref, value in base.cells.items():
        if value is None or isinstance(value, Invalid):
            report.cells[ref] = value
        else:
            report.cells[ref] = value * factor if isinstance(value, int) else Decimal(value) * factor
    report.set_text("overview", f"{YEAR}年，{org}认真贯彻落实《中华人民共和国政府信息公开条例》，做好公开工作。")
    report.set_text("problems", "存在的主要问题是公开内容不够全面。改进措施：加强培训，完善制度。")
    report.set_text("other", "本年度未收取信息处理费。")
    return report


def unit_report(base: Report, spec: UnitSpec) -> Report:
    report = scaled(base, spec.org, spec.factor)
    if spec.error:
        value = report.cells[BROKEN_CELL]
        assert isinstance(value, int)
        report.cells[BROKEN_CELL] = value + 1
    if spec.status is not ReviewStatus.DRAFT:
        report.review.history.append(ReviewEntry(ReviewStatus.SUBMITTED, "单位", WHEN))
        if spec.status is not ReviewStatus.SUBMITTED:
            report.review.history.append(ReviewEntry(spec.status, "审核员", WHEN, spec.comment))
        report.review.status = spec.status
    return report


def specs(count: int) -> list[UnitSpec]:
    """`count` units: every 5th has an error (units 6, 16, 26 … of those returned), every 4th without one approved."""
    out = []
    for i in range(count):
        error = i % 5 == 1
        if error and i % 10 == 6:
            status, comment = ReviewStatus.RETURNED, "表三第一项与办理结果不平衡，请核对"
        elif not error and i % 4 == 0:
            status, comment = ReviewStatus.APPROVED, ""
        elif not error and i % 6 == 5:
            status, comment = ReviewStatus.SUBMITTED, ""
        else:
            status, comment = ReviewStatus.DRAFT, ""
        out.append(UnitSpec(f"{i:04d}.toml", unit_org(i), i % 9 + 1, error, status, comment))
    return out


def write_units(folder: Path, count: int, *, subfolders: int = 0) -> list[tuple[Path, UnitSpec]]:
    """Write `count` unit drafts into `folder` (spread over `subfolders` sub-folders if asked)."""
    base = base_report()
    written = []
    for i, spec in enumerate(specs(count)):
        where = folder / f"片区{i % subfolders + 1}" if subfolders else folder
        where.mkdir(parents=True, exist_ok=True)
        path = where / spec.file
        path.write_text(dumps_report(unit_report(base, spec)), encoding="utf-8")
        os.chmod(path, 0o600)
        written.append((path, spec))
    return written


def damage(path: Path) -> None:
    """Cut a draft off in the middle, as an interrupted copy would."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
