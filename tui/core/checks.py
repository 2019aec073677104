"""Checks: evaluate a format's declared rules on a report and return findings in Chinese."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from string import Template
from typing import TYPE_CHECKING, Any

from .formats import CellRef, Column, Format, Row, Rule
from .values import CellKind, Invalid, numeric

if TYPE_CHECKING:
    from .report import Report

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Finding:
    """One problem found in a report: which rule, how serious, where, and what to do."""

    rule: str
    severity: str
    message: str
    part: str | None = None
    row: str | None = None
    column: str | None = None
    location: str = ""
    cells: tuple[CellRef, ...] = ()
    group: str = ""

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "location": self.location,
            "part": self.part,
            "row": self.row,
            "column": self.column,
            "cells": [list(ref) for ref in self.cells],
        }


@dataclass(frozen=True)
class RuleInstance:
    """One concrete check of a rule (e.g. T3-BAL for the 自然人 column)."""

    rule: Rule
    group: str
    cells: tuple[CellRef, ...]
    evaluate: Callable[[Report], Finding | None] = field(compare=False)


Compiler = Callable[[Format, Rule], list[RuleInstance]]
EVALUATORS: dict[str, Compiler] = {}


def _kind(name: str) -> Callable[[Compiler], Compiler]:
    def register(fn: Compiler) -> Compiler:
        EVALUATORS[name] = fn
        return fn

    return register


def _message(rule: Rule, default: str, **values: object) -> str:
    template = rule.params.get("message", default)
    return Template(template).safe_substitute({k: str(v) for k, v in values.items()})


def _table_of(fmt: Format, part_id: str) -> tuple[dict[str, Row], dict[str, Column]]:
    part = fmt.part(part_id)
    if part.table is None:
        raise ValueError(f"部分 “{part_id}” 没有表格")
    rows = {row.id: row for block in part.table.blocks for row in block.rows}
    cols = {col.id: col for block in part.table.blocks for col in block.columns}
    return rows, cols


def _cell_label(fmt: Format, ref: CellRef) -> str:
    col, row = fmt.cell_index[ref]
    place = f"{row.name}／{col.name}" if row.name else col.name
    return f"{fmt.part(ref.part).heading} › {place}"


def _number(value: int | Decimal) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


# --- rule kinds ----------------------------------------------------------------------------


@_kind("balance")
def _balance(fmt: Format, rule: Rule) -> list[RuleInstance]:
    """Sum of `left` = sum of `right`, repeated over every column (or row) of a table."""
    p = rule.params
    part_id = p["part"]
    rows, cols = _table_of(fmt, part_id)
    over = p.get("over", "columns")
    if over not in ("columns", "rows"):
        raise ValueError(f"规则 {rule.id}：over 应为 columns 或 rows")
    lines, members = (cols, rows) if over == "columns" else (rows, cols)
    left_ids: list[str] = list(p["left"])
    right_ids: list[str] = list(p["right"])
    for mid in (*left_ids, *right_ids):
        if mid not in members:
            raise KeyError(f"规则 {rule.id}：表格 “{part_id}” 中没有 “{mid}”")
    heading = fmt.part(part_id).heading
    instances = []
    for line_id, line in lines.items():
        if over == "columns":
            refs_l = [CellRef(part_id, m, line_id) for m in left_ids]
            refs_r = [CellRef(part_id, m, line_id) for m in right_ids]
        else:
            refs_l = [CellRef(part_id, line_id, m) for m in left_ids]
            refs_r = [CellRef(part_id, line_id, m) for m in right_ids]
        refs = (*refs_l, *refs_r)
        if any(ref not in fmt.cell_index for ref in refs):
            continue  # e.g. a row of table 二 that has no such column
        if over == "columns":
            where = f"{line.label}列"
            names_l = [rows[m].name for m in left_ids]
            names_r = [rows[m].name for m in right_ids]
        else:
            where = p.get("where") or f"{line.name}行"
            names_l = [cols[m].label for m in left_ids]
            names_r = [cols[m].label for m in right_ids]
        group = f"{line_id}:{','.join(left_ids)}"
        check = _balance_check(rule, part_id, where, heading, line_id, over, group, refs_l, refs_r, names_l, names_r)
        instances.append(RuleInstance(rule, group, refs, check))
    return instances


def _balance_check(
    rule: Rule,
    part_id: str,
    where: str,
    heading: str,
    line_id: str,
    over: str,
    group: str,
    refs_l: list[CellRef],
    refs_r: list[CellRef],
    names_l: list[str],
    names_r: list[str],
) -> Callable[[Report], Finding | None]:
    cells = (*refs_l, *refs_r)

    def check(report: Report) -> Finding | None:
        get = report.cells.get
        vl = [numeric(get(r)) for r in refs_l]
        vr = [numeric(get(r)) for r in refs_r]
        left, right = sum(vl), sum(vr)
        if left == right:
            return None
        message = _message(
            rule,
            "${where}：${left_expr} = ${left}，但${right_expr} = ${right}",
            where=where,
            left=_number(left),
            right=_number(right),
            diff=_number(abs(left - right)),
            left_expr=" + ".join(f"{n} {_number(v)}" for n, v in zip(names_l, vl, strict=True)),
            right_expr=" + ".join(f"{n} {_number(v)}" for n, v in zip(names_r, vr, strict=True)),
        )
        return Finding(
            rule.id,
            rule.severity,
            message,
            part=part_id,
            row=line_id if over == "rows" else None,
            column=line_id if over == "columns" else None,
            location=f"{heading} › {where}",
            cells=cells,
            group=group,
        )

    return check


@_kind("cell_kinds")
def _cell_kinds(fmt: Format, rule: Rule) -> list[RuleInstance]:
    """Every cell holds a value of its column's kind (counts >= 0, amounts >= 0)."""
    instances = []
    for ref, (col, _row) in fmt.cell_index.items():
        instances.append(RuleInstance(rule, "/".join(ref), (ref,), _kind_check(fmt, rule, ref, col)))
    return instances


def _kind_check(fmt: Format, rule: Rule, ref: CellRef, col: Column) -> Callable[[Report], Finding | None]:
    label = _cell_label(fmt, ref)

    def check(report: Report) -> Finding | None:
        value = report.cells.get(ref)
        if value is None:
            return None
        if isinstance(value, Invalid):
            problem = f"“{value.raw}”{value.reason}"
        elif col.kind is CellKind.SIGNED or value >= 0:
            return None
        else:
            problem = f"{_number(value)} 是负数，{col.label}只能填 0 或正数"
        message = _message(rule, "${where}：${problem}", where=label, problem=problem)
        return Finding(rule.id, rule.severity, message, ref.part, ref.row, ref.col, label, (ref,), "/".join(ref))

    return check


@_kind("no_blank")
def _no_blank(fmt: Format, rule: Rule) -> list[RuleInstance]:
    """No blank cells: a zero is written as 0. One finding per table."""
    instances = []
    for part in fmt.parts:
        if part.table is None:
            continue
        refs = tuple(ref for ref, _c, _r in part.table.cells(part.id))
        instances.append(RuleInstance(rule, part.id, refs, _blank_check(fmt, rule, part.id, refs)))
    return instances


def _blank_check(
    fmt: Format, rule: Rule, part_id: str, refs: tuple[CellRef, ...]
) -> Callable[[Report], Finding | None]:
    heading = fmt.part(part_id).heading

    def check(report: Report) -> Finding | None:
        get = report.cells.get
        blank = tuple(ref for ref in refs if get(ref) is None)
        if not blank:
            return None
        shown = []
        for ref in blank[:3]:
            col, row = fmt.cell_index[ref]
            shown.append(f"{row.name}／{col.name}" if row.name else col.name)
        more = "等" if len(blank) > 3 else ""
        message = _message(
            rule,
            "${heading}：有 ${count} 个单元格空白（${cells}${more}）。没有数据的请填 0，不要留空或填“/”。",
            heading=heading,
            count=len(blank),
            cells="、".join(shown),
            more=more,
        )
        return Finding(rule.id, rule.severity, message, part_id, None, None, heading, blank, part_id)

    return check


@_kind("year_range")
def _year_range(fmt: Format, rule: Rule) -> list[RuleInstance]:
    """The report's year is one the format applies to."""

    def check(report: Report) -> Finding | None:
        if fmt.applies_to(report.year):
            return None
        message = _message(
            rule,
            "本报告是${year}年度报告，但使用的是《${name}》（${document}），"
            "该格式只适用于${years}的报告。请改用适用于${year}年度的格式。",
            year=report.year,
            name=fmt.name,
            document=fmt.document,
            years=fmt.years_label,
        )
        return Finding(rule.id, rule.severity, message, location="报告基本信息", group="year")

    return [RuleInstance(rule, "year", (), check)]


def _text_has_any(text: str, words: Iterable[str]) -> bool:
    return any(word in text for word in words)


@_kind("text_required")
def _text_required(fmt: Format, rule: Rule) -> list[RuleInstance]:
    """A part's text is not empty."""
    part = fmt.part(rule.params["part"])
    minimum = int(rule.params.get("min_chars", 1))

    def check(report: Report) -> Finding | None:
        if len(report.text(part.id).strip()) >= minimum:
            return None
        message = _message(rule, "${heading}尚未填写。", heading=part.heading)
        return Finding(rule.id, rule.severity, message, part.id, location=part.heading, group=part.id)

    return [RuleInstance(rule, part.id, (), check)]


@_kind("text_mentions")
def _text_mentions(fmt: Format, rule: Rule) -> list[RuleInstance]:
    """A part's text mentions at least one of the given words."""
    part = fmt.part(rule.params["part"])
    words = list(rule.params["any"])

    def check(report: Report) -> Finding | None:
        if _text_has_any(report.text(part.id), words):
            return None
        message = _message(rule, "${heading}没有提到：${words}", heading=part.heading, words="、".join(words))
        return Finding(rule.id, rule.severity, message, part.id, location=part.heading, group=part.id)

    return [RuleInstance(rule, part.id, (), check)]


@_kind("text_forbidden")
def _text_forbidden(fmt: Format, rule: Rule) -> list[RuleInstance]:
    """No text (of the given parts, or any) contains one of the words."""
    from .report import text_ids

    words = list(rule.params["any"])
    parts = {p.id: p.heading for p in fmt.parts}
    instances = []
    for text_id in [rule.params["part"]] if "part" in rule.params else text_ids(fmt):
        heading = parts.get(text_id, "引言")

        def check(report: Report, text_id: str = text_id, heading: str = heading) -> Finding | None:
            if not _text_has_any(report.text(text_id), words):
                return None
            message = _message(rule, "${heading}含有：${words}", heading=heading, words="、".join(words))
            part = text_id if text_id in parts else None
            return Finding(rule.id, rule.severity, message, part, location=heading, group=text_id)

        instances.append(RuleInstance(rule, text_id, (), check))
    return instances


def _cell_param(fmt: Format, rule: Rule) -> CellRef:
    ref = CellRef(*rule.params["cell"])
    if ref not in fmt.cell_index:
        raise KeyError(f"规则 {rule.id}：没有单元格 {'/'.join(ref)}")
    return ref


@_kind("cell_implies_text")
def _cell_implies_text(fmt: Format, rule: Rule) -> list[RuleInstance]:
    """If a cell is above zero, a part's text mentions one of the given words."""
    ref = _cell_param(fmt, rule)
    part = fmt.part(rule.params["text"])
    words = list(rule.params["any"])
    label = _cell_label(fmt, ref)

    def check(report: Report) -> Finding | None:
        value = numeric(report.cells.get(ref))
        if value <= 0 or _text_has_any(report.text(part.id), words):
            return None
        message = _message(
            rule, "${where} 为 ${value}，${heading}应有说明。", where=label, value=_number(value), heading=part.heading
        )
        return Finding(rule.id, rule.severity, message, part.id, ref.row, ref.col, label, (ref,), "/".join(ref))

    return [RuleInstance(rule, "/".join(ref), (ref,), check)]


@_kind("amount_plausible")
def _amount_plausible(fmt: Format, rule: Rule) -> list[RuleInstance]:
    """An amount is not implausibly large nor more precise than its unit allows."""
    ref = _cell_param(fmt, rule)
    col, _row = fmt.cell_index[ref]
    limit = Decimal(str(rule.params["max"]))
    max_decimals = int(rule.params.get("max_decimals", 6))
    to_yuan = Decimal(10000) if col.unit == "万元" else Decimal(1)
    label = _cell_label(fmt, ref)

    def check(report: Report) -> Finding | None:
        value = report.cells.get(ref)
        if not isinstance(value, Decimal) or value < 0:
            return None
        exponent = value.as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        if value > limit:
            problem = "异常大"
        elif decimals > max_decimals:
            problem = f"有 {decimals} 位小数，精度超出常理"
        else:
            return None
        message = _message(
            rule,
            "${where}：${value} ${problem}",
            where=label,
            value=_number(value),
            yuan=_number(value * to_yuan),
            problem=problem,
        )
        return Finding(rule.id, rule.severity, message, ref.part, ref.row, ref.col, label, (ref,), "/".join(ref))

    return [RuleInstance(rule, "/".join(ref), (ref,), check)]


def _expand(fmt: Format, pattern: list[str], star: str) -> CellRef:
    return CellRef(*(star if x == "*" else x for x in pattern))


@_kind("year_over_year")
def _year_over_year(fmt: Format, rule: Rule) -> list[RuleInstance]:
    """This year's cell = a sum of last year's (and this year's) cells; needs last year's report."""
    pattern = list(rule.params["cell"])
    terms = [(t.get("year", "this"), list(t["cell"]), int(t.get("sign", 1))) for t in rule.params["terms"]]
    if pattern.count("*") != 1 or any(year not in ("this", "last") for year, _c, _s in terms):
        raise ValueError(f"规则 {rule.id}：cell 中应有一个 *，terms 的 year 应为 this 或 last")
    axis = pattern.index("*")
    part_rows, part_cols = _table_of(fmt, pattern[0])
    candidates = part_rows if axis == 1 else part_cols
    instances = []
    for star, item in candidates.items():
        ref = _expand(fmt, pattern, star)
        this_terms = [_expand(fmt, c, star) for year, c, _s in terms if year == "this"]
        if ref not in fmt.cell_index or any(t not in fmt.cell_index for t in this_terms):
            continue
        where = f"{item.label}列" if axis == 2 else item.name
        resolved = [(year, _expand(fmt, c, star), sign) for year, c, sign in terms]
        instances.append(RuleInstance(rule, star, (ref,), _yoy_check(fmt, rule, ref, resolved, where)))
    return instances


def _yoy_check(
    fmt: Format, rule: Rule, ref: CellRef, terms: list[tuple[str, CellRef, int]], where: str
) -> Callable[[Report], Finding | None]:
    heading = fmt.part(ref.part).heading

    def check(report: Report) -> Finding | None:
        last = report.previous
        if last is None:
            return None
        parts = []
        for year, cell, sign in terms:
            source = last if year == "last" else report
            if cell not in source.format.cell_index:
                return None  # last year's format has no such cell: nothing to compare
            parts.append((sign, numeric(source.value(cell))))
        expected = sum(sign * v for sign, v in parts)
        value = numeric(report.value(ref))
        if value == expected:
            return None
        expr = " ".join(f"{'+' if sign > 0 else '−'} {_number(v)}" for sign, v in parts).lstrip("+ ")
        message = _message(
            rule,
            "${where}：${value} ≠ ${expected}",
            where=where,
            value=_number(value),
            expected=_number(expected),
            terms=expr,
        )
        return Finding(
            rule.id, rule.severity, message, ref.part, ref.row, ref.col, f"{heading} › {where}", (ref,), "/".join(ref)
        )

    return check


# --- running -------------------------------------------------------------------------------


def compile_rules(fmt: Format) -> list[RuleInstance]:
    """Every concrete check a format declares; raises on a rule that does not fit the format."""
    instances: list[RuleInstance] = []
    for rule in fmt.rules:
        instances.extend(EVALUATORS[rule.kind](fmt, rule))
    return instances


def rule_instances(fmt: Format) -> list[RuleInstance]:
    """The compiled checks of a format, built once per loaded format."""
    return fmt.memo("rule_instances", compile_rules)


def check_report(report: Report) -> list[Finding]:
    """Run every rule of the report's format; errors first, then warnings, then info."""
    findings = []
    for instance in rule_instances(report.format):
        finding = instance.evaluate(report)
        if finding is not None:
            findings.append(finding)
    findings.sort(key=lambda f: _SEVERITY_ORDER[f.severity])
    return findings


def count_by_severity(findings: Iterable[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITY_LABELS, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return counts
