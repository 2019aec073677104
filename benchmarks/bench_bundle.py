"""Start-up of the one-file bundle (.pyz) against the command installed from the wheelhouse.

    python benchmarks/bench_bundle.py [--bundle DIR] [--python PYTHON] [--runs 9] [--cold 3]

Builds the bundle (scripts/build_bundle.py) unless `--bundle` names a folder that has it, installs
the wheelhouse offline into a fresh virtual environment of PYTHON (default: this one), and times,
for `govreport-tui` and for `python govreport-tui-<version>.pyz` (the python of an empty virtual
environment of PYTHON, so that both start alike), each with an empty HOME:

- `formats`: the whole run of a short command-line call;
- the wizard: from the start until the start screen shows the bundled examples, in an 80×24
  pseudo-terminal (tests/fullscreen.py), then Ctrl+Q.

Each as wall time and as processor time (user + system; for the wizard, of the whole run to
Ctrl+Q), which the load of a shared machine disturbs much less.

Cold is the first run after a fresh install, a fresh copy of the .pyz, and an empty cache folder
(for a Python other than the one that built the bundle, that first run extracts it there); warm
is the median of the repeated runs that follow. Prints medians and the ratio .pyz / installed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fullscreen import open_and_quit  # noqa: E402

READY = "示例：淮安市人民政府2024年"


def bundle_dir(given: Path | None, scratch: Path) -> Path:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    out = given or scratch / "bundle"
    if not (out / f"govreport-tui-{version}.pyz").exists():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "build_bundle.py"), "--out", str(out)], check=True)
    return out


def install(python: str, wheels: Path, where: Path) -> Path:
    """`govreport-tui` from the wheelhouse alone, in a fresh virtual environment of `python`."""
    subprocess.run([python, "-m", "venv", "--without-pip", str(where)], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    pip = [sys.executable, "-m", "pip", "--python", str(where / "bin" / "python"), "install", "--quiet"]
    subprocess.run([*pip, "--no-index", "--find-links", str(wheels), "govreport-tui"], check=True, env=env)
    return where / "bin" / "govreport-tui"


def clean_env(home: Path) -> dict[str, str]:
    return {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}


def time_formats(argv: list[str], home: Path) -> tuple[float, float]:
    """Wall time and processor time of `formats`."""
    start = time.perf_counter()
    proc = subprocess.Popen([*argv, "formats"], stdout=subprocess.DEVNULL, env=clean_env(home), cwd=home)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv} formats: exit status {os.waitstatus_to_exitcode(status)}")
    return wall, usage.ru_utime + usage.ru_stime


def time_app(argv: list[str], home: Path) -> tuple[float, float]:
    """Wall time until the start screen shows, and processor time of the whole run (to Ctrl+Q)."""
    env = dict(clean_env(home), TERM="xterm-256color", TEXTUAL_ANIMATIONS="none")
    session = open_and_quit(argv, READY, cwd=home, env=env)
    if session.ready_after is None or session.cpu is None or not session.quit_cleanly:
        raise SystemExit(f"{argv}: the start screen did not appear\n{session.output[-2000:]!r}")
    return session.ready_after, session.cpu


Timer = Callable[[list[str], Path], tuple[float, float]]
Figures = tuple[float, float, float, float]
"""Medians: cold wall, cold processor, warm wall, warm processor."""


def measure(
    fresh: dict[str, Callable[[], list[str]]], scratch: Path, timer: Timer, runs: int, cold: int
) -> dict[str, Figures]:
    """Per command: median of `cold` first runs (each after `fresh[name]()`), median of `runs` warm runs.

    The commands take turns, run by run and first one then the other first, so that the changing
    load of a shared machine falls on both alike.
    """
    firsts: dict[str, list[tuple[float, float]]] = {name: [] for name in fresh}
    warm: dict[str, list[tuple[float, float]]] = {name: [] for name in fresh}
    argv: dict[str, list[str]] = {}
    homes = {name: scratch / f"home-{i}" for i, name in enumerate(fresh)}
    for turn in range(cold):
        for name, prepare in fresh.items():
            shutil.rmtree(homes[name], ignore_errors=True)
            homes[name].mkdir()
            argv[name] = prepare()
        for name in list(fresh)[:: 1 if turn % 2 == 0 else -1]:
            firsts[name].append(timer(argv[name], homes[name]))
    for turn in range(runs):
        for name in list(fresh)[:: 1 if turn % 2 == 0 else -1]:
            warm[name].append(timer(argv[name], homes[name]))

    def medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
        return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)

    return {name: (*medians(firsts[name]), *medians(warm[name])) for name in fresh}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, help="folder with the .pyz and wheels/ (built if missing)")
    parser.add_argument("--python", default=sys.executable, help="the Python to run both with")
    parser.add_argument("--runs", type=int, default=9, help="warm runs")
    parser.add_argument("--cold", type=int, default=3, help="cold runs (each after a fresh install / copy)")
    args = parser.parse_args()
    version = subprocess.run(
        [args.python, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="bench-bundle-") as tmp:
        scratch = Path(tmp)
        out = bundle_dir(args.bundle, scratch)
        (pyz,) = out.glob("govreport-tui-*.pyz")
        counter = iter(range(1_000_000))

        def fresh_install() -> list[str]:
            return [str(install(args.python, out / "wheels", scratch / f"venv-{next(counter)}"))]

        # The .pyz is run by the Python of an empty virtual environment of the same Python: both
        # commands then start with the same site set-up (none of this machine's own site-packages).
        bare = scratch / "bare"
        subprocess.run([args.python, "-m", "venv", "--without-pip", str(bare)], check=True)

        def fresh_pyz() -> list[str]:
            copy = scratch / f"copy-{next(counter)}" / pyz.name
            copy.parent.mkdir()
            shutil.copyfile(pyz, copy)
            return [str(bare / "bin" / "python"), str(copy)]

        size = pyz.stat().st_size / 1024 / 1024
        rows = []
        for what, timer in (("formats", time_formats), ("wizard to start screen", time_app)):
            found = measure({"installed": fresh_install, "pyz": fresh_pyz}, scratch, timer, args.runs, args.cold)
            rows.append((what, found["installed"], found["pyz"]))
    print(f"Python {version}; {pyz.name} ({size:.1f} MB); medians of {args.cold} cold and {args.runs} warm runs")
    print("| what | | installed cold | .pyz cold | ratio | installed warm | .pyz warm | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for what, installed, bundled in rows:
        for label, offset in (("wall", 0), ("processor", 1)):
            i_cold, i_warm = installed[offset], installed[offset + 2]
            p_cold, p_warm = bundled[offset], bundled[offset + 2]
            print(
                f"| {what} | {label} | {i_cold:.3f} s | {p_cold:.3f} s | {p_cold / i_cold:.2f}× "
                f"| {i_warm:.3f} s | {p_warm:.3f} s | {p_warm / i_warm:.2f}× |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
