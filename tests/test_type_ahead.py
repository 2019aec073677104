"""Keys that arrive together (over SSH, from a macro, an IME, a paste) land where the clerk aimed them.

Each test drives the installed app in a real pseudo-terminal, writes a whole key sequence in one
`write()`, quits, and reads the draft back from disk.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tui.core.formats import CellRef
from tui.core.session import disk_stamp
from tui.core.store import load_report, save_report

from .conftest import HUAIAN
from .terminal import Terminal, draft_at


def R(row: str, col: str) -> CellRef:
    return CellRef("requests", row, col)


@pytest.fixture
def at_new_requests(tmp_path: Path) -> Path:
    """The 淮安 draft, reopening on table 三 with the cursor on 一、本年新收 / 自然人."""
    return draft_at(HUAIAN, tmp_path / "draft.toml", section="requests", cell="new_requests/natural_person")


def blank_texts(tmp_path: Path, section: str, *parts: str) -> Path:
    """The 淮安 draft with some text parts emptied, reopening on `section`."""
    draft = draft_at(HUAIAN, tmp_path / "draft.toml", section=section)
    report = load_report(draft)
    for part in parts:
        report.set_text(part, "")
    save_report(report, draft)
    return draft


def test_moves_then_a_digit_in_one_burst(at_new_requests: Path) -> None:
    before = load_report(at_new_requests)
    with Terminal(at_new_requests) as term:
        term.wait_for("本年新收")
        term.write(["down", "down", "tab", "7"])
        term.settle()
        assert term.quit() == 0
    after = load_report(at_new_requests)
    assert after.value(R("disclosed", "commercial")) == 7
    assert after.value(R("new_requests", "natural_person")) == before.value(R("new_requests", "natural_person"))
    changed = {ref for ref in after.cells if after.cells[ref] != before.cells[ref]}
    assert R("disclosed", "commercial") in changed
    assert all(ref.row == "disclosed" or ref.row == "results_total" or ref.col == "total" for ref in changed)


def test_a_whole_column_typed_ahead(at_new_requests: Path) -> None:
    report = load_report(at_new_requests)
    rows = [r.id for r in report.format.part("requests").table.blocks[0].rows]  # type: ignore[union-attr]
    typed = {row: 11 + i for i, row in enumerate(rows) if row != "results_total"}
    keys: list[str] = []
    for row in rows:
        keys += [str(typed[row]), "enter"] if row in typed else ["enter"]
    with Terminal(at_new_requests) as term:
        term.wait_for("本年新收")
        term.write(keys)
        term.settle()
        assert term.quit() == 0
    after = load_report(at_new_requests)
    assert {row: after.value(R(row, "natural_person")) for row in typed} == typed


def test_text_after_a_section_change_goes_to_the_next_part(tmp_path: Path) -> None:
    draft = blank_texts(tmp_path, "problems", "problems", "other")
    with Terminal(draft) as term:
        term.wait_for("五、存在的主要问题")
        term.write(["甲乙", "ctrl-n", "丙丁"])
        term.wait_for("六、其他需要报告的事项")
        term.wait_for("丙丁")
        assert term.quit() == 0
    after = load_report(draft)
    assert (after.text("problems"), after.text("other")) == ("甲乙", "丙丁")


def test_corrections_typed_ahead_in_a_text_part(tmp_path: Path) -> None:
    draft = blank_texts(tmp_path, "overview", "overview")
    with Terminal(draft) as term:
        term.wait_for("一、总体情况")
        term.write(["共收到申请十二件", "bs", "bs", "bs", "12件", "home", "全年", "end", "。", "left", "left", "X"])
        term.settle()
        assert term.quit() == 0
    assert load_report(draft).text("overview") == "全年共收到申请12X件。"


def test_a_digit_then_quit(at_new_requests: Path) -> None:
    with Terminal(at_new_requests) as term:
        term.wait_for("本年新收")
        term.write(["7", "ctrl-q"])
        assert term.wait_exit() == 0
    assert load_report(at_new_requests).value(R("new_requests", "natural_person")) == 7


def test_a_digit_then_save(at_new_requests: Path) -> None:
    with Terminal(at_new_requests) as term:
        term.wait_for("本年新收")
        stamp = disk_stamp(at_new_requests)
        term.write(["7", "ctrl-s"])
        deadline = time.monotonic() + 10
        while disk_stamp(at_new_requests) == stamp and time.monotonic() < deadline:
            time.sleep(0.05)
        assert load_report(at_new_requests).value(R("new_requests", "natural_person")) == 7
        assert term.quit() == 0


def test_escape_then_a_digit_cancels_then_types(at_new_requests: Path) -> None:
    before = load_report(at_new_requests).value(R("carried_over", "natural_person"))
    with Terminal(at_new_requests) as term:
        term.wait_for("本年新收")
        term.type(["5"])
        term.write(["esc", "7"])  # within the escape delay: the terminal sends ESC 7, read as Alt+7
        term.settle()
        term.type(["down", "esc", "down"])  # Esc on a cell not being typed in changes nothing
        assert term.quit() == 0
    after = load_report(at_new_requests)
    assert after.value(R("new_requests", "natural_person")) == 7
    assert after.value(R("carried_over", "natural_person")) == before


def test_escape_then_text_in_a_text_part(tmp_path: Path) -> None:
    draft = blank_texts(tmp_path, "overview", "overview")
    with Terminal(draft) as term:
        term.wait_for("一、总体情况")
        term.write(["ab", "esc", "7", "esc", "中"])
        term.settle()
        assert term.quit() == 0
    assert load_report(draft).text("overview") == "ab7中"


def test_back_to_the_findings_after_they_changed(tmp_path: Path) -> None:
    draft = draft_at(HUAIAN, tmp_path / "draft.toml", section="finish")
    with Terminal(draft) as term:
        term.wait_for("没有错误")  # 检查与导出, with its list of findings
        term.write(["ctrl-b"] * 4 + ["9", "enter"] + ["ctrl-n"] * 4)
        term.wait_for("第一项 9 ")  # the list of findings, updated
        term.type(["ctrl-b"])  # and the app still answers
        term.wait_for("六、其他需要报告的事项")
        assert term.quit() == 0
        assert b"Traceback" not in term.output
    assert load_report(draft).value(R("new_requests", "natural_person")) == 9


def test_a_block_pasted_with_its_label_column(at_new_requests: Path) -> None:
    block = (
        "一、本年新收政府信息公开申请数量\t1\t2\t3\t4\t5\t6\t21\r\n"
        "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\r\n"
        "（一）予以公开\t1\t1\t1\t1\t1\t1\t6\r\n"
    )
    with Terminal(at_new_requests) as term:
        term.wait_for("本年新收")
        term.write([f"paste:{block}"])
        term.wait_for("已粘贴")
        assert term.quit() == 0
    after = load_report(at_new_requests)
    cols = ["natural_person", "commercial", "research", "public_interest", "legal_services", "other_org", "total"]
    assert [after.value(R("new_requests", c)) for c in cols] == [1, 2, 3, 4, 5, 6, 21]
    assert [after.value(R("carried_over", c)) for c in cols] == [0] * 7
    assert [after.value(R("disclosed", c)) for c in cols] == [1, 1, 1, 1, 1, 1, 6]


def test_a_column_pasted_through_tmux_with_windows_line_ends(at_new_requests: Path) -> None:
    before = load_report(at_new_requests)
    with Terminal(at_new_requests) as term:
        term.wait_for("本年新收")
        term.write(["paste:5\r\r3\r\r2\r\r"])  # CRLF turned into CR CR by tmux
        term.wait_for("已粘贴")
        assert term.quit() == 0
    after = load_report(at_new_requests)
    rows = ["new_requests", "carried_over", "disclosed", "partly_disclosed"]
    assert [after.value(R(r, "natural_person")) for r in rows] == [
        5,
        3,
        2,
        before.value(R("partly_disclosed", "natural_person")),
    ]
