"""Burst equivalence: keys that arrive together give the same draft and screen as keys typed slowly.

Hypothesis writes key sequences over the grid and the text parts (moves, digits, Backspace, Esc,
Enter, Tab, Ctrl+N/B, text, Ctrl+S). Each runs twice on a fresh copy of the draft: once posted
to the app all at once, as the terminal driver does with type-ahead, and once pressed one at a
time, each key handled before the next. The drafts on disk and what the editor shows must agree.

The number of examples is kept small for the suite; run longer with
`python -m pytest tests/app/test_burst_equivalence.py --hypothesis-profile=long`.
"""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.widgets import Input, TextArea

from tui.app.app import GovReportApp
from tui.app.widgets.section_views import TableView
from tui.app.widgets.sheet_editor import SheetEditor
from tui.core.store import dumps_report, load_report, save_report

from ..conftest import HUAIAN

settings.register_profile("long", max_examples=300, deadline=None)

MOVES = ["up", "down", "left", "right", "tab", "shift+tab", "enter", "home", "end"]
EDITS = ["backspace", "escape", *"0123456789"]
TEXT = ["a", "Z", "中", "文", "，", "。", "1"]
SECTIONS = ["ctrl+n", "ctrl+b"]
keys = st.lists(
    st.one_of(
        st.sampled_from(MOVES),
        st.sampled_from(EDITS),
        st.sampled_from(TEXT),
        st.sampled_from(SECTIONS),
        st.just("ctrl+s"),
    ),
    min_size=1,
    max_size=14,
)


def key_event(key: str) -> events.Key:
    """The event the terminal driver posts for a key, as Textual's Pilot builds it."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


def _draft(folder: Path, section: str) -> Path:
    draft = folder / "draft.toml"
    report = load_report(HUAIAN)
    report.position = {"section": section, "cell": "new_requests/natural_person"}
    report.set_text("problems", "存在问题")
    save_report(report, draft)
    return draft


def _shown(app: GovReportApp) -> dict[str, Any]:
    """What the clerk sees of the state: section, focus, cursors, the line under the table, the status bar."""
    editor = app.editor
    assert editor is not None
    view = editor.view
    focused = app.focused
    shown: dict[str, Any] = {
        "section": editor.current,
        "focused": type(focused).__name__ if focused is not None else None,
        "status": str(editor.query_one("#statusbar").render()).split("|")[-1],
    }
    if isinstance(view, TableView):
        shown["cursor"] = view.sheet.cursor
        shown["editing"] = (view.sheet.editing, view.sheet.buffer)
        shown["cell line"] = view.cell_line.text
    if isinstance(focused, TextArea):
        shown["text cursor"] = focused.cursor_location
    if isinstance(focused, Input):
        shown["input"] = (focused.value, focused.cursor_position)
    for sheet in editor.query(SheetEditor):
        shown[f"sheet {sheet.part.id}"] = sheet.cursor
    return shown


async def _run(section: str, sequence: list[str], *, burst: bool) -> tuple[str, dict[str, Any]]:
    folder = Path(tempfile.mkdtemp(prefix="burst-"))
    try:
        draft = _draft(folder, section)
        app = GovReportApp(draft, folder)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            if burst:
                for key in sequence:
                    app.post_message(key_event(key))
                await pilot.pause()
                await app.key_gate.settled()
                while app.key_gate.waiting:
                    await pilot.pause(0.05)
                await pilot.pause()
            else:
                for key in sequence:
                    await pilot.press(key)
                    await pilot.pause()
            shown = _shown(app)
            await pilot.press("ctrl+s")
            await pilot.pause()
        return dumps_report(load_report(draft)), shown
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(section=st.sampled_from(["requests", "problems", "appeals", "basic"]), sequence=keys)
async def test_keys_in_a_burst_do_what_the_same_keys_typed_slowly_do(section: str, sequence: list[str]) -> None:
    slow = await _run(section, sequence, burst=False)
    fast = await _run(section, sequence, burst=True)
    assert fast[1] == slow[1], sequence
    assert fast[0] == slow[0], sequence
