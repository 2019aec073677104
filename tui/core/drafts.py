"""The drafts folder: where it is, what is in it, and new file names."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from importlib.resources.abc import Traversable
from pathlib import Path

from .checks import check_report, count_by_severity
from .resources import resource_files, toml_files
from .store import DraftError, load_report, report_from_data


def drafts_dir(explicit: Path | None = None) -> Path:
    """`--dir`, else `$GOVREPORT_DIR`, else the user's data directory (XDG)."""
    if explicit is not None:
        return explicit
    env = os.environ.get("GOVREPORT_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("govreport-tui") / "drafts"


def ensure_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


@dataclass(frozen=True)
class DraftInfo:
    """One draft as the start screen lists it."""

    path: Path
    title: str = ""
    org: str = ""
    year: int = 0
    format_name: str = ""
    errors: int = 0
    warnings: int = 0
    mtime: float = 0.0
    problem: str = ""  # why it could not be read


def scan(directory: Path) -> list[DraftInfo]:
    """Every draft in a folder, newest first; unreadable ones are listed with the reason."""
    if not directory.is_dir():
        return []
    out = []
    for path in directory.glob("*.toml"):
        mtime = path.stat().st_mtime if path.exists() else 0.0
        try:
            report = load_report(path)
        except DraftError as exc:
            out.append(DraftInfo(path, path.name, mtime=mtime, problem=str(exc)))
            continue
        counts = count_by_severity(check_report(report))
        out.append(
            DraftInfo(
                path,
                report.title,
                report.org,
                report.year,
                report.format.name,
                counts["error"],
                counts["warning"],
                mtime,
            )
        )
    return sorted(out, key=lambda d: -d.mtime)


def new_draft_path(directory: Path, org: str, year: int) -> Path:
    """A file name for a new draft that does not exist yet, e.g. `2025-某县民政局.toml`."""
    stem = re.sub(r"[\\/:*?\"<>|\s]+", "", f"{year}-{org}")[:60] or str(year)
    path = directory / f"{stem}.toml"
    n = 2
    while path.exists():
        path = directory / f"{stem}-{n}.toml"
        n += 1
    return path


def bundled_examples() -> list[Traversable]:
    """The example drafts shipped with the program (files on disk, or entries inside the .pyz)."""
    return toml_files(resource_files("reports"))


def example_title(example: Traversable) -> str | None:
    """The title of a bundled example, or None if it cannot be read."""
    try:
        return report_from_data(tomllib.loads(example.read_text(encoding="utf-8"), parse_float=Decimal)).title
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, DraftError):
        return None


def copy_example(example: Traversable, directory: Path) -> Path:
    """The copy of a bundled example in the drafts folder, made on first use (the original stays intact)."""
    target = ensure_dir(directory) / example.name
    if not target.exists():
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(example.read_bytes())
    return target


def copy_if_example(path: Path, directory: Path) -> Path:
    """A bundled example given by its path on disk is opened as a copy in the drafts folder."""
    examples = resource_files("reports")
    if not isinstance(examples, Path) or path.resolve().parent != examples.resolve():
        return path  # inside a .pyz the examples have no path on disk: a path given is the clerk's own file
    return copy_example(path, directory)
