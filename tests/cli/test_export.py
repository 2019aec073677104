"""`govreport-tui export`: the HTML fragment, the list layout of text tables, the Word file."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

from docx import Document

from ..conftest import HUAIAN, TONGJIANG


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    """The real command in its own process; output as bytes (a .docx is binary)."""
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, timeout=60)


def test_fragment_and_list_layout_are_the_golden_files() -> None:
    result = run("export", str(HUAIAN), "--to", "html-fragment")
    assert result.returncode == 0
    assert result.stdout == HUAIAN.with_suffix(".fragment.html").read_bytes()
    result = run("export", str(TONGJIANG), "--to", "txt", "--tables", "list")
    assert result.returncode == 0
    assert result.stdout == TONGJIANG.with_suffix(".list.txt").read_bytes()
    result = run("export", str(TONGJIANG), "--to", "txt", "--tables", "grid")
    assert result.stdout == TONGJIANG.with_suffix(".txt").read_bytes()


def test_list_layout_is_only_for_text() -> None:
    result = run("export", str(HUAIAN), "--to", "html", "--tables", "list")
    assert result.returncode == 2
    assert "--tables 只用于纯文本导出" in result.stderr.decode("utf-8") and not result.stdout


def test_docx_to_a_file_and_to_a_pipe(tmp_path: Path) -> None:
    out = tmp_path / "报告.docx"
    result = run("export", str(HUAIAN), "--to", "docx", "-o", str(out))
    assert result.returncode == 0 and "已导出" in result.stderr.decode("utf-8")
    doc = Document(str(out))
    assert doc.paragraphs[0].text == "淮安市人民政府\n2024年政府信息公开工作年度报告"
    assert len(doc.tables) == 3
    piped = run("export", str(TONGJIANG), "--to", "docx")  # stdout is a pipe here, not a terminal
    assert piped.returncode == 0 and piped.stdout.startswith(b"PK")
    assert (
        Document(io.BytesIO(piped.stdout)).core_properties.title == "同江市退役军人事务局2020年政府信息公开工作年度报告"
    )


def test_help_names_every_kind() -> None:
    result = run("export", "--help")
    text = result.stdout.decode("utf-8")
    for word in ("html-fragment", "docx", "--tables", "源代码", "每行不超过 80 列"):
        assert word in text


def test_docx_is_not_written_to_a_terminal() -> None:
    main_end, term_end = pty.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "tui", "export", str(HUAIAN), "--to", "docx"],
            stdout=term_end,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    finally:
        os.close(term_end)
        os.close(main_end)
    assert result.returncode == 2
    assert "请用 -o 指定文件" in result.stderr.decode("utf-8")
