"""An unexpected error never shows the clerk a traceback: the work is saved, the details go to a file.

The error is injected into the real app (a method made to fail), as a bug would strike.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tui.app.app import GovReportApp
from tui.app.widgets.section_views import TableView
from tui.core.formats import CellRef
from tui.core.store import load_report

from .conftest import HUAIAN
from .terminal import Terminal, draft_at

CELL = CellRef("requests", "new_requests", "natural_person")

_FAILING_APP = """
import sys
from tui.app.widgets.section_views import TableView
from tui.cli import main

shown = TableView.show_cell

def show_cell(self, ref, **how):
    if ref.row == "carried_over":
        raise RuntimeError("injected fault")
    shown(self, ref, **how)

TableView.show_cell = show_cell
sys.exit(main())
"""


async def test_an_error_saves_the_work_and_writes_the_details(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVREPORT_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("GOVREPORT_AUTOSAVE", "30,60")  # only the rescue can save
    draft = draft_at(HUAIAN, tmp_path / "draft.toml", section="requests", cell="new_requests/natural_person")
    shown = TableView.show_cell

    def show_cell(self: TableView, ref: CellRef, *, typing: bool = False) -> None:
        if ref.row == "carried_over":
            raise RuntimeError("injected fault")
        shown(self, ref, typing=typing)

    monkeypatch.setattr(TableView, "show_cell", show_cell)
    app = GovReportApp(draft, tmp_path)
    with pytest.raises(RuntimeError, match="injected fault"):  # Pilot re-raises what the app met
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("4", "2", "down")
            await pilot.pause()
    assert app.return_code == 1
    assert load_report(draft).value(CELL) == 42
    (log,) = (tmp_path / "logs").iterdir()
    assert "injected fault" in log.read_text(encoding="utf-8") and log.stat().st_mode & 0o077 == 0
    assert app.crash_message.startswith("govreport-tui 遇到意外错误")
    assert str(draft) in app.crash_message and str(log) in app.crash_message


def test_the_installed_app_leaves_with_one_line(tmp_path: Path) -> None:
    draft = draft_at(HUAIAN, tmp_path / "draft.toml", section="requests", cell="new_requests/natural_person")
    script = tmp_path / "failing.py"
    script.write_text(_FAILING_APP, encoding="utf-8")
    logs = tmp_path / "logs"
    term = Terminal(
        draft, args=[str(draft)], env={"GOVREPORT_LOG_DIR": str(logs)}, command=[sys.executable, str(script)]
    )
    term.wait_for("本年新收")
    term.write(["7", "down"])
    code = term.wait_exit()
    term.close()
    output = bytes(term.output)
    assert code == 1
    assert b"Traceback" not in output and b"injected fault" not in output
    assert output.rstrip().endswith("请联系管理员。".encode())
    assert "遇到意外错误".encode() in output and str(logs).encode() in output
    assert b"\x1b[?1049l" in output  # the terminal's main screen is back
    assert load_report(draft).value(CELL) == 7
