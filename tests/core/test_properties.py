"""Property tests: consistent reports pass the arithmetic, and one changed cell fires exactly
the rule instances that contain it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.checks import check_report, rule_instances
from tui.core.formats import CellRef, Format, get_format
from tui.core.report import Report
from tui.core.values import CellKind

APPLICANTS = ["natural_person", "commercial", "research", "public_interest", "legal_services", "other_org"]
APPEAL_GROUPS = ["review", "direct", "after"]
small = st.integers(min_value=0, max_value=60)


def _arith(fmt: Format) -> list:
    return [inst for inst in rule_instances(fmt) if inst.rule.kind in ("balance", "total")]


@st.composite
def consistent_reports(draw: st.DrawFn) -> Report:
    fmt = get_format(draw(st.sampled_from(["2021", "2019-trial"])))
    report = Report.new(fmt, "测试机关", 2024 if fmt.id == "2021" else 2020)
    table = fmt.part("requests").table
    assert table is not None
    rows = [row.id for row in table.blocks[0].rows]
    leaves = [r for r in rows if r not in ("new_requests", "carried_over", "results_total", "carried_forward")]
    for col in APPLICANTS:
        processed = 0
        for row in leaves:
            value = draw(small)
            processed += value
            report.cells[CellRef("requests", row, col)] = value
        forward = draw(small)
        carried = draw(st.integers(0, processed + forward))
        report.cells[CellRef("requests", "results_total", col)] = processed
        report.cells[CellRef("requests", "carried_forward", col)] = forward
        report.cells[CellRef("requests", "carried_over", col)] = carried
        report.cells[CellRef("requests", "new_requests", col)] = processed + forward - carried
    for row in rows:
        report.cells[CellRef("requests", row, "total")] = sum(
            report.cells[CellRef("requests", row, c)] for c in APPLICANTS
        )
    for group in APPEAL_GROUPS:
        parts = [draw(small) for _ in range(4)]
        for name, value in zip(["upheld", "corrected", "other", "pending"], parts, strict=True):
            report.cells[CellRef("appeals", "cases", f"{group}_{name}")] = value
        report.cells[CellRef("appeals", "cases", f"{group}_total")] = sum(parts)
    for ref, (col, _row) in fmt.cell_index.items():
        if ref.part == "proactive":
            low = -60 if col.kind is CellKind.SIGNED else 0
            report.cells[ref] = draw(st.integers(low, 10_000))
    return report


@settings(max_examples=150, deadline=None)
@given(consistent_reports())
def test_a_consistent_report_passes_every_arithmetic_rule(report: Report) -> None:
    arithmetic = {inst.rule.id for inst in _arith(report.format)}
    assert not [f for f in check_report(report) if f.rule in arithmetic]
    assert not [f for f in check_report(report) if f.rule in ("CELL-INT", "CELL-BLANK")]


@settings(max_examples=300, deadline=None)
@given(consistent_reports(), st.data())
def test_changing_one_cell_fires_exactly_the_rules_that_involve_it(report: Report, data: st.DataObject) -> None:
    fmt = report.format
    ref = data.draw(st.sampled_from(sorted(fmt.cell_index)))
    old = report.cells[ref]
    assert isinstance(old, int)
    delta = data.draw(st.integers(-old, 40).filter(lambda d: d != 0))
    report.cells[ref] = old + delta
    expected = {(inst.rule.id, inst.group) for inst in _arith(fmt) if ref in inst.cells}
    if ref.part in ("requests", "appeals"):
        assert expected  # every cell of tables 三 and 四 takes part in some sum
    arithmetic = {inst.rule.id for inst in _arith(fmt)}
    fired = {(f.rule, f.group) for f in check_report(report) if f.rule in arithmetic}
    assert fired == expected
    for finding in check_report(report):
        if finding.rule in arithmetic:
            assert ref in finding.cells
