"""The HTML export copied in a real browser and pasted into a rich-text editor, as a clerk does on a portal.

Debian's chromium, headless, driven by Playwright (no browser download): the exported page is
opened, selected whole and copied; the clipboard is pasted into a `contenteditable` element on a
second page; the pasted DOM is read back. Set GOVREPORT_SCREENSHOTS=<folder> to keep a picture
of each pasted report.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tui.core.importer import import_report
from tui.core.printed_table import build_grid
from tui.core.render import paragraphs, render
from tui.core.report import PREAMBLE, Report
from tui.core.store import load_report

from .conftest import HUAIAN, TONGJIANG

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

EDITOR = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>编辑器</title></head>
<body style="margin:0;font:14px sans-serif">
<div id="editor" contenteditable="true" style="width:900px;min-height:300px;padding:8px;border:1px solid #999"></div>
</body></html>
"""

READ_BACK = """() => {
  const ed = document.getElementById('editor');
  const text = (el) => el.textContent.replace(/\\u00a0/g, ' ').trim();
  return {
    html: ed.innerHTML,
    title: [...ed.querySelectorAll('h1')].map(text),
    headings: [...ed.querySelectorAll('h2')].map(text),
    paragraphs: [...ed.querySelectorAll('p')].map((p) => ({
      text: text(p),
      indent: p.style.textIndent,
      computedIndent: getComputedStyle(p).textIndent,
      fontSize: getComputedStyle(p).fontSize,
    })),
    tables: [...ed.querySelectorAll('table')].map((t) => ({
      border: t.getAttribute('border'),
      collapse: getComputedStyle(t).borderCollapse,
      rows: [...t.rows].map((r) => [...r.cells].map((c) => ({
        text: text(c),
        rowspan: c.rowSpan,
        colspan: c.colSpan,
        borders: ['Top', 'Right', 'Bottom', 'Left'].map(
          (s) => c.style['border' + s + 'Style'] + ' ' + c.style['border' + s + 'Width']),
        align: getComputedStyle(c).textAlign,
      }))),
    })),
  };
}"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless chromium for the module, with a fresh profile and clipboard access."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs Debian's chromium (.ci/run), but no chromium is on PATH")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium): no real browser to paste in")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=ARGS, chromium_sandbox=False
        )
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        yield context
        context.close()


def _paste(browser: Any, report: Report, folder: Path, name: str) -> dict[str, Any]:
    """Open the exported page, select all, copy, paste into the editor page; the editor's DOM."""
    page_file = folder / f"{name}.html"
    page_file.write_text(render(report, "html"), encoding="utf-8")
    editor_file = folder / "editor.html"
    editor_file.write_text(EDITOR, encoding="utf-8")

    page = browser.new_page()
    page.goto(page_file.as_uri())
    page.keyboard.press("Control+A")
    page.keyboard.press("Control+C")
    editor = browser.new_page()
    editor.goto(editor_file.as_uri())
    editor.click("#editor")
    editor.keyboard.press("Control+V")
    editor.wait_for_function("document.querySelectorAll('#editor table').length > 0")
    pasted: dict[str, Any] = editor.evaluate(READ_BACK)
    shots = os.environ.get("GOVREPORT_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        editor.screenshot(path=str(Path(shots) / f"pasted-{name}.png"), full_page=True)
    page.close()
    editor.close()
    return pasted


def _check(report: Report, pasted: dict[str, Any]) -> None:
    assert pasted["title"] == [report.title]
    assert pasted["headings"] == [p.heading for p in report.format.parts]

    expected_paragraphs = paragraphs(report.text(PREAMBLE))
    for part in report.format.parts:
        expected_paragraphs += paragraphs(report.text(part.id))
    assert [p["text"] for p in pasted["paragraphs"]] == expected_paragraphs
    for p in pasted["paragraphs"]:
        assert p["indent"] == "2em" and p["computedIndent"] == "32px" and p["fontSize"] == "16px", p

    grids = [build_grid(part, report) for part in report.format.parts if part.table is not None]
    assert len(pasted["tables"]) == len(grids)
    for grid, table in zip(grids, pasted["tables"], strict=True):
        assert table["border"] == "1" and table["collapse"] == "collapse"
        got = [[(c["text"], c["rowspan"], c["colspan"]) for c in row] for row in table["rows"]]
        want = [[(c.text, c.rowspan, c.colspan) for c in row] for row in grid.rows]
        assert got == want  # rowspan/colspan structure and every number in its cell
        for row, grid_row in zip(table["rows"], grid.rows, strict=True):
            for cell, grid_cell in zip(row, grid_row, strict=True):
                assert cell["borders"] == ["solid 1px"] * 4, cell
                if grid_cell.role == "value":
                    assert cell["align"] == "right", cell

    # what the portal stores reads back as the same report (blank cells blank)
    imported = import_report(pasted["html"])
    assert imported.report.cells == report.cells
    assert imported.complete, imported.notes


@pytest.mark.parametrize("draft", [TONGJIANG, HUAIAN], ids=["tongjiang", "huaian"])
def test_bundled_reports_survive_copy_and_paste(browser: Any, tmp_path: Path, draft: Path) -> None:
    report = load_report(draft)
    _check(report, _paste(browser, report, tmp_path, draft.stem))


def test_blank_cells_stay_blank_through_the_clipboard(browser: Any, tmp_path: Path, huaian: Report) -> None:
    from tui.core.formats import CellRef

    blanks = [CellRef("requests", "publications", "research"), CellRef("appeals", "cases", "after_other")]
    for ref in blanks:
        huaian.set_cell(ref, None)
    pasted = _paste(browser, huaian, tmp_path, "blanks")
    _check(huaian, pasted)
    requests = pasted["tables"][1]["rows"]
    row = next(r for r in requests if any(c["text"] == "3.要求提供公开出版物" for c in r))
    assert [c["text"] for c in row[-7:]] == ["0", "0", "", "0", "0", "0", "0"]
