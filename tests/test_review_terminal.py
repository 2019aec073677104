"""The installed app's review desk in a pseudo-terminal: keys written in one write(), as over SSH."""

from __future__ import annotations

from pathlib import Path

from tests.terminal import Terminal
from tests.units import write_units
from tui.core.review import ReviewStatus
from tui.core.store import load_report


def test_review_desk_in_a_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "单位"
    write_units(folder, 4)
    with Terminal(None, args=["review", str(folder)], env={"GOVREPORT_DIR": str(tmp_path)}) as term:
        term.wait_for("共 4 个单位")
        term.wait_for("某县财政局")
        # 0001 has an error: return it with a comment, typed with the keys in one burst
        term.write(["down", "ctrl-b"])
        term.wait_for("退回：某县财政局")
        term.write(["表三不平衡", "enter"])
        term.wait_for("已设为")
        # 0002 is clean: approve it; then sort by status and quit
        term.write(["down", "ctrl-a"])
        term.wait_for("已设为「通过」")
        term.write(["ctrl-o"])
        term.wait_for("排序：审核状态")
        assert term.quit() == 0
    returned = load_report(folder / "0001.toml")
    assert returned.review.status is ReviewStatus.RETURNED
    assert returned.review.last_comment is not None and returned.review.last_comment.comment == "表三不平衡"
    assert load_report(folder / "0002.toml").review.status is ReviewStatus.APPROVED
