"""Blank cells anywhere in tables 三 and 四, in every shape: no number ever lands in a cell it did not
come from, and every number not placed is listed."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.formats import CellRef
from tui.core.importer import ImportResult, import_report
from tui.core.report import Report
from tui.core.store import load_report
from tui.core.values import format_value

from ...conftest import HUAIAN, TONGJIANG
from .shapes import LOSSY_SHAPES, TEXT_SHAPES

BASES = {"tongjiang": load_report(TONGJIANG), "huaian": load_report(HUAIAN)}


def blanked(name: str, refs: set[CellRef]) -> Report:
    base = BASES[name]
    report = Report(base.format, base.org, base.year, dict(base.texts), dict(base.cells))
    for ref in refs:
        report.cells[ref] = None
    return report


@st.composite
def reports_with_blanks(draw: st.DrawFn) -> Report:
    name = draw(st.sampled_from(sorted(BASES)))
    cells = sorted(ref for ref in BASES[name].cells if ref.part in ("requests", "appeals"))
    return blanked(name, draw(st.sets(st.sampled_from(cells), max_size=len(cells))))


def check_nothing_misplaced(result: ImportResult, source: Report) -> None:
    misplaced = {
        ref: (value, source.cells[ref])
        for ref, value in result.report.cells.items()
        if value is not None and value != source.cells[ref]
    }
    assert not misplaced, misplaced
    not_placed = Counter(
        format_value(value)
        for ref, value in source.cells.items()
        if value is not None and result.report.cells[ref] is None
    )
    listed = Counter(u.text for u in result.unplaced)
    assert not not_placed - listed, f"numbers neither placed nor listed: {not_placed - listed}"


SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("shape", sorted(TEXT_SHAPES))
@SETTINGS
@given(source=reports_with_blanks())
def test_shapes_that_keep_every_cell_place_everything(shape: str, source: Report) -> None:
    result = import_report(TEXT_SHAPES[shape](source))
    check_nothing_misplaced(result, source)
    assert result.complete, [str(n) for n in result.notes if n.severity == "error"]


@pytest.mark.parametrize("shape", sorted(LOSSY_SHAPES))
@SETTINGS
@given(source=reports_with_blanks())
def test_shapes_that_lose_blank_cells_list_rather_than_guess(shape: str, source: Report) -> None:
    check_nothing_misplaced(import_report(LOSSY_SHAPES[shape](source)), source)


def test_a_lossy_shape_does_list_what_it_cannot_place() -> None:
    """The property above is not empty: with blanks, an Excel copy without header rows lists rows."""
    source = blanked("huaian", {CellRef("requests", "new_requests", "natural_person")})
    result = import_report(LOSSY_SHAPES["excel-no-header"](source))
    assert result.report.value(CellRef("requests", "new_requests", "total")) is None
    assert {u.text for u in result.unplaced} >= {"53", "3119"}
    assert not result.complete
