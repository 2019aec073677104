"""The drafts folder: where it is, what is in it, and new file names."""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .checks import check_report, count_by_severity
from .files import atomic_write, make_dirs
from .lock import lock_path
from .resources import resource_dir
from .store import DraftError, load_report


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
    """The drafts folder, created owner-only (with any missing parents) whatever the umask."""
    return make_dirs(path)


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
    review: str = ""  # the review status (草稿 … 通过) once it has been submitted
    comment: str = ""  # the last review comment (what to correct, after 退回)


def scan(directory: Path) -> list[DraftInfo]:
    """Every draft in a folder, newest first; unreadable ones are listed with the reason."""
    if not directory.is_dir():
        return []
    out = []
    for path in directory.glob("*.toml"):
        try:
            mtime = path.lstat().st_mtime
        except OSError:
            continue  # gone since the listing
        try:
            report = load_report(path)
        except DraftError as exc:
            out.append(DraftInfo(path, path.name, mtime=mtime, problem=str(exc)))
            continue
        counts = count_by_severity(check_report(report))
        last = report.review.last_comment
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
                review="" if report.review.empty else report.review.status.label,
                comment=last.comment if last else "",
            )
        )
    return sorted(out, key=lambda d: -d.mtime)


def new_draft_path(directory: Path, org: str, year: int) -> Path:
    """A file name for a new draft that does not exist yet, e.g. `2025-某县民政局.toml`."""
    stem = re.sub(r"[\\/:*?\"<>|\s]+", "", f"{year}-{org}")[:60] or str(year)
    path = directory / f"{stem}.toml"
    n = 2
    while os.path.lexists(path) or os.path.lexists(lock_path(path)):
        path = directory / f"{stem}-{n}.toml"
        n += 1
    return path


def copy_if_example(path: Path, directory: Path) -> Path:
    """A bundled example is opened as a copy in the drafts folder, so the original stays intact."""
    examples = resource_dir("reports").resolve()
    if path.resolve().parent != examples:
        return path
    target = ensure_dir(directory) / path.name
    if not os.path.lexists(target):
        with contextlib.suppress(FileExistsError):  # another session copied it just now
            atomic_write(target, path.read_bytes(), backup=False, replace=False)
    return target
