"""`govreport-tui import` as a clerk runs it (a subprocess of the installed package): exit codes, messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tui.core.store import load_report

from ..conftest import DATA

EXCEL = DATA / "import" / "yunxi-2023-excel-gbk.txt"
EXPECTED = DATA / "import" / "yunxi-2023.expected.toml"


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", "import", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"},
    )


def excel_text() -> str:
    return EXCEL.read_bytes().decode("gbk")


def test_an_excel_padded_file_imports_completely(tmp_path: Path) -> None:
    done = run(EXCEL, "-o", tmp_path / "2023.toml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "云溪县统计局2023年政府信息公开工作年度报告" in done.stdout
    assert "按制表符分隔的文字（网页或 Excel/WPS 复制）读取，91/200 个单元格有数值" in done.stdout
    assert load_report(tmp_path / "2023.toml").cells == load_report(EXPECTED).cells
    again = run(EXCEL, "-o", tmp_path / "2023.toml", cwd=tmp_path)
    assert again.returncode == 2 and "文件已存在" in again.stderr


def test_rows_whose_columns_are_not_certain_are_listed_and_exit_1(tmp_path: Path) -> None:
    """Without its header rows, a padded row blank at both ends cannot be placed for sure."""
    header = ("（本列", "\t\t\t自然人", "\t\t\t\t商业")
    lines = [line for line in excel_text().split("\r\n") if not line.startswith(header)]
    carried = next(k for k, line in enumerate(lines) if line.startswith("二、上年结转"))
    assert lines[carried].endswith("\t\t\t1\t0\t\t\t\t\t1")
    lines[carried] = "二、上年结转政府信息公开申请数量\t\t\t\t0\t\t\t\t\t"  # 自然人 and 总计 left blank
    source = tmp_path / "无表头.txt"
    source.write_bytes("\r\n".join(lines).encode("gbk"))
    done = run(source, "-o", tmp_path / "out.toml", cwd=tmp_path)
    assert done.returncode == 1
    assert "[未导入]" in done.stdout and "“二、上年结转政府信息公开申请数量”一行" in done.stdout
    assert "个数值无法确定所在的单元格，没有填入" in done.stderr
    imported = load_report(tmp_path / "out.toml")
    expected = load_report(EXPECTED)
    assert all(v is None or v == expected.cells[ref] for ref, v in imported.cells.items())


def test_nothing_placed_exits_1_and_says_why(tmp_path: Path) -> None:
    source = tmp_path / "正文.txt"
    source.write_text("云溪县统计局2023年政府信息公开工作年度报告\n一、总体情况\n概况。\n", encoding="utf-8")
    done = run(source, "-o", tmp_path / "out.toml", cwd=tmp_path)
    assert done.returncode == 1
    assert "导入失败：报告中没有找到统计表" in done.stderr


def test_organisation_and_year_missing_are_named(tmp_path: Path) -> None:
    text = excel_text().replace("2023年云溪县统计局政府信息公开工作年度报告", "政府信息公开工作年度报告")
    text = text.replace("本报告由云溪县统计局根据", "本报告根据").replace("统计期限自2023年1月1日", "统计期限自本年")
    source = tmp_path / "无机关无年度.txt"
    source.write_bytes(text.encode("gbk"))
    done = run(source, "-o", tmp_path / "out.toml", cwd=tmp_path)
    assert done.returncode == 2
    assert "找不到机关名称和报告年度。请用 --org 机关名称、--year 年度 填写" in done.stderr
    only_org = run(source, "-o", tmp_path / "out.toml", "--org", "云溪县统计局", cwd=tmp_path)
    assert only_org.returncode == 2 and "找不到报告年度。请用 --year 年度 填写" in only_org.stderr
    both = run(source, "-o", tmp_path / "out.toml", "--org", "云溪县统计局", "--year", "2023", cwd=tmp_path)
    assert both.returncode == 0, both.stderr
    assert load_report(tmp_path / "out.toml").cells == load_report(EXPECTED).cells


def test_files_that_cannot_be_imported_exit_2(tmp_path: Path) -> None:
    pdf = tmp_path / "报告.pdf"
    pdf.write_bytes(b"%PDF-1.7\n...")
    done = run(pdf, "-o", tmp_path / "out.toml", cwd=tmp_path)
    assert done.returncode == 2 and "PDF" in done.stderr and "另存为" in done.stderr
    bad_year = run(EXCEL, "-o", tmp_path / "out.toml", "--year", "二〇二三", cwd=tmp_path)
    assert bad_year.returncode == 2 and "不是有效的年度" in bad_year.stderr
    assert not (tmp_path / "out.toml").exists()
