"""Checks: evaluate a format's rules (and the draft's rule packs) on a report, in Chinese.

`EVALUATORS` is the one table that says how each rule kind is evaluated: a plain function
`(rule, check, report) -> findings` per kind. `check_report` runs everything; `LiveChecks`
keeps the findings of an edited report current by running again only the checks that read
what changed (a cell, a text, or the report's metadata).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from . import text_checks
from .findings import Finding as Finding
from .rules import (
    AmountCheck,
    CellCheck,
    CellTextCheck,
    Check,
    Rule,
    SumCheck,
    TableCheck,
    YearOverYearCheck,
    YoyLine,
    number,
)
from .severity import Severity, severity_summary
from .tables import CellRef
from .values import BLANK, CellKind, CellValue, Invalid, numeric, shown_value

if TYPE_CHECKING:
    from .formats import Format
    from .report import Report

Evaluator = Callable[[Rule, Any, "Report"], Sequence[Finding]]

SEVERITY_LABELS: dict[str, str] = {s: s.label for s in Severity}
"""Derived from `Severity`, for callers not yet moved to `Severity.label`."""


# --- table rule kinds ------------------------------------------------------------------------


def _side(refs: tuple[CellRef, ...], total: int | Decimal, get: Callable[[CellRef], CellValue]) -> str:
    """One side of a sum as its message shows it: a single cell as it is, several as their sum (空白 if all are)."""
    if len(refs) == 1:
        return shown_value(get(refs[0]))
    return number(total) if any(get(r) is not None for r in refs) else BLANK


def _sum(rule: Rule, c: SumCheck, report: Report) -> Sequence[Finding]:
    """`balance` and `total`: the sum of the left cells equals the sum of the right ones."""
    get = report.cells.get
    vl = [numeric(get(r)) for r in c.left]
    vr = [numeric(get(r)) for r in c.right]
    left: int | Decimal = sum(vl)
    right: int | Decimal = sum(vr)
    if left == right:
        return ()
    left_expr = " + ".join(f"{n} {shown_value(get(r))}" for n, r in zip(c.left_names, c.left, strict=True))
    right_expr = " + ".join(f"{n} {shown_value(get(r))}" for n, r in zip(c.right_names, c.right, strict=True))
    left_text, right_text = _side(c.left, left, get), _side(c.right, right, get)
    text = rule.say(
        where=c.where,
        left=left_text,
        right=right_text,
        diff=number(abs(Decimal(left) - Decimal(right))),
        left_expr=left_expr,
        right_expr=right_expr,
        total=left_text,
        sum=right_text,
        parts_expr=right_expr,
    )
    return (
        Finding(
            rule.id,
            rule.severity,
            text,
            part=c.part,
            row=c.line if c.over == "rows" else None,
            column=c.line if c.over == "columns" else None,
            location=f"{c.heading} › {c.where}",
            cells=c.cells,
            group=c.group,
        ),
    )


def _cell_kinds(rule: Rule, c: CellCheck, report: Report) -> Sequence[Finding]:
    """Every cell holds a value of its column's kind (counts >= 0, amounts >= 0)."""
    value = report.cells.get(c.ref)
    if value is None:
        return ()
    if isinstance(value, Invalid):
        problem = f"“{value.raw}”{value.reason}"
    elif c.kind is CellKind.SIGNED or value >= 0:
        return ()
    else:
        problem = f"{number(value)} 是负数，{c.column_label}只能填 0 或正数"
    ref = c.ref
    text = rule.say(where=c.label, problem=problem)
    return (Finding(rule.id, rule.severity, text, ref.part, ref.row, ref.col, c.label, (ref,), c.group),)


def _no_blank(rule: Rule, c: TableCheck, report: Report) -> Sequence[Finding]:
    """No blank cells: a zero is written as 0. One finding per table."""
    get = report.cells.get
    blank = [i for i, ref in enumerate(c.cells) if get(ref) is None]
    if not blank:
        return ()
    text = rule.say(
        heading=c.heading,
        count=len(blank),
        cells="、".join(c.places[i] for i in blank[:3]),
        more="等" if len(blank) > 3 else "",
    )
    cells = tuple(c.cells[i] for i in blank)
    return (Finding(rule.id, rule.severity, text, c.part, None, None, c.heading, cells, c.group),)


def _carried_stock(rule: Rule, c: TableCheck, report: Report) -> Sequence[Finding]:
    """Figures carried from last year that the clerk has not confirmed (typed again or changed)."""
    waiting = [i for i, ref in enumerate(c.cells) if ref in report.to_confirm]
    if not waiting:
        return ()
    text = rule.say(heading=c.heading, cells="、".join(c.places[i] for i in waiting))
    cells = tuple(c.cells[i] for i in waiting)
    return (Finding(rule.id, rule.severity, text, c.part, None, None, c.heading, cells, c.group),)


def _year_range(rule: Rule, c: Check, report: Report) -> Sequence[Finding]:
    """The report's year is one the format applies to."""
    fmt = report.format
    if fmt.applies_to(report.year):
        return ()
    text = rule.say(year=report.year, name=fmt.name, document=fmt.document, years=fmt.years_label)
    return (Finding(rule.id, rule.severity, text, location="报告基本信息", group=c.group),)


def _cell_implies_text(rule: Rule, c: CellTextCheck, report: Report) -> Sequence[Finding]:
    """If a cell is above zero, a part's text mentions one of the given words."""
    value = numeric(report.cells.get(c.ref))
    if value <= 0 or any(word in report.text(c.text) for word in rule.params.any):
        return ()
    ref = c.ref
    text = rule.say(where=c.label, value=number(value), heading=c.heading)
    return (Finding(rule.id, rule.severity, text, c.part, ref.row, ref.col, c.label, (ref,), c.group),)


def _amount_plausible(rule: Rule, c: AmountCheck, report: Report) -> Sequence[Finding]:
    """An amount is not implausibly large nor more precise than its unit allows."""
    value = report.cells.get(c.ref)
    if not isinstance(value, Decimal) or value < 0:
        return ()
    exponent = value.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if value > c.limit:
        problem = "异常大"
    elif decimals > c.max_decimals:
        problem = f"有 {decimals} 位小数，精度超出常理"
    else:
        return ()
    ref = c.ref
    text = rule.say(where=c.label, value=number(value), yuan=number(value * c.to_yuan), problem=problem)
    return (Finding(rule.id, rule.severity, text, ref.part, ref.row, ref.col, c.label, (ref,), c.group),)


def _year_over_year(rule: Rule, c: YearOverYearCheck, report: Report) -> Sequence[Finding]:
    """This year's cells = sums of last year's (and this year's) cells; needs last year's report.

    A blank cell of last year's report is unknown, not 0: the lines that need it are not
    computed, and one hint says which of last year's figures are missing.
    """
    last = report.previous
    if last is None:
        return ()
    out: list[Finding] = []
    missing: list[tuple[YoyLine, list[CellRef]]] = []
    for line in c.lines:
        values: list[tuple[int, int | Decimal]] = []
        blank: list[CellRef] = []
        for year, cell, sign in line.terms:
            source = last if year == "last" else report
            if cell not in source.format.cell_index:
                break  # last year's format has no such cell: nothing to compare
            value = source.value(cell)
            if year == "last" and (value is None or isinstance(value, Invalid)):
                blank.append(cell)
            values.append((sign, numeric(value)))
        else:
            if blank:
                missing.append((line, blank))
                continue
            expected = sum(sign * v for sign, v in values)
            value = numeric(report.value(line.ref))
            if value != expected:
                expr = " ".join(f"{'+' if sign > 0 else '−'} {number(v)}" for sign, v in values).lstrip("+ ")
                text = rule.say(where=line.where, value=number(value), expected=number(expected), terms=expr)
                ref = line.ref
                location = f"{c.heading} › {line.where}"
                out.append(
                    Finding(rule.id, rule.severity, text, ref.part, ref.row, ref.col, location, (ref,), "/".join(ref))
                )
    if missing:
        places = [last.format.cell_place(cell) for _line, cells in missing for cell in cells]
        text = rule.say(
            "missing_message",
            cells="、".join(dict.fromkeys(places)),
            where="、".join(line.where for line, _cells in missing),
        )
        refs = tuple(line.ref for line, _cells in missing)
        out.append(
            Finding(
                rule.id, Severity.INFO, text, refs[0].part, location=c.heading, cells=refs, group=f"{c.group}:missing"
            )
        )
    return out


def _previous_readable(rule: Rule, c: Check, report: Report) -> Sequence[Finding]:
    """The draft names last year's draft (`derived_from`) but it could not be read."""
    if report.previous is not None or not report.derived_from or not report.previous_problem:
        return ()
    text = rule.say(path=report.derived_from, problem=report.previous_problem)
    return (Finding(rule.id, rule.severity, text, location="报告基本信息", group=c.group),)


def _rule_files(rule: Rule, c: Check, report: Report) -> Sequence[Finding]:
    """A rule file the draft names (`rules = [...]`) could not be read or does not fit."""
    return tuple(
        Finding(rule.id, rule.severity, rule.say(problem=problem), location="报告基本信息", group=f"rules:{i}")
        for i, problem in enumerate(report.rule_file_problems)
    )


EVALUATORS: dict[str, Evaluator] = {
    "balance": _sum,
    "total": _sum,
    "cell_kinds": _cell_kinds,
    "no_blank": _no_blank,
    "carried_stock": _carried_stock,
    "year_range": _year_range,
    "text_required": text_checks.text_required,
    "text_mentions": text_checks.text_mentions,
    "text_forbidden": text_checks.text_forbidden,
    "cell_implies_text": _cell_implies_text,
    "amount_plausible": _amount_plausible,
    "year_over_year": _year_over_year,
    "previous_readable": _previous_readable,
    "rule_files": _rule_files,
    "text_figures": text_checks.text_figures,
    "parts_listed": text_checks.parts_listed,
    "text_years": text_checks.text_years,
    "text_similar": text_checks.text_similar,
    "org_names": text_checks.org_names,
    "text_substance": text_checks.text_substance,
    "text_max_length": text_checks.text_max_length,
    "text_states_figure": text_checks.text_states_figure,
}
"""How each rule kind of `rules.RULE_KINDS` is evaluated."""


# --- running -------------------------------------------------------------------------------

Step = tuple[Evaluator, Rule, Check]


def _steps(rules: Iterable[Rule]) -> list[Step]:
    return [(EVALUATORS[rule.kind], rule, check) for rule in rules for check in rule.checks]


def format_steps(fmt: Format) -> list[Step]:
    """Every check of a format with its evaluator, in the format's order; built once per format."""
    return fmt.memo("check_steps", lambda f: _steps(f.rules))


def report_steps(report: Report) -> list[Step]:
    """The checks of a report: its format's, then those of the rule packs it names."""
    steps = format_steps(report.format)
    if report.extra_rules:
        steps = [*steps, *_steps(report.extra_rules)]
    return steps


class RuleInstance:
    """One concrete check of a rule (e.g. T3-BAL for the 自然人 column)."""

    __slots__ = ("check", "rule")

    def __init__(self, rule: Rule, check: Check) -> None:
        self.rule = rule
        self.check = check

    @property
    def group(self) -> str:
        return self.check.group

    @property
    def cells(self) -> tuple[CellRef, ...]:
        return self.check.cells


def rule_instances(fmt: Format) -> list[RuleInstance]:
    """The concrete checks of a format, each with its rule."""
    return [RuleInstance(rule, check) for _evaluate, rule, check in format_steps(fmt)]


def _by_severity(finding: Finding) -> int:
    return finding.severity.order


def check_report(report: Report) -> list[Finding]:
    """Run every rule on the report; errors first, then warnings, then hints."""
    findings: list[Finding] = []
    for evaluate, rule, check in report_steps(report):
        found = evaluate(rule, check, report)
        if found:
            findings.extend(found)
    findings.sort(key=_by_severity)
    return findings


class LiveChecks:
    """The findings of a report being edited, kept current edit by edit.

    A cell edit runs again only the checks that read one of the changed cells; a text edit,
    only those that read that text; a change of organisation, year or linked files, those
    that read them. The results of every other check are kept. `findings` is always equal
    to `check_report(report)`.
    """

    def __init__(self, report: Report) -> None:
        self.report = report
        self.rebuild()

    def rebuild(self) -> list[Finding]:
        """Start over (e.g. after the rule packs changed): index the checks, run them all."""
        self.steps = report_steps(self.report)
        self.by_cell: dict[CellRef, list[int]] = {}
        self.by_text: dict[str, list[int]] = {}
        self.meta: list[int] = []
        for i, (_evaluate, _rule, check) in enumerate(self.steps):
            for ref in check.cells:
                self.by_cell.setdefault(ref, []).append(i)
            for text_id in check.texts:
                self.by_text.setdefault(text_id, []).append(i)
            if check.meta:
                self.meta.append(i)
        self.results: list[Sequence[Finding]] = [() for _ in self.steps]
        return self._run(range(len(self.steps)))

    def _run(self, indices: Iterable[int]) -> list[Finding]:
        report, steps, results = self.report, self.steps, self.results
        for i in indices:
            evaluate, rule, check = steps[i]
            results[i] = evaluate(rule, check, report)
        findings = [f for found in results if found for f in found]
        findings.sort(key=_by_severity)
        self.findings = findings
        return findings

    def cells_changed(self, refs: Iterable[CellRef]) -> list[Finding]:
        """After cells were set: rerun the checks that read them."""
        indices: set[int] = set()
        for ref in refs:
            indices.update(self.by_cell.get(ref, ()))
        return self._run(sorted(indices))

    def text_changed(self, text_id: str) -> list[Finding]:
        """After a text was set: rerun the checks that read it."""
        return self._run(self.by_text.get(text_id, ()))

    def meta_changed(self) -> list[Finding]:
        """After the organisation, the year or last year's draft changed."""
        return self._run(self.meta)


def count_by_severity(findings: Iterable[Finding]) -> dict[str, int]:
    """How many findings of each severity, keyed by `Severity` (see `severity_summary`)."""
    counts: dict[str, int] = {}
    for severity, n in severity_summary(findings).counts.items():
        counts[severity] = n
    return counts
