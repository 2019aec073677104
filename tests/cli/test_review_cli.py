"""The review desk on the command line: check DIR, the summary, the problem list, statuses, sums."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import other_session
from tests.units import damage, specs, write_units
from tui.cli import main
from tui.core.review import ReviewStatus
from tui.core.store import load_report


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    units = tmp_path / "单位"
    written = write_units(units, 6, subfolders=2)
    damage(written[-1][0])
    return units


def test_check_dir_recurses_and_summarises(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(folder), "--summary"]) == 2  # the damaged draft
    out, err = capsys.readouterr()
    lines = out.strip().splitlines()
    assert len(lines) == 6  # five readable units, then the summary
    assert all("：某县" in line and "错误 " in line and "截止 " in line for line in lines[:5])
    assert lines[-1].startswith("共 6 个单位：有错误 ") and lines[-1].endswith("无法读取 1")
    assert "无法读取草稿" in err and "0005.toml" in err


def test_check_dir_findings_and_json(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (next(folder.rglob("0005.toml"))).unlink()  # only readable units: exit 1 (errors)
    assert main(["check", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "[错误] T3-BAL 自然人列" in out and "[警告] DEADLINE" in out
    assert main(["check", "--json", str(folder)]) == 1
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 5 and all(r["readable"] for r in records)
    approved = [r for r in records if r["review"]["status"] == "approved"]
    assert len(approved) == sum(1 for s in specs(5) if s.status is ReviewStatus.APPROVED)


def test_check_writes_the_problem_lists(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xlsx, csv_path = tmp_path / "问题清单.xlsx", tmp_path / "问题清单.csv"
    assert main(["check", str(folder), "--summary", "--xlsx", str(xlsx), "--csv", str(csv_path)]) == 2
    err = capsys.readouterr().err
    assert f"已写出问题清单 {xlsx}（6 个单位" in err
    assert openpyxl.load_workbook(xlsx)["汇总"].max_row == 7
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_a_wrong_folder_setting_stops_the_check(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "govreport.toml").write_text('[deadlines]\n"部门" = "13-01"\n', encoding="utf-8")
    assert main(["check", str(folder), "--summary"]) == 2
    assert "审核设置有误" in capsys.readouterr().err


def test_review_sets_a_status_with_the_rules_and_the_lock(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = next(folder.rglob("0002.toml"))
    broken = next(folder.rglob("0001.toml"))
    assert main(["review", str(clean), "--status", "通过", "--by", "审核员"]) == 0
    assert "审核状态已设为“通过”（审核员" in capsys.readouterr().out
    assert load_report(clean).review.status is ReviewStatus.APPROVED
    assert main(["review", str(broken), "--status", "退回"]) == 1
    assert "退回时必须写明原因" in capsys.readouterr().err
    assert main(["review", str(broken), "--status", "returned", "--comment", "表三不平衡"]) == 0
    assert load_report(broken).review.last_comment.comment == "表三不平衡"  # type: ignore[union-attr]
    busy = next(folder.rglob("0003.toml"))
    with other_session(busy):
        assert main(["review", str(busy), "--status", "通过"]) == 2
    assert "草稿正由" in capsys.readouterr().err and load_report(busy).review.status is ReviewStatus.DRAFT
    assert main(["review", str(busy), "--status", "批准"]) == 2
    assert "未知的审核状态" in capsys.readouterr().err


def test_sum_command(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "全县.toml"
    assert main(["sum", str(folder), "--org", "某县人民政府", "--year", "2025", "-o", str(output)]) == 2
    assert "无法读取" in capsys.readouterr().err  # the damaged draft
    next(folder.rglob("0005.toml")).unlink()
    assert main(["sum", str(folder), "--org", "某县人民政府", "--year", "2025", "-o", str(output)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("已汇总 5 份草稿") and "[请核对]" in out
    assert main(["sum", str(folder), "-o", str(output)]) == 0
    assert "与上次汇总相比没有变化" in capsys.readouterr().out
