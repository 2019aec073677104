"""Summing units into an area's report: every table cell added over the chosen drafts.

Every cell is added as the units reported it, totals included, so a unit's inconsistent total
shows up in the summed draft's checks instead of being silently recomputed. A blank (or
invalid) cell in any source makes that sum cell blank and listed, never 0. Columns the format
marks `sum = "confirm"` (stocks such as 现行有效件数, and the fee amount: one document can be
counted by two units) are added but listed for the clerk to confirm. The drafts are read one
at a time and added into running sums. The summed draft records its sources with a SHA-256 of
each file; summing into it again keeps its texts and the values the clerk confirmed, and says
what changed.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .checks import check_report
from .files import read_regular_file
from .formats import CellRef, Format
from .linked_files import load_linked_files
from .report import Report
from .review import ReviewStatus
from .session import create_draft, locked_for_write
from .severity import severity_summary
from .store import MAX_DRAFT_BYTES, DraftError, load_report, parse_draft_bytes, report_from_data
from .sum_record import SumRecord, SumSource
from .units import draft_paths
from .values import CellValue, Invalid, shown_value


class SumRefused(Exception):
    """The drafts cannot be summed (mixed formats or years, unreadable files, nothing to sum); Chinese."""


@dataclass(frozen=True)
class CellChange:
    """A cell whose sum changed since the last time: old and new values."""

    ref: CellRef
    old: CellValue
    new: CellValue


@dataclass
class SumResult:
    """What `sum_drafts` wrote, and what the clerk must look at."""

    report: Report
    output: Path
    sources: list[SumSource]
    blanks: dict[CellRef, list[str]]  # sum cells left blank: the units whose cell was blank or invalid
    confirm: dict[CellRef, CellValue]  # cells to confirm, with the sum proposed
    kept: dict[CellRef, tuple[CellValue, CellValue]]  # re-summing: the clerk's value kept, and the new sum
    with_errors: list[str] = field(default_factory=list)  # sources whose checks find errors (by name)
    not_approved: list[str] = field(default_factory=list)  # sources not yet 通过
    resummed: bool = False
    added: list[SumSource] = field(default_factory=list)
    removed: list[SumSource] = field(default_factory=list)
    changed: list[SumSource] = field(default_factory=list)  # the same path, other bytes
    changed_cells: list[CellChange] = field(default_factory=list)


@dataclass
class _Group:
    """Running sums over the sources of one format and year."""

    fmt: Format
    year: int
    sums: dict[CellRef, int | Decimal] = field(default_factory=dict)
    blanks: dict[CellRef, list[str]] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    sources: list[SumSource] = field(default_factory=list)
    not_approved: list[str] = field(default_factory=list)

    def add(self, report: Report, name: str, source: SumSource) -> None:
        for ref in self.fmt.cell_refs():
            value = report.value(ref)
            if value is None or isinstance(value, Invalid):
                self.blanks.setdefault(ref, []).append(report.org or name)
            elif ref not in self.blanks:
                self.sums[ref] = self.sums.get(ref, 0) + value
        self.names.append(name)
        self.sources.append(source)
        if report.review.status is not ReviewStatus.APPROVED:
            self.not_approved.append(report.org or name)


def _source_paths(inputs: Sequence[Path], output: Path) -> list[Path]:
    paths: list[Path] = []
    for given in inputs:
        if given.is_dir() and given.suffix != ".toml":  # `x.toml/` is a mistake, reported as one
            paths.extend(draft_paths(given, exclude=[output]))
        elif given.resolve() != output.resolve():
            paths.append(given)
    return paths


def _names(items: list[str], limit: int = 5) -> str:
    shown = "、".join(items[:limit])
    return shown + (f" 等 {len(items)} 份" if len(items) > limit else "")


def _pick_group(groups: dict[tuple[str, int], _Group], year: int | None) -> _Group:
    """The one format and year of all the sources; `SumRefused` naming the odd ones otherwise."""
    formats = Counter[str]()
    years = Counter[int]()
    for (fmt_id, y), group in groups.items():
        formats[fmt_id] += len(group.names)
        years[y] += len(group.names)
    if len(formats) > 1:
        main, count = formats.most_common(1)[0]
        main_name = next(g.fmt.name for (f, _y), g in groups.items() if f == main)
        odd = [f"{n}（{g.fmt.name}）" for (f, _y), g in groups.items() if f != main for n in g.names]
        raise SumRefused(
            f"来源草稿的格式不一致：{count} 份为《{main_name}》，"
            f"以下不同，请升级（govreport-tui upgrade）或去掉：{_names(odd)}"
        )
    wanted = year if year is not None else years.most_common(1)[0][0]
    odd = [f"{n}（{y} 年度）" for (_f, y), g in groups.items() if y != wanted for n in g.names]
    if odd:
        raise SumRefused(f"来源草稿的年度不一致：汇总 {wanted} 年度，以下不是：{_names(odd)}")
    return next(iter(groups.values()))


def _refuse_twice_counted(group: _Group) -> None:
    """`SumRefused` when one organisation has two drafts among the sources (a copy, a rescued
    `.unsaved` file, a draft started twice): summed, its figures would count twice."""
    by_org: dict[str, list[str]] = {}
    for source in group.sources:
        if source.org.strip():
            by_org.setdefault(source.org.strip(), []).append(source.path)
    twice = [f"{org}（{'、'.join(paths)}）" for org, paths in by_org.items() if len(paths) > 1]
    if twice:
        raise SumRefused(
            f"同一单位有多份草稿，汇总会重复计算，没有汇总：{_names(twice, 3)}。"
            "请只保留每个单位的一份（其余的移出文件夹），或只列出要汇总的草稿"
        )


def _previous(output: Path, replace: bool) -> Report | None:
    """The summed draft being summed again, if `output` is one; refuses to replace anything else."""
    if not os.path.lexists(output):
        return None
    try:
        previous = load_report(output)
    except DraftError as exc:
        if replace:
            return None
        raise SumRefused(f"{output} 已存在且无法读取（{exc}）。如确实要覆盖，请加 --force") from None
    if previous.summed is None and not replace:
        raise SumRefused(f"{output} 已存在，不是汇总生成的草稿。如确实要覆盖，请加 --force")
    return previous if previous.summed is not None else None


def sum_drafts(
    inputs: Sequence[Path],
    *,
    output: Path,
    org: str | None = None,
    year: int | None = None,
    replace: bool = False,
) -> SumResult:
    """Add up the drafts named (folders: every draft under them) into the draft `output`.

    All sources must share one format and year (`year` when given): otherwise `SumRefused`
    names the odd ones, as it does unreadable files. When `output` is a summed draft already,
    it is summed again: its texts, status and the cells the clerk confirmed are kept, and the
    result lists what changed. Anything else at `output` is replaced only with `replace`. The
    file is written under its lock (`DraftLocked` when someone has it open).
    """
    with locked_for_write(output, "汇总"):
        return _sum_drafts(inputs, output, org, year, replace)


def _sum_drafts(inputs: Sequence[Path], output: Path, org: str | None, year: int | None, replace: bool) -> SumResult:
    """The work of `sum_drafts`, under the output's lock."""
    previous = _previous(output, replace)
    paths = _source_paths(inputs, output)
    if not paths:
        raise SumRefused("没有找到要汇总的草稿（.toml 文件）")
    base = output.resolve().parent
    groups: dict[tuple[str, int], _Group] = {}
    unreadable: list[str] = []
    with_errors: list[str] = []
    for path in paths:
        try:
            raw, _st = read_regular_file(path, MAX_DRAFT_BYTES)
            report = report_from_data(parse_draft_bytes(path, raw), str(path))
        except DraftError as exc:
            unreadable.append(str(exc))
            continue
        except OSError as exc:
            unreadable.append(f"{path}：{exc.strerror or exc}")
            continue
        name = str(path)
        source = SumSource(os.path.relpath(path.resolve(), base), report.org, hashlib.sha256(raw).hexdigest())
        key = (report.format.id, report.year)
        if key not in groups:
            groups[key] = _Group(report.format, report.year)
        groups[key].add(report, name, source)
        load_linked_files(report, path)
        if severity_summary(check_report(report)).errors:
            with_errors.append(report.org or name)
    if unreadable:
        raise SumRefused(f"有 {len(unreadable)} 份草稿无法读取，没有汇总：" + "；".join(unreadable[:5]))
    group = _pick_group(groups, year)
    _refuse_twice_counted(group)
    fmt = group.fmt
    if previous is not None and previous.format.id != fmt.id:
        raise SumRefused(f"{output} 是《{previous.format.name}》，来源草稿是《{fmt.name}》：请另存到新文件")
    if org is None and previous is None:
        raise SumRefused("请用 --org 填写汇总报告的机关名称")
    report = previous if previous is not None else Report.new(fmt, org or "", group.year)
    report.org = org if org is not None else report.org
    report.year = group.year
    old_cells = dict(report.cells)
    old_record = report.summed or SumRecord()
    blanks = {ref: group.blanks[ref] for ref in fmt.cell_refs() if ref in group.blanks}
    confirm: dict[CellRef, CellValue] = {}
    kept: dict[CellRef, tuple[CellValue, CellValue]] = {}
    for ref in fmt.cell_refs():
        new: CellValue = None if ref in blanks else group.sums.get(ref, 0)
        column, _row = fmt.cell_index[ref]
        if column.confirm_on_sum:
            confirm[ref] = new
            old = old_cells.get(ref)
            if previous is not None and ref in old_record.proposed and old != old_record.proposed[ref]:
                kept[ref] = (old, new)  # the clerk corrected the last proposal: theirs stands
                continue
        report.cells[ref] = new
    report.summed = SumRecord(group.sources, confirm)
    result = SumResult(report, output, group.sources, blanks, confirm, kept, with_errors, group.not_approved)
    if previous is not None:
        result.resummed = True
        before = {s.path: s for s in old_record.sources}
        after = {s.path: s for s in group.sources}
        result.added = [s for p, s in after.items() if p not in before]
        result.removed = [s for p, s in before.items() if p not in after]
        result.changed = [s for p, s in after.items() if p in before and before[p].sha256 != s.sha256]
        result.changed_cells = [
            CellChange(ref, old_cells.get(ref), report.cells[ref])
            for ref in fmt.cell_refs()
            if old_cells.get(ref) != report.cells[ref]
        ]
    create_draft(report, output, overwrite=previous is not None or replace)
    return result


# --- what the clerk is told ----------------------------------------------------------------------


BLANKS_LISTED = 10
"""A unit with more blank cells than this gets one line saying how many, not one line per cell."""


def _units(names: list[str], limit: int = 3) -> str:
    return "、".join(names[:limit]) + (f" 等 {len(names)} 个单位" if len(names) > limit else "")


def sum_report_lines(result: SumResult) -> list[str]:
    """What a sum did, line by line (the command line prints them; the review screen shows them)."""
    report = result.report
    label = report.format.cell_label
    verb = "重新汇总" if result.resummed else "已汇总"
    lines = [f"{verb} {len(result.sources)} 份草稿 → {result.output}：{report.title}（{report.format.name}）"]
    if result.resummed:
        if not (result.added or result.removed or result.changed or result.changed_cells):
            lines.append("与上次汇总相比没有变化。")
        lines += [f"  [新增来源] {s.path}（{s.org}）" for s in result.added]
        lines += [f"  [去掉来源] {s.path}（{s.org}）" for s in result.removed]
        lines += [f"  [来源已修改] {s.path}（{s.org}）" for s in result.changed]
        lines += [f"  [变化] {label(c.ref)}：{shown_value(c.old)} → {shown_value(c.new)}" for c in result.changed_cells]
    per_unit: dict[str, list[CellRef]] = {}
    for ref, names in result.blanks.items():
        for name in names:
            per_unit.setdefault(name, []).append(ref)
    mostly_blank = {name for name, refs in per_unit.items() if len(refs) > BLANKS_LISTED}
    for name in sorted(mostly_blank):
        refs = per_unit[name]
        lines.append(f"  [空白] {name}：{len(refs)} 个单元格未填写或填写有误（{label(refs[0])} 等），这些汇总数留空")
    for ref, names in result.blanks.items():
        if rest := [name for name in names if name not in mostly_blank]:
            lines.append(f"  [空白] {label(ref)}：{_units(rest)}未填写或填写有误，汇总数留空")
    for ref, value in result.confirm.items():
        if ref in result.kept:
            kept, new = result.kept[ref]
            lines.append(
                f"  [请核对] {label(ref)}：保留已核对的 {shown_value(kept)}（各单位相加为 {shown_value(new)}）"
            )
        else:
            lines.append(
                f"  [请核对] {label(ref)}：各单位相加为 {shown_value(value)}，同一文件可能被多个单位计入，请核对"
            )
    return lines


def sum_notes(result: SumResult) -> list[str]:
    """Cautions about the sources: some have errors, some are not yet approved."""
    notes = []
    if result.with_errors:
        notes.append(f"{len(result.with_errors)} 份来源草稿有错误：{_units(result.with_errors, 5)}")
    if result.not_approved:
        notes.append(f"{len(result.not_approved)} 份来源草稿尚未通过审核：{_units(result.not_approved, 5)}")
    return notes
