"""The review desk at scale: 100 and 1,000 generated unit drafts, in one run.

Prints, for each size: `govreport-tui check DIR --summary` wall time and peak memory (maximum
resident set size of the process, from `wait4`), the same with `--xlsx`, and the review
screen's time until the whole list is read (`govreport-tui review DIR` in a pseudo-terminal,
until the summary line `共 N 个单位` appears, measured with ../shared/tools/ptyprobe.py).
Then, on the 1,000 drafts at 80×24 and 120×40, the bytes sent for a move (Down), a sort
(Ctrl+O), a filter (Ctrl+L) and a full repaint (Ctrl+R), for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = next(
    (p / "shared" / "tools" / "ptyprobe.py" for p in ROOT.parents if (p / "shared" / "tools" / "ptyprobe.py").exists()),
    ROOT.parent / "shared" / "tools" / "ptyprobe.py",
)
sys.path.insert(0, str(ROOT))

from tests.units import damage, write_units  # noqa: E402


def timed(cmd: list[str]) -> tuple[float, int, int]:
    """Wall seconds, peak RSS (KiB) and exit status of a command (output discarded)."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    return time.monotonic() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def probe(cmd: list[str], size: tuple[int, int], ready: str, keys: list[str], env: dict[str, str]) -> dict:
    args = [sys.executable, str(PROBE), "--cols", str(size[0]), "--rows", str(size[1]), "--ready", ready]
    args += ["--timeout", "120"]
    for k in keys:
        args += ["--key", k]
    for k, v in env.items():
        args += ["--env", f"{k}={v}"]
    out = subprocess.run([*args, "--", *cmd], capture_output=True, text=True, timeout=300)
    return json.loads(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (medians are printed)")
    parser.add_argument("--sizes", default="100,1000", help="numbers of drafts, separated by commas")
    args = parser.parse_args()
    app = shutil.which("govreport-tui") or str(Path(sys.executable).parent / "govreport-tui")
    import tui

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(tui.__file__).parent)], check=True)
    heads = ("check s", "check MiB", "+xlsx s", "+xlsx MiB", "screen ready s", "ratio")
    print(f"{'drafts':>7} " + " ".join(f"{h:>10}" for h in heads))
    keys_result: dict[tuple[int, int], list[dict]] = {}
    for count in (int(n) for n in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "units"
            written = write_units(folder, count, subfolders=max(1, count // 50))
            damage(written[-1][0])
            checks, xlsx, ready = [], [], []
            for _ in range(args.runs):
                checks.append(timed([app, "check", str(folder), "--summary"]))
                xlsx.append(timed([app, "check", str(folder), "--summary", "--xlsx", str(Path(tmp) / "问题清单.xlsx")]))
                if PROBE.exists():
                    env = {"GOVREPORT_DIR": tmp}
                    sizes = ((80, 24), (120, 40)) if count == max(int(n) for n in args.sizes.split(",")) else ()
                    result = probe([app, "review", str(folder)], (80, 24), f"共 {count} 个单位", [], env)
                    ready.append(result["ready_s"])
                    for size in sizes:
                        keys = ["down", "down", "down", "ctrl-o", "ctrl-o", "ctrl-l", "ctrl-l", "ctrl-r"]
                        keys_result.setdefault(size, []).append(
                            probe([app, "review", str(folder)], size, f"共 {count} 个单位", keys, env)
                        )
            check_s = statistics.median(c[0] for c in checks)
            ready_s = statistics.median(ready) if ready else float("nan")
            figures = (
                check_s,
                max(c[1] for c in checks) / 1024,
                statistics.median(x[0] for x in xlsx),
                max(x[1] for x in xlsx) / 1024,
                ready_s,
                ready_s / check_s,
            )
            print(f"{count:>7} " + " ".join(f"{f:>10.2f}" for f in figures))
    for size, results in keys_result.items():

        def median_bytes(key: str, results: list[dict] = results) -> int:
            return int(statistics.median(k["bytes"] for r in results for k in r["keys"] if k["key"] == key))

        print(
            f"{size[0]}x{size[1]}: move {median_bytes('down')} B, sort {median_bytes('ctrl-o')} B, "
            f"filter {median_bytes('ctrl-l')} B, full repaint {median_bytes('ctrl-r')} B"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
