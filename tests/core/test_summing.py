"""Summing units: every cell equals a hand computation, blanks stay blank, odd sources are named."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import TONGJIANG
from tests.units import BROKEN_CELL, base_report, specs, write_units
from tui.core.formats import CellRef
from tui.core.store import load_report, save_report
from tui.core.summing import SumRefused, sum_drafts, sum_report_lines
from tui.core.values import Invalid

IN_FORCE = CellRef("proactive", "rules", "in_force")
FEE = CellRef("proactive", "admin_fees", "fee_amount")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    units = tmp_path / "units"
    write_units(units, 7, subfolders=2)
    return units


def hand_sum(count: int) -> dict[CellRef, int | Decimal]:
    """Each cell: the base value times each unit's factor, plus one for each unit with the error."""
    base = base_report()
    out: dict[CellRef, int | Decimal] = {}
    for ref, value in base.cells.items():
        assert value is not None and not isinstance(value, Invalid)
        total: int | Decimal = 0
        for spec in specs(count):
            total += value * spec.factor + (1 if spec.error and ref == BROKEN_CELL else 0)
        out[ref] = total
    return out


def test_sums_equal_a_hand_computation(folder: Path) -> None:
    output = folder.parent / "全县.toml"
    result = sum_drafts([folder], output=output, org="某县人民政府", year=2025)
    expected = hand_sum(7)
    saved = load_report(output)
    assert saved.org == "某县人民政府" and saved.year == 2025
    assert saved.cells == expected == result.report.cells
    assert result.blanks == {}
    assert set(result.confirm) == {
        CellRef("proactive", "rules", "in_force"),
        CellRef("proactive", "normative_docs", "in_force"),
        FEE,
    }
    assert result.confirm[FEE] == expected[FEE] and isinstance(saved.cells[FEE], Decimal)
    assert saved.summed is not None and len(saved.summed.sources) == 7
    assert {s.path.split("/")[0] for s in saved.summed.sources} == {"units"}
    assert len(result.with_errors) == sum(1 for s in specs(7) if s.error)
    lines = sum_report_lines(result)
    assert lines[0].startswith("已汇总 7 份草稿")
    assert any("[请核对]" in line and "现行有效件数" in line for line in lines)


def test_a_blank_anywhere_leaves_the_sum_blank_and_listed(folder: Path) -> None:
    one, other = sorted(folder.rglob("*.toml"))[:2]
    report = load_report(one)
    report.cells[CellRef("requests", "disclosed", "commercial")] = None
    save_report(report, one)
    report = load_report(other)
    report.cells[CellRef("appeals", "cases", "review_upheld")] = Invalid("十二", "不是数字")
    save_report(report, other)
    result = sum_drafts([folder], output=folder / "全县.toml", org="某县人民政府", year=2025)
    assert result.report.cells[CellRef("requests", "disclosed", "commercial")] is None
    assert result.report.cells[CellRef("appeals", "cases", "review_upheld")] is None
    assert result.blanks == {
        CellRef("requests", "disclosed", "commercial"): [load_report(one).org],
        CellRef("appeals", "cases", "review_upheld"): [load_report(other).org],
    }
    assert any(line.startswith("  [空白] 三、") and "汇总数留空" in line for line in sum_report_lines(result))
    assert load_report(folder / "全县.toml").cells[CellRef("requests", "disclosed", "commercial")] is None


def test_a_unit_left_blank_is_one_line_not_one_per_cell(folder: Path) -> None:
    blank = sorted(folder.rglob("*.toml"))[0]
    report = load_report(blank)
    report.cells = dict.fromkeys(report.cells)
    save_report(report, blank)
    result = sum_drafts([folder], output=folder / "全县.toml", org="某县人民政府", year=2025)
    said = [line for line in sum_report_lines(result) if line.startswith("  [空白]")]
    assert len(result.blanks) > 100
    assert said == [
        f"  [空白] {report.org}：{len(result.blanks)} 个单元格未填写或填写有误"
        f"（{report.format.cell_label(next(iter(result.blanks)))} 等），这些汇总数留空"
    ]


def test_mixed_formats_and_years_are_refused_naming_the_odd_ones(folder: Path) -> None:
    shutil.copy(TONGJIANG, folder / "同江.toml")
    odd = r"格式不一致：7 份为.*同江\.toml（中华人民共和国政府信息公开工作年度报告格式（试行））"
    with pytest.raises(SumRefused, match=odd):
        sum_drafts([folder], output=folder.parent / "x.toml", org="某县人民政府", year=2025)
    (folder / "同江.toml").unlink()
    late = load_report(next(folder.rglob("0002.toml")))
    late.year = 2024
    save_report(late, folder / "去年.toml")
    with pytest.raises(SumRefused, match=r"年度不一致：汇总 2025 年度，以下不是：.*去年\.toml（2024 年度）"):
        sum_drafts([folder], output=folder.parent / "x.toml", org="某县人民政府")
    assert not (folder.parent / "x.toml").exists()


def test_two_drafts_of_one_organisation_are_refused_not_counted_twice(folder: Path) -> None:
    # the draft rescued on a hang-up (or a copy kept in the conflict dialog) lies beside the draft
    unit = next(folder.rglob("0002.toml"))
    shutil.copy(unit, unit.with_name("0002.unsaved-20260120-093000.toml"))
    org = load_report(unit).org
    with pytest.raises(
        SumRefused, match=rf"同一单位有多份草稿.*{org}（.*0002\.toml、.*0002\.unsaved-20260120-093000\.toml）"
    ):
        sum_drafts([folder], output=folder.parent / "x.toml", org="某县人民政府", year=2025)
    assert not (folder.parent / "x.toml").exists()
    unit.with_name("0002.unsaved-20260120-093000.toml").unlink()
    assert sum_drafts([folder], output=folder.parent / "x.toml", org="某县人民政府", year=2025).sources


def test_summing_again_shows_what_changed_and_keeps_what_the_clerk_confirmed(folder: Path) -> None:
    output = folder.parent / "全县.toml"
    first = sum_drafts([folder], output=output, org="某县人民政府", year=2025)
    summed = load_report(output)
    summed.set_text("overview", "全县的总体情况。")
    summed.cells[IN_FORCE] = 5  # the clerk confirmed the real count of rules in force
    save_report(summed, output)
    unit = next(folder.rglob("0002.toml"))
    changed = load_report(unit)
    changed.cells[CellRef("requests", "new_requests", "other_org")] += 1  # type: ignore[operator]
    changed.cells[CellRef("requests", "new_requests", "total")] += 1  # type: ignore[operator]
    save_report(changed, unit)
    again = sum_drafts([folder], output=output)
    assert again.resummed
    assert [s.path for s in again.changed] == [s.path for s in first.sources if s.path.endswith("0002.toml")]
    assert not again.added and not again.removed
    assert {c.ref for c in again.changed_cells} == {
        CellRef("requests", "new_requests", "other_org"),
        CellRef("requests", "new_requests", "total"),
    }
    assert again.kept == {IN_FORCE: (5, first.confirm[IN_FORCE])}
    saved = load_report(output)
    assert saved.cells[IN_FORCE] == 5 and saved.text("overview") == "全县的总体情况。" and saved.org == "某县人民政府"
    unit.unlink()
    third = sum_drafts([folder], output=output)
    assert [s.path for s in third.removed] == [s.path for s in again.changed]


def test_an_existing_draft_that_is_not_a_sum_is_not_replaced(folder: Path) -> None:
    target = folder.parent / "报告.toml"
    shutil.copy(TONGJIANG, target)
    with pytest.raises(SumRefused, match="不是汇总生成的草稿"):
        sum_drafts([folder], output=target, org="某县人民政府", year=2025)
    assert target.read_bytes() == TONGJIANG.read_bytes()
    sum_drafts([folder], output=target, org="某县人民政府", year=2025, replace=True)
    assert load_report(target).summed is not None


def test_the_output_inside_the_folder_is_not_a_source(folder: Path) -> None:
    output = folder / "全县.toml"
    sum_drafts([folder], output=output, org="某县人民政府", year=2025)
    again = sum_drafts([folder], output=output)
    assert len(again.sources) == 7 and not again.changed_cells
