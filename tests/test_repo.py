"""Repository hygiene: CI runs the README's test command, and the code is ruff-clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    command = ci[-1]
    assert "pytest" in command
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"\n{command}\n" in readme


def test_ruff_clean() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        pytest.fail("ruff is part of the test extras: pip install -e '.[test]'")
    result = subprocess.run(
        [ruff, "check", "tui", "tests", "benchmarks", "scripts"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_tests_need_nothing_beside_the_checkout() -> None:
    """A plain clone has nothing beside it: every input a test reads lives under tests/data/."""
    folder = "sha" + "red"  # spelt apart so that this file does not match its own search
    needles = (f"../{folder}", f'"{folder}"', f"'{folder}'")
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests").rglob("*.py")
        if any(needle in path.read_text(encoding="utf-8") for needle in needles)
    ]
    assert offenders == []


def test_mypy_clean() -> None:
    """The type checker over tui/ (configuration in pyproject.toml): it finds attribute clashes such as a
    method named like a private attribute of a Textual base class."""
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
