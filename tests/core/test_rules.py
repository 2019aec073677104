"""Rules as data: parameters validated at load, totals declared, severities in one enum, the
checks compiled once, and the live (incremental) checks equal to a full check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.checks import EVALUATORS, LiveChecks, check_report, format_steps
from tui.core.findings import Finding
from tui.core.formats import CellRef, SchemaError, get_format, load_format
from tui.core.report import Report
from tui.core.resources import resource_dir
from tui.core.rules import RULE_KINDS, SumCheck
from tui.core.severity import Severity, severity_summary
from tui.core.store import load_report
from tui.core.totals import set_cell_with_totals, total_cells

from ..conftest import HUAIAN


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = (resource_dir("schemas") / "gov-2021.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


P5 = 'id = "P5-NONEMPTY"\nkind = "text_required"\nseverity = "warning"\npart = "problems"\n'


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (P5, P5 + "min_char = 50\n", ["P5-NONEMPTY", "min_char", "未知的参数", "min_chars"]),
        (P5, P5.replace('part = "problems"\n', ""), ["P5-NONEMPTY", ".part", "缺少此参数"]),
        (P5, P5.replace('"problems"', '"problem"'), ["P5-NONEMPTY", ".part", "problem"]),
        (P5, P5 + 'min_chars = "50"\n', ["P5-NONEMPTY", "min_chars", "应为整数"]),
        ('over = "columns"\nleft', 'over = "column"\nleft', ["T3-BAL", ".over", "columns、rows 之一"]),
        ('total = "total"', 'total = "totl"', ["T3-ROW", ".total", "totl"]),
        ("sign = -1", "sign = 2", ["YOY-VALID", "terms[2].sign", "1、-1 之一"]),
        ('year = "last"', 'year = "lastt"', ["YOY-CARRY", "terms[0].year"]),
        ('max = "1000000"', 'max = "很多"', ["PLAUS", ".max", "应为数"]),
        ('cell = ["requests", "carried_over", "*"]', 'cell = ["requests", "carried_over"]', ["YOY-CARRY", ".cell"]),
    ],
)
def test_every_parameter_is_checked_at_load(tmp_path: Path, old: str, new: str, expected: list[str]) -> None:
    path = _broken(tmp_path, old, new)
    with pytest.raises(SchemaError) as err:
        load_format(path)
    message = str(err.value)
    assert str(path) in message
    for part in expected:
        assert part in message, message


def test_the_kind_tables_agree() -> None:
    assert set(RULE_KINDS) == set(EVALUATORS)


def test_totals_are_declared_not_inferred() -> None:
    fmt = get_format("2021")
    totals = {r.id for r in fmt.rules_of("total")}
    assert totals == {"T3-SUM", "T3-ROW", "T4-SUM"}
    assert "T3-BAL" in {r.id for r in fmt.rules_of("balance")}  # a balance is no total
    cells = total_cells(fmt)
    assert CellRef("requests", "results_total", "natural_person") in cells
    assert CellRef("requests", "new_requests", "total") in cells
    assert CellRef("appeals", "cases", "after_total") in cells
    assert CellRef("requests", "carried_forward", "natural_person") not in cells
    for rule in fmt.rules_of("total"):
        for check in rule.checks:
            assert isinstance(check, SumCheck) and check.total not in check.parts


def test_totals_follow_their_parts(huaian: Report) -> None:
    changed = set_cell_with_totals(huaian, CellRef("requests", "state_secret", "commercial"), 1)
    assert CellRef("requests", "state_secret", "total") in changed  # 2 → 3
    assert huaian.value(CellRef("requests", "results_total", "commercial")) == 54  # 53 + 1
    assert huaian.value(CellRef("requests", "results_total", "total")) == 3051
    assert [f.rule for f in check_report(huaian) if f.severity is Severity.ERROR] == ["T3-BAL", "T3-BAL"]


def test_rules_are_compiled_once_per_format() -> None:
    fmt = get_format("2021")
    assert format_steps(fmt) is format_steps(fmt)
    assert get_format("2021") is fmt


def test_formats_does_not_import_checks() -> None:
    code = "import sys, tui.core.formats, tui.core.report, tui.core.store; print('tui.core.checks' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_severity_is_one_enum() -> None:
    assert [s.label for s in Severity] == ["错误", "警告", "提示"]
    assert sorted(Severity, key=lambda s: s.order) == [Severity.ERROR, Severity.WARNING, Severity.INFO]
    assert {s.style for s in Severity} == {"error", "warning", "accent"}
    assert Severity("warning") is Severity.WARNING and Severity.WARNING == "warning"
    for fmt_id in ("2021", "2019-trial"):
        assert all(isinstance(r.severity, Severity) for r in get_format(fmt_id).rules)


def test_severity_summary() -> None:
    findings = [Finding("A", Severity.ERROR, ""), Finding("B", Severity.INFO, ""), Finding("C", Severity.INFO, "")]
    summary = severity_summary(findings)
    assert summary.counts == {Severity.ERROR: 1, Severity.WARNING: 0, Severity.INFO: 2}
    assert summary.errors == 1 and summary.total == 3
    assert summary.text() == "错误 1 个，提示 2 个"
    assert summary.text(skip=[Severity.ERROR]) == "提示 2 个"
    assert summary.sentence == "共 错误 1 个，提示 2 个。"
    assert severity_summary([]).sentence == "未发现问题。"


CELLS_2021 = sorted(get_format("2021").cell_index)
edits = st.lists(
    st.one_of(
        st.tuples(st.just("cell"), st.sampled_from(CELLS_2021), st.one_of(st.none(), st.integers(0, 4000))),
        st.tuples(
            st.just("text"),
            st.sampled_from(["preamble", "overview", "problems", "other"]),
            st.sampled_from(["", "答复 3000 件。", "2023年，我局共收到政府信息公开申请 3119 件。", "暂无。"]),
        ),
        st.tuples(st.just("year"), st.just("year"), st.sampled_from([2020, 2023, 2024])),
    ),
    max_size=8,
)


@settings(max_examples=40, deadline=None)
@given(edits)
def test_live_checks_equal_a_full_check(edits: list[tuple[str, object, object]]) -> None:
    report = load_report(HUAIAN)
    live = LiveChecks(report)
    for what, key, value in edits:
        if what == "cell":
            assert isinstance(key, CellRef)
            changed = set_cell_with_totals(report, key, value)  # type: ignore[arg-type]
            live.cells_changed(changed)
        elif what == "text":
            report.set_text(str(key), str(value))
            live.text_changed(str(key))
        else:
            report.year = int(value)  # type: ignore[call-overload]
            live.meta_changed()
        assert live.findings == check_report(report)
