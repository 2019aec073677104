"""Shared fixtures: the bundled formats and example drafts, and a golden-file switch."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.core.formats import Format, get_format
from tui.core.report import Report
from tui.core.store import load_report

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"
TONGJIANG = REPORTS / "2020-tongjiang-veterans-bureau.toml"
HUAIAN = REPORTS / "2024-huaian-city-gov.toml"
DATA = ROOT / "tests" / "data"
TONGJIANG_SOURCE = DATA / "2020_tongjiang_veterans_bureau.txt"
HUAIAN_SOURCE = DATA / "2024_huaian_city_gov.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite the golden export files in reports/ instead of comparing"
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def fmt2021() -> Format:
    return get_format("2021")


@pytest.fixture
def fmt_trial() -> Format:
    return get_format("2019-trial")


@pytest.fixture
def huaian() -> Report:
    return load_report(HUAIAN)


@pytest.fixture
def tongjiang() -> Report:
    return load_report(TONGJIANG)


_HOLD_LOCK = """
import sys, time
from pathlib import Path
from tui.core.lock import DraftLock
DraftLock(Path(sys.argv[1])).acquire()
print("locked", flush=True)
time.sleep(60)
"""


@contextlib.contextmanager
def other_session(draft: Path, *, program: str = "govreport-tui") -> Iterator[subprocess.Popen[str]]:
    """Another process holding the draft's lock, as a second editor would; killed on the way out.

    It runs as `python <dir>/govreport-tui <draft>`, the command line of the installed command,
    so taking over may signal it; with another `program` name it is a process that merely
    holds the lock (a forged lock), which must never be signalled.
    """
    with tempfile.TemporaryDirectory() as scripts:
        script = Path(scripts) / program
        script.write_text(_HOLD_LOCK, encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen([sys.executable, str(script), str(draft)], stdout=subprocess.PIPE, text=True, env=env)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        try:
            yield proc
        finally:
            proc.kill()
            proc.wait()
