"""Measure the app over a pseudo-terminal, beside a bare Textual app, at 80×24 and 120×40.

Uses ../shared/tools/ptyprobe.py (needs pyte). Prints a table: time until ready to type; bytes
for a full repaint (Ctrl+R), for a digit (median of the 2nd to 4th; the 1st also repaints the
statuses that change), for a move to the next cell, for a change to a section not yet shown
(Ctrl+N) and back to one already shown (Ctrl+B); and idle bytes per second.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = ROOT.parent / "shared" / "tools" / "ptyprobe.py"
DRAFT = ROOT / "reports" / "2024-huaian-city-gov.toml"


def probe(
    cmd: list[str],
    size: tuple[int, int],
    ready: str,
    keys: list[str],
    idle: float = 0,
    env: dict[str, str] | None = None,
) -> dict:
    args = [
        sys.executable,
        str(PROBE),
        "--cols",
        str(size[0]),
        "--rows",
        str(size[1]),
        "--ready",
        ready,
        "--idle",
        str(idle),
    ]
    for k in keys:
        args += ["--key", k]
    for k, v in (env or {}).items():
        args += ["--env", f"{k}={v}"]
    out = subprocess.run([*args, "--", *cmd], capture_output=True, text=True, timeout=120)
    return json.loads(out.stdout)


def draft_on_requests_table(folder: Path) -> Path:
    """A copy of the 淮安 draft that opens on table 三, first cell."""
    text = DRAFT.read_text(encoding="utf-8").replace(
        "year = 2024\n", 'year = 2024\n\n[position]\nsection = "requests"\ncell = "new_requests/natural_person"\n', 1
    )
    path = folder / "bench.toml"
    path.write_text(text, encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs per size (medians are printed)")
    args = parser.parse_args()
    if not PROBE.exists():
        print(f"ptyprobe not found at {PROBE}", file=sys.stderr)
        return 2
    # A real install (pip install .) byte-compiles the package; an editable one under
    # PYTHONDONTWRITEBYTECODE would compile every module on every start. Compile once, as pip does.
    import tui

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(tui.__file__).parent)], check=True)
    app_cmd = [shutil.which("govreport-tui") or "govreport-tui"]
    bare_cmd = [sys.executable, str(ROOT / "benchmarks" / "bare_app.py")]
    print(
        f"{'size':8} {'program':14} {'ready s':>8} {'repaint B':>10} {'digit B':>8} {'1st digit B':>12} "
        f"{'next cell B':>12} {'new section B':>14} {'back B':>8} {'idle B/s':>9}"
    )
    for size in ((80, 24), (120, 40)):
        rows: dict[str, list[dict]] = {"bare textual": [], "govreport-tui": []}
        for _ in range(args.runs):
            rows["bare textual"].append(probe(bare_cmd, size, "就绪", ["1", "2", "3", "4"], idle=2))
            with tempfile.TemporaryDirectory() as tmp:
                draft = draft_on_requests_table(Path(tmp))
                keys = ["1", "2", "3", "4", "tab", "tab", "ctrl-n", "ctrl-b", "ctrl-r"]
                rows["govreport-tui"].append(
                    probe([*app_cmd, str(draft)], size, "一、本年新收", keys, idle=2, env={"GOVREPORT_DIR": tmp})
                )
        for name, results in rows.items():
            ready = statistics.median(r["ready_s"] for r in results)
            idle = statistics.median(r["idle_bytes_per_s"] for r in results)

            def key_bytes(keys: tuple[str, ...], results: list[dict] = results) -> str:
                values = [k["bytes"] for r in results for k in r["keys"] if k["key"] in keys]
                return str(int(statistics.median(values))) if values else "-"

            print(
                f"{size[0]}x{size[1]:<5} {name:14} {ready:8.3f} {key_bytes(('ctrl-r',)):>10} "
                f"{key_bytes(('2', '3', '4')):>8} {key_bytes(('1',)):>12} {key_bytes(('tab',)):>12} "
                f"{key_bytes(('ctrl-n',)):>14} {key_bytes(('ctrl-b',)):>8} {idle:>9}"
            )
        ratio = statistics.median(r["ready_s"] for r in rows["govreport-tui"]) / statistics.median(
            r["ready_s"] for r in rows["bare textual"]
        )
        print(f"{'':8} ready-to-type ratio govreport-tui / bare: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
