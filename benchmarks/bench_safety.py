"""What the shared-folder safety costs: pre-scan, terminal-safe text, locking, a save under the lock,
and `check` over a folder of hostile files. Prints figures (medians); no pass/fail."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tui.core.lock import DraftLock
from tui.core.resources import resource_dir
from tui.core.safetext import safe_text
from tui.core.session import open_draft
from tui.core.store import load_report, save_report
from tui.core.tomlsafe import check_limits

ROOT = Path(__file__).resolve().parent.parent


def per_call(fn: Callable[[], object], seconds: float = 0.5) -> float:
    """Median-of-5 time of one call, in microseconds."""
    runs = []
    for _ in range(5):
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds / 5 or n == 0:
            fn()
            n += 1
        runs.append((time.perf_counter() - start) / n * 1e6)
    return sorted(runs)[2]


def show(label: str, micros: float) -> None:
    print(f"  {label:58} {micros / 1000:9.2f} ms" if micros >= 1000 else f"  {label:58} {micros:9.1f} µs")


def main() -> int:
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    draft = resource_dir("reports") / "2024-huaian-city-gov.toml"
    text = draft.read_text(encoding="utf-8")
    print("parsing")
    show("pre-scan of the 淮安 draft (number length, depth)", per_call(lambda: check_limits(text)))
    big = ('overview = """' + "第一部分，总体情况。" * 130_000 + '"""\n') * 1
    show(f"pre-scan of a {len(big.encode()) // 1024} KB text", per_call(lambda: check_limits(big), 2))
    show("load_report of the 淮安 draft (read, scan, parse, build)", per_call(lambda: load_report(draft)))
    print("terminal-safe text")
    line = "淮安市人民政府2024年政府信息公开工作年度报告：收到申请 3001 件。"
    show(f"safe_text of a {len(line)}-character message", per_call(lambda: safe_text(line)))
    huge = "很长的一行" * 260_000
    show(f"safe_text of a {len(huge) // 1000}k-character line", per_call(lambda: safe_text(huge), 2))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        copy = folder / "d.toml"
        copy.write_bytes(draft.read_bytes())
        print("locking and saving")

        def lock_cycle() -> None:
            lock = DraftLock(copy)
            lock.acquire()
            lock.release()

        show("take and release the lock", per_call(lock_cycle))
        report = load_report(copy)
        show("save_report (no lock)", per_call(lambda: save_report(report, copy)))
        session = open_draft(copy).session
        assert session is not None

        def locked_save() -> None:
            session.dirty = True
            session.save()

        show("DraftSession.save under its lock (check, backup, rename)", per_call(locked_save))
        session.close()
        show("DraftSession.save taking the lock for the save", per_call(locked_save))
        print("check over a hostile folder (one process, wall time)")
        good = folder / "good.toml"
        good.write_bytes(draft.read_bytes())
        (folder / "int.toml").write_text("x = " + "9" * 5000)
        (folder / "deep.toml").write_text("x = " + "[" * 100_000 + "]" * 100_000)
        (folder / "huge.toml").write_bytes(b"#" * (5 * 1024 * 1024))
        os.mkfifo(folder / "pipe.toml")
        os.symlink("/dev/zero", folder / "zero.toml")
        paths = sorted(str(p) for p in folder.glob("*.toml"))
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        times = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "tui", "check", *paths], capture_output=True, env=env, timeout=60)
            times.append(time.perf_counter() - start)
        show(f"govreport-tui check of {len(paths)} files (1 good, 6 hostile)", sorted(times)[2] * 1e6)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tui", "check", str(good)], capture_output=True, env=env, timeout=60)
        show("govreport-tui check of the good file alone", (time.perf_counter() - start) * 1e6)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
