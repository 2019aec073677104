"""The drafts folder: where it is, what is in it, and new file names."""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from .checks import check_report, count_by_severity
from .files import atomic_write, make_dirs
from .linked_files import load_linked_files
from .lock import lock_path
from .resources import resource_files, toml_files
from .store import DraftError, load_report, parse_draft_bytes, report_from_data


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
        load_linked_files(report, path)  # the year-over-year checks count too, as in the editor
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


def bundled_examples() -> list[Traversable]:
    """The example drafts shipped with the program (files on disk, or entries inside the .pyz)."""
    return toml_files(resource_files("reports"))


def example_title(example: Traversable) -> str | None:
    """The title of a bundled example, or None if it cannot be read."""
    try:
        where = Path(example.name)
        return report_from_data(parse_draft_bytes(where, example.read_bytes()), example.name).title
    except (OSError, DraftError):
        return None


def copy_example(example: Traversable, directory: Path) -> Path:
    """The copy of a bundled example in the drafts folder, made on first use (the original stays intact)."""
    target = ensure_dir(directory) / example.name
    if not os.path.lexists(target):
        with contextlib.suppress(FileExistsError):  # another session copied it just now
            atomic_write(target, example.read_bytes(), backup=False, replace=False)
    return target


def _in_a_checkout(path: Path) -> bool:
    """`reports/<name>.toml` of a checkout of this project (its pyproject names govreport-tui)."""
    project = path.parent.parent / "pyproject.toml"
    if path.parent.name != "reports" or not project.is_file():
        return False
    with contextlib.suppress(OSError, UnicodeDecodeError):
        return 'name = "govreport-tui"' in project.read_text(encoding="utf-8")
    return False


def bundled_example_at(path: Path) -> Traversable | None:
    """The bundled example a path is, wherever it was opened from: the installed package, a checkout
    of this project, or a byte-for-byte copy of one; None for the clerk's own drafts."""
    examples = {example.name: example for example in bundled_examples()}
    example = examples.get(path.name)
    if example is None or not path.is_file() or path.is_symlink():
        return None
    if isinstance(example, Path) and path.resolve() == example.resolve():
        return example
    if _in_a_checkout(path.resolve()):
        return example
    with contextlib.suppress(OSError):
        if path.stat().st_size < 1024 * 1024 and path.read_bytes() == example.read_bytes():
            return example
    return None


def copy_if_example(path: Path, directory: Path) -> Path:
    """A bundled example is opened as a copy in the drafts folder, so the original stays intact."""
    example = bundled_example_at(path)
    return copy_example(example, directory) if example is not None else path
