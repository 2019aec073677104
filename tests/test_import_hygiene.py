"""The core and the headless command line never load Textual."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "tui.core.values",
    "tui.core.formats",
    "tui.core.report",
    "tui.core.checks",
    "tui.core.store",
    "tui.core.printed_table",
    "tui.core.text_table",
    "tui.core.render",
    "tui.cli",
]


def test_core_does_not_import_textual() -> None:
    code = (
        "import sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    __import__(name)\n"
        "from tui.core.formats import all_formats\n"
        "from tui.core.store import load_report\n"
        "from tui.core.checks import check_report\n"
        "from tui.core.render import render\n"
        "from tui.core.resources import resource_dir\n"
        "r = load_report(resource_dir('reports') / '2024-huaian-city-gov.toml')\n"
        "check_report(r); [render(r, k) for k in ('md', 'txt', 'html')]\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cli_check_does_not_import_textual() -> None:
    code = (
        "import sys\n"
        "from tui.cli import main\n"
        "from tui.core.resources import resource_dir\n"
        "rc = main(['check', str(resource_dir('reports') / '2020-tongjiang-veterans-bureau.toml')])\n"
        "assert rc == 0\n"
        "sys.exit(1 if 'textual' in sys.modules else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
