"""Saving whatever it takes when the program must stop now: the line dropped, or something went wrong."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from .session import DraftSession
from .store import DraftError


def sibling(path: Path, tag: str) -> Path:
    """`草稿.toml` → `草稿.<tag>-20250101-120000.toml`, for copies that must not overwrite anything."""
    return free_name(path.parent, f"{path.stem}.{tag}", path.suffix)


def free_name(folder: Path, stem: str, suffix: str) -> Path:
    """`<stem>-20250101-120000<suffix>` in `folder`, then `-2`, `-3` … within the same second: a name no file has."""
    stem = f"{stem}-{time.strftime('%Y%m%d-%H%M%S')}"
    target, n = folder / f"{stem}{suffix}", 2
    while os.path.lexists(target):
        target, n = folder / f"{stem}-{n}{suffix}", n + 1
    return target


def has_unsaved_work(session: DraftSession) -> bool:
    """Whether the session holds anything the file does not (changes, or where the clerk was)."""
    return not session.read_only and (session.dirty or session.position_moved)


def rescue(session: DraftSession, directory: Path) -> Path | None:
    """Save unsaved work somewhere, never raising; where it went, or None (nothing to save, or nowhere took it).

    The draft itself is tried first, unless it changed on disk since it was read (then a copy
    keeps both); a draft that cannot be written is saved as a copy beside it, then in the
    drafts folder.
    """
    if not has_unsaved_work(session):
        return None
    path = session.path

    def targets() -> Iterator[Path]:
        if path is not None:
            yield path
            yield sibling(path, "unsaved")
        for _ in range(3):  # a name taken by another session rescued in the same second: the next one
            yield free_name(directory, "unsaved", ".toml")

    for target in targets():
        with contextlib.suppress(DraftError, OSError):
            return session.save(target)
    return None
