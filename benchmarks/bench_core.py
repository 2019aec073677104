"""Time the core on the bundled examples: load, check, save, the exports (Word included), and what the
wizard does on every keystroke (a cell edit, a text edit: only the checks that read what changed run
again). Prints a table."""

from __future__ import annotations

import itertools
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tui.core.checks import check_report
from tui.core.formats import CellRef
from tui.core.render import export_bytes, render
from tui.core.report import Report
from tui.core.resources import resource_dir
from tui.core.session import DraftSession
from tui.core.store import dumps_report, load_report, save_report


def per_call(fn: Callable[[], object], seconds: float = 0.5) -> float:
    """Median-of-5 time of one call, in microseconds."""
    runs = []
    for _ in range(5):
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds / 5:
            fn()
            n += 1
        runs.append((time.perf_counter() - start) / n * 1e6)
    return sorted(runs)[2]


def cell_edit(report: Report) -> Callable[[], object]:
    """Type into a cell of table 三: the cell, its totals and the checks that read them."""
    session = DraftSession(report, None)
    ref = CellRef("requests", "disclosed", "commercial")
    values = itertools.cycle([report.value(ref), 7])
    return lambda: session.set_cell(ref, next(values))


def text_edit(report: Report) -> Callable[[], object]:
    """Type into part 一, in the paragraph that states the most figures: every call a new text."""
    session = DraftSession(report, None)
    text = report.text("overview")
    lines = text.split("\n")
    busiest = max(range(len(lines)), key=lambda i: sum(lines[i].count(u) for u in "件起宗"))
    at = sum(len(line) + 1 for line in lines[:busiest]) + len(lines[busiest]) // 2
    counter = itertools.count()
    return lambda: session.set_text("overview", text[:at] + chr(0x4E00 + next(counter) % 20000) + text[at:])


def main() -> int:
    print(f"python {sys.version.split()[0]}")
    heads = ["load", "check", "cell edit", "text edit", "save", "md", "txt", "html", "docx"]
    print(f"{'draft':40} " + " ".join(f"{h:>10}" for h in heads))
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(resource_dir("reports").glob("*.toml")):
            report = load_report(path)
            out = Path(tmp) / path.name
            row = [
                per_call(lambda p=path: load_report(p)),
                per_call(lambda r=report: check_report(r)),
                per_call(cell_edit(load_report(path))),
                per_call(text_edit(load_report(path))),
                per_call(lambda r=report, o=out: save_report(r, o)),
                *(per_call(lambda r=report, k=k: render(r, k)) for k in ("md", "txt", "html")),
                per_call(lambda r=report: export_bytes(r, "docx")),
            ]
            print(f"{path.name:40} " + " ".join(f"{v:8.0f}µs" for v in row))
            instances = sum(len(rule.checks) for rule in report.format.rules)
            print(f"{'':40} draft size {len(dumps_report(report).encode())} bytes, {instances} rule instances")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
