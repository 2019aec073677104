"""Time `import_report` on the real published texts, the hand-made inputs and our own exports."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from tui.core.importer import import_report
from tui.core.render import render
from tui.core.resources import resource_dir
from tui.core.store import load_report

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def median_ms(source: Path | str, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        import_report(source)
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)[runs // 2]


def main() -> int:
    print(f"python {sys.version.split()[0]}; median of 7 imports")
    sources: list[tuple[str, Path | str]] = [(p.name, p) for p in sorted(DATA.glob("*.txt"))]
    sources += [(p.name, p) for p in sorted((DATA / "import").iterdir()) if p.suffix in (".txt", ".html")]
    for path in sorted(resource_dir("reports").glob("*.toml")):
        report = load_report(path)
        sources += [(f"{path.stem} → {kind}", render(report, kind)) for kind in ("md", "txt", "html")]
    import_report(sources[0][1])  # formats loaded, label indexes built
    for name, source in sources:
        size = len(source.read_bytes()) if isinstance(source, Path) else len(source.encode("utf-8"))
        print(f"{name:50} {size / 1024:6.1f} KB {median_ms(source):7.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
