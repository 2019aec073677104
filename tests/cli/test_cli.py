"""The command line: exit codes, Chinese messages, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main, non_utf8_locale
from tui.core.store import load_report

from ..conftest import HUAIAN, TONGJIANG

GOOD = 'layout = 1\nformat = "2021"\norg = "机关"\nyear = 2024\n'


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command, as a clerk runs it (a separate process, its real exit code)."""
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=60)


def test_formats_lists_ids_names_and_years(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["formats"]) == 0
    out = capsys.readouterr().out
    assert "2021\t中华人民共和国政府信息公开工作年度报告格式（国办公开办函〔2021〕30号）" in out
    assert "2019-trial" in out and "2019—2020年度" in out


def test_check_bundled_examples_is_clean() -> None:
    result = run("check", str(TONGJIANG), str(HUAIAN))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("未发现问题。") == 2


def test_check_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    draft = tmp_path / "d.toml"
    draft.write_text(
        HUAIAN.read_text(encoding="utf-8").replace(
            "[tables.requests.new_requests]\nnatural_person = 3001",
            "[tables.requests.new_requests]\nnatural_person = 3000",
        ),
        encoding="utf-8",
    )
    assert main(["check", "--json", str(draft), str(HUAIAN)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [d["counts"]["error"] > 0 for d in data] == [True, False]
    rules = {f["rule"] for f in data[0]["findings"]}
    assert rules == {"T3-BAL", "T3-ROW"}
    finding = data[0]["findings"][0]
    assert set(finding) >= {"rule", "severity", "message", "location", "part", "row", "column", "cells"}


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        ("layout = 1\nformat = [", 2, "不是有效的 TOML"),
        ('layout = 1\nformat = "2099"\norg = "x"\nyear = 2024\n', 2, "未知的报告格式 “2099”"),
        (GOOD + "[tables.requests.new_requests]\nnatural_person = -5\n", 1, "-5 是负数"),
        (GOOD + '[tables.requests.new_requests]\nnatural_person = "五"\n', 1, "“五”不是整数"),
    ],
)
def test_check_bad_input(tmp_path: Path, content: str, code: int, message: str) -> None:
    draft = tmp_path / "bad.toml"
    draft.write_text(content, encoding="utf-8")
    result = run("check", str(draft))
    assert result.returncode == code
    assert message in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_check_missing_file_and_mixed_results(tmp_path: Path) -> None:
    result = run("check", str(tmp_path / "none.toml"), str(HUAIAN))
    assert result.returncode == 2
    assert "文件不存在" in result.stderr
    assert "未发现问题。" in result.stdout
    assert "Traceback" not in result.stderr


def test_new_creates_an_empty_draft_in_the_right_format(tmp_path: Path) -> None:
    out = tmp_path / "new.toml"
    result = run("new", "--year", "2025", "--org", "某县民政局", "-o", str(out))
    assert result.returncode == 0, result.stderr
    report = load_report(out)
    assert (report.format.id, report.org, report.year) == ("2021", "某县民政局", 2025)
    assert all(v is None for v in report.cells.values())
    trial = tmp_path / "old.toml"
    assert run("new", "--year", "2020", "--org", "某局", "-o", str(trial)).returncode == 0
    assert load_report(trial).format.id == "2019-trial"
    again = run("new", "--year", "2025", "--org", "某县民政局", "-o", str(out))
    assert again.returncode == 2 and "文件已存在" in again.stderr


def test_new_with_unknown_format_or_bad_year(tmp_path: Path) -> None:
    result = run("new", "--format", "2099", "--year", "2025", "--org", "x", "-o", str(tmp_path / "x.toml"))
    assert result.returncode == 2 and "未知的报告格式 “2099”" in result.stderr
    result = run("new", "--year", "二〇二五", "--org", "x", "-o", str(tmp_path / "x.toml"))
    assert result.returncode == 2 and "不是有效的年度" in result.stderr
    assert not (tmp_path / "x.toml").exists()


def test_export_to_stdout_and_file(tmp_path: Path) -> None:
    result = run("export", str(HUAIAN), "--to", "md")
    assert result.returncode == 0
    assert result.stdout == HUAIAN.with_suffix(".md").read_text(encoding="utf-8")
    out = tmp_path / "r.html"
    result = run("export", str(TONGJIANG), "--to", "html", "-o", str(out))
    assert result.returncode == 0 and "已导出" in result.stderr
    assert out.read_text(encoding="utf-8") == TONGJIANG.with_suffix(".html").read_text("utf-8")


def test_export_with_errors_is_a_preview_and_strict_refuses(tmp_path: Path) -> None:
    draft = tmp_path / "d.toml"
    draft.write_text(GOOD + "[tables.appeals.cases]\nreview_upheld = 2\nreview_total = 1\n", encoding="utf-8")
    result = run("export", str(draft), "--to", "txt")
    assert result.returncode == 0
    assert "仅供预览" in result.stderr and "机关2024年" in result.stdout
    strict = run("export", str(draft), "--to", "txt", "--strict", "-o", str(tmp_path / "o.txt"))
    assert strict.returncode == 1 and "未导出" in strict.stderr
    assert not (tmp_path / "o.txt").exists()


def test_usage_errors_are_chinese() -> None:
    result = run("export", str(HUAIAN), "--to", "pdf")
    assert result.returncode == 2
    assert "无效的选项" in result.stderr and "用法：" in result.stderr
    result = run("check")
    assert result.returncode == 2 and "缺少必需的参数" in result.stderr


@pytest.mark.parametrize("command", [[], ["check"], ["export"], ["new"], ["formats"], ["import"], ["upgrade"]])
def test_help_everywhere(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0
    assert "用法：" in result.stdout and "显示本帮助并退出" in result.stdout


@pytest.mark.parametrize(
    ("environ", "refused"),
    [
        ({"LANG": "zh_CN.UTF-8"}, None),
        ({"LANG": "zh_CN.GBK"}, ("LANG", "zh_CN.GBK")),
        ({"LANG": "zh_CN.GBK", "LC_ALL": "zh_CN.UTF-8"}, None),  # LC_ALL decides
        ({"LANG": "zh_CN.GBK", "LC_CTYPE": "C.UTF-8"}, None),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.gb18030"}, ("LC_ALL", "zh_CN.gb18030")),
        ({"LANG": "zh_CN.UTF-8", "LC_CTYPE": "zh_TW.Big5"}, ("LC_CTYPE", "zh_TW.Big5")),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": ""}, None),  # empty is unset
        ({"LANG": "zh_CN"}, ("LANG", "zh_CN")),  # no codeset: GB2312
        ({"LANG": "zh_CN.utf8"}, None),
        ({"LANG": "en_US.ISO-8859-1"}, ("LANG", "en_US.ISO-8859-1")),
        ({"LANG": "C"}, None),
        ({}, None),
    ],
)
def test_a_locale_that_is_not_utf8_is_the_one_in_force(
    environ: dict[str, str], refused: tuple[str, str] | None
) -> None:
    assert non_utf8_locale(environ) == refused
