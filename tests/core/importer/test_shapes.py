"""Every shape a clerk gets a report in, for both bundled reports: every cell right, nothing listed."""

from __future__ import annotations

import pytest

from tui.core.importer import import_report
from tui.core.report import Report
from tui.core.store import dumps_report, load_report

from ...conftest import DATA, HUAIAN, HUAIAN_SOURCE, TONGJIANG, TONGJIANG_SOURCE
from .shapes import LOSSY_SHAPES, TEXT_SHAPES, excel_file

DRAFTS = {"tongjiang": TONGJIANG, "huaian": HUAIAN}
SHAPE_OF = {
    "browser-tabs": "tabs",
    "excel-tabs": "tabs",
    "excel-crlf": "tabs",
    "word-placeholders": "word",
    "word-no-placeholders": "word",
    "pipes": "pipes",
    "cell-pipes": "cell-pipes",
    "cell-pipes-rows": "cell-pipes",
    "html-spans": "html",
    "html-once": "html",
    "html-padded": "html",
    "portal": "html",
    "export-md": "markdown",
    "export-txt": "text-grid",
    "export-html": "html",
}


def assert_same(imported: Report, original: Report) -> None:
    assert imported.format is original.format  # told from the tables' labels
    assert (imported.org, imported.year) == (original.org, original.year)
    wrong = {ref: (imported.cells[ref], value) for ref, value in original.cells.items() if imported.cells[ref] != value}
    assert not wrong


@pytest.mark.parametrize("name", sorted({**TEXT_SHAPES, **LOSSY_SHAPES}))
@pytest.mark.parametrize("draft", sorted(DRAFTS))
def test_every_shape_of_both_reports_imports_every_cell(draft: str, name: str) -> None:
    original = load_report(DRAFTS[draft])
    result = import_report({**TEXT_SHAPES, **LOSSY_SHAPES}[name](original))
    assert_same(result.report, original)
    assert result.complete, result.notes
    assert result.placed == sum(1 for v in original.cells.values() if v is not None)
    assert result.report.texts == original.texts  # the text parts too, page furniture left out
    if name in SHAPE_OF:
        assert result.shape == SHAPE_OF[name]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
@pytest.mark.parametrize("draft", sorted(DRAFTS))
def test_excel_text_files_in_gbk_and_unicode(draft: str, encoding: str) -> None:
    """Excel/WPS “文本文件(制表符分隔)” (GBK) and “Unicode 文本” (UTF-16 with BOM), CRLF."""
    original = load_report(DRAFTS[draft])
    result = import_report(excel_file(original, encoding))
    assert_same(result.report, original)
    assert result.report.texts == original.texts and result.complete


@pytest.mark.parametrize("kind", ["md", "txt", "html"])
@pytest.mark.parametrize("draft", sorted(DRAFTS))
def test_the_round_trip_of_our_own_exports_gives_the_same_draft(draft: str, kind: str) -> None:
    from tui.core.render import render

    original = load_report(DRAFTS[draft])
    result = import_report(render(original, kind))
    assert dumps_report(result.report) == dumps_report(original)
    assert result.complete


def test_the_real_published_texts_import_to_the_bundled_drafts() -> None:
    for source, draft, shape in ((TONGJIANG_SOURCE, TONGJIANG, "word"), (HUAIAN_SOURCE, HUAIAN, "pipes")):
        result = import_report(source)
        assert dumps_report(result.report) == dumps_report(load_report(draft))
        assert result.complete and result.shape == shape


HANDMADE = DATA / "import"


@pytest.mark.parametrize(
    ("name", "shape", "org_note"),
    [
        ("yunxi-2023-excel-gbk.txt", "tabs", False),
        ("yunxi-2023-unicode.txt", "tabs", False),
        ("yunxi-2023-portal.html", "html", True),
        ("yunxi-2023-cells.txt", "cell-pipes", True),
    ],
)
def test_realistic_files_with_blank_cells(name: str, shape: str, org_note: bool) -> None:
    """A county bureau's report as a clerk has it: blank cells (as published), merged cells, furniture."""
    expected = load_report(HANDMADE / "yunxi-2023.expected.toml")
    result = import_report(HANDMADE / name)
    assert result.shape == shape
    assert_same(result.report, expected)
    assert result.complete
    assert any("标题中没有机关名称" in n.message for n in result.notes) == org_note
    if name != "yunxi-2023-cells.txt":  # that one adds a 现公布… sentence to the preamble
        assert result.report.texts == expected.texts


def test_a_2023_report_printing_the_trial_tables_imports_as_the_trial_format() -> None:
    from tui.core.checks import check_report

    result = import_report(HANDMADE / "trial-tables-2023-word.txt")
    assert result.report.format.id == "2019-trial" and result.report.year == 2023
    assert result.report.cells == load_report(TONGJIANG).cells and result.complete
    assert "FMT-YEAR" in {f.rule for f in check_report(result.report)}


@pytest.mark.parametrize("name", sorted({**TEXT_SHAPES, **LOSSY_SHAPES}))
def test_trial_tables_in_a_2023_report_in_every_shape(name: str) -> None:
    report = load_report(TONGJIANG)
    report.org, report.year = "云溪县退役军人事务局", 2023
    result = import_report({**TEXT_SHAPES, **LOSSY_SHAPES}[name](report))
    assert result.report.format.id == "2019-trial" and result.report.year == 2023
    assert result.report.cells == report.cells


def test_the_handmade_files_are_what_the_readme_says() -> None:
    readme = (HANDMADE / "README.md").read_text(encoding="utf-8")
    for path in HANDMADE.iterdir():
        if path.name != "README.md":
            assert path.name in readme
