"""The places where the app leans on Textual's (or Python's) internals, each with a test that fails when
an upgrade moves them. Textual is pinned exactly in pyproject.toml; these say what to check when
the pin moves.
"""

from __future__ import annotations

import argparse
import inspect
from pathlib import Path

from textual import events
from textual._context import message_hook
from textual.app import App
from textual.drivers import linux_driver
from textual.message_pump import MessagePump
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import OptionList

from tui.app.app import GovReportApp
from tui.app.screens.editor import EditorScreen
from tui.app.type_ahead import EscapeThenKey, read_escape_then_key
from tui.app.widgets.findings_list import FindingsList
from tui.app.widgets.keybar import KeyBar
from tui.app.widgets.sheet_editor import SheetEditor


def test_the_key_gate_hooks() -> None:
    """KeyGate counts messages through the `message_hook` context variable and reads queue sizes."""
    assert message_hook.name == "message_hook"
    assert isinstance(MessagePump.__dict__["message_queue_size"], property)
    # Pilot sets the same hook; the gate chains to it instead of replacing it
    assert "message_hook" in inspect.signature(App.run_test).parameters


def test_the_key_gate_reads_the_screens_pending_layout() -> None:
    """KeyGate waits while a screen has `_layout_required` or `_scroll_required` set (read with getattr:
    if Textual renames them the gate stops waiting for layouts, silently; this says so loudly)."""
    screen = Screen()
    assert isinstance(screen._layout_required, bool)
    assert isinstance(screen._scroll_required, bool)
    source = inspect.getsource(Screen)
    assert "self._layout_required = True" in source or "_layout_required = True" in source


def test_the_terminal_parser_seam() -> None:
    """The Linux driver looks its parser class up by name in its module: that is where EscapeThenKey goes."""
    assert "XTermParser(" in inspect.getsource(linux_driver.LinuxDriver.run_input_thread)
    read_escape_then_key()
    assert linux_driver.XTermParser is EscapeThenKey  # type: ignore[attr-defined]
    parser = EscapeThenKey()
    keys = [(e.key, e.character) for e in parser.feed("\x1b7") if isinstance(e, events.Key)]
    keys += [(e.key, e.character) for e in parser.feed("\x1b中") if isinstance(e, events.Key)]
    assert keys == [("escape", "\x1b"), ("7", "7"), ("escape", "\x1b"), ("中", "中")]
    arrows = [e.key for e in EscapeThenKey().feed("\x1b[B") if isinstance(e, events.Key)]
    assert arrows == ["down"]  # escape sequences are still what they were


def test_own_focus_repaint_replaces_the_widget_focus_handlers() -> None:
    """Line API widgets repaint their own focus changes; Textual's handlers they replace must still exist."""
    for name in ("_on_focus", "_on_blur"):
        assert callable(getattr(Widget, name))
        assert name in SheetEditor.__mro__[1].__dict__  # OwnFocusRepaint
    assert hasattr(events, "DescendantFocus") and hasattr(events, "DescendantBlur")


def test_the_editor_overrides_the_screen_focus_reactive() -> None:
    """A focus change repaints only the widgets involved: the screen's `focused` reactive, without repaint."""
    assert isinstance(Screen.__dict__["focused"], Reactive)
    own = EditorScreen.__dict__["focused"]
    assert isinstance(own, Reactive) and own._repaint is False


async def test_the_key_bar_shows_the_screen_and_app_bindings(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = str(app.screen.query_one(KeyBar).render())
        for node in (app.screen, app):
            for binding in node.BINDINGS:
                if getattr(binding, "show", False) and app.check_action(binding.action, ()):
                    assert binding.description in shown, binding


def test_the_sheet_runs_its_own_bindings_from_its_binding_map() -> None:
    sheet_bindings = SheetEditor._merge_bindings()
    assert "down" in sheet_bindings.key_to_bindings and "ctrl+o" in sheet_bindings.key_to_bindings


def test_no_widget_attribute_shadows_a_textual_one() -> None:
    """The crash of `FindingsList._options` (a method over OptionList's list); mypy (tests/test_repo.py)
    catches the general case, this the two that happened."""
    assert "_options" not in FindingsList.__dict__
    assert "_compose" not in SheetEditor.__dict__ and "_render" not in SheetEditor.__dict__
    assert issubclass(FindingsList, OptionList)


def test_unexpected_errors_go_through_handle_exception() -> None:
    """The app saves and leaves with one Chinese line by overriding `_handle_exception` and clearing the
    traceback Textual would print (`_exit_renderables`)."""
    assert "_handle_exception" in App.__dict__ and "_handle_exception" in GovReportApp.__dict__
    assert "_exit_renderables" in inspect.getsource(App._print_error_renderables)


def test_argparse_messages_are_translated_through_its_gettext() -> None:
    """argparse looks its English up through `argparse._`; the command line replaces that function."""
    from tui.cli import _ARGPARSE_ZH, build_parser

    build_parser()
    assert argparse._("usage: ") == "用法："  # type: ignore[attr-defined]
    source = inspect.getsource(argparse)
    for english in _ARGPARSE_ZH:
        assert english.replace("\n", "\\n") in source or english in source, english
