"""Time the core on the bundled examples: load, check, save, export. Prints a table."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tui.core.checks import check_report
from tui.core.render import render
from tui.core.resources import resource_dir
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


def main() -> int:
    print(f"python {sys.version.split()[0]}")
    print(f"{'draft':40} {'load':>9} {'check':>9} {'save':>9} {'md':>9} {'txt':>9} {'html':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(resource_dir("reports").glob("*.toml")):
            report = load_report(path)
            out = Path(tmp) / path.name
            row = [
                per_call(lambda p=path: load_report(p)),
                per_call(lambda r=report: check_report(r)),
                per_call(lambda r=report, o=out: save_report(r, o)),
                *(per_call(lambda r=report, k=k: render(r, k)) for k in ("md", "txt", "html")),
            ]
            print(f"{path.name:40} " + " ".join(f"{v:7.0f}µs" for v in row))
            print(f"{'':40} draft size {len(dumps_report(report).encode())} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
