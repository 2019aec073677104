"""Saving whatever it takes on the way out: the draft, else a copy beside it, else one in the drafts folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tui.core import rescue as rescue_module
from tui.core.formats import CellRef
from tui.core.rescue import has_unsaved_work, rescue, sibling
from tui.core.session import DraftSession
from tui.core.store import load_report

from ..conftest import HUAIAN

CELL = CellRef("requests", "new_requests", "natural_person")


@pytest.fixture
def session(tmp_path: Path) -> DraftSession:
    draft = tmp_path / "unit" / "draft.toml"
    draft.parent.mkdir()
    shutil.copy(HUAIAN, draft)
    session = DraftSession.open(draft)
    session.set_cell(CELL, 77)
    return session


def test_nothing_to_save(tmp_path: Path) -> None:
    draft = tmp_path / "draft.toml"
    shutil.copy(HUAIAN, draft)
    session = DraftSession.open(draft)
    assert not has_unsaved_work(session) and rescue(session, tmp_path) is None


def test_the_draft_itself_first(session: DraftSession, tmp_path: Path) -> None:
    assert rescue(session, tmp_path) == session.path
    assert session.path is not None and load_report(session.path).value(CELL) == 77


def test_a_copy_when_the_draft_changed_on_disk(session: DraftSession, tmp_path: Path) -> None:
    assert session.path is not None
    original = session.path
    original.write_text(original.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    where = rescue(session, tmp_path)
    assert where is not None and where.parent == original.parent and ".unsaved-" in where.name
    assert load_report(where).value(CELL) == 77 and load_report(original).value(CELL) != 77


def test_the_drafts_folder_when_the_draft_folder_is_gone(session: DraftSession, tmp_path: Path) -> None:
    """The share the draft lived on went away (unmounted, deleted): the work lands in the drafts folder."""
    assert session.path is not None
    shutil.rmtree(session.path.parent)
    where = rescue(session, tmp_path)
    assert where is not None and where.parent == tmp_path and load_report(where).value(CELL) == 77


def test_a_name_another_session_took_in_the_same_second_is_not_the_end(
    session: DraftSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two sessions rescued into the drafts folder at once: the one that finds its name taken takes the next."""
    assert session.path is not None
    shutil.rmtree(session.path.parent)
    taken = tmp_path / "unsaved-taken.toml"
    taken.write_text("别人的草稿", encoding="utf-8")
    names = iter([taken, tmp_path / "unsaved-next.toml"])
    beside = rescue_module.free_name  # the copy beside the draft: its folder is gone, it fails anyway

    def free_name(folder: Path, stem: str, suffix: str) -> Path:
        return next(names) if folder == tmp_path else beside(folder, stem, suffix)

    monkeypatch.setattr(rescue_module, "free_name", free_name)
    assert rescue(session, tmp_path) == tmp_path / "unsaved-next.toml"
    assert taken.read_text(encoding="utf-8") == "别人的草稿"


def test_read_only_sessions_are_never_written(session: DraftSession, tmp_path: Path) -> None:
    session.read_only = True
    assert not has_unsaved_work(session) and rescue(session, tmp_path) is None


def test_copies_made_within_the_same_second_never_overwrite_one_another(tmp_path: Path) -> None:
    draft = tmp_path / "草稿.toml"
    names = set()
    for _ in range(3):
        copy = sibling(draft, "副本")
        copy.write_text("x", encoding="utf-8")
        names.add(copy.name)
    assert len(names) == 3 and all(name.startswith("草稿.副本-") and name.endswith(".toml") for name in names)
