"""The text parts' editor: Chinese line breaking inside Textual's TextArea, and wide punctuation on screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.document._document import Document
from textual.document._document_navigator import DocumentNavigator
from textual.document._wrapped_document import WrappedDocument
from textual.strip import Strip
from textual.widgets import TextArea

from tui.app.app import GovReportApp
from tui.app.widgets import text_editor
from tui.app.widgets.display import SCREEN_FORMS, screen_form, screen_width
from tui.app.widgets.text_editor import ChineseNavigator, ChineseWrappedDocument, TextEditor
from tui.core.linebreak import break_lines, break_offsets
from tui.core.width import is_ambiguous

TEXT = (
    "现将本机关政府信息公开工作情况报告如下。2024年，本机关主动公开政府信息 5500余条，制发规章 1件，"
    "依据国办公开办函〔2020〕109号文件的“要求”办理，落实“放管服”改革——取得成效……"
)

HOOKS = [
    (ChineseWrappedDocument, WrappedDocument, "wrap", "compute_wrap_offsets"),
    (ChineseWrappedDocument, WrappedDocument, "wrap_range", "compute_wrap_offsets"),
    (ChineseWrappedDocument, WrappedDocument, "location_to_offset", "cell_len"),
    (ChineseWrappedDocument, WrappedDocument, "offset_to_location", "cell_width_to_column_index"),
    (ChineseWrappedDocument, WrappedDocument, "get_target_document_column", "cell_width_to_column_index"),
    (ChineseNavigator, DocumentNavigator, "get_location_above", "cell_len"),
    (ChineseNavigator, DocumentNavigator, "get_location_below", "cell_len"),
]


@pytest.mark.parametrize(("ours", "theirs", "method", "helper"), HOOKS, ids=[h[2] for h in HOOKS])
def test_the_hooks_into_textual_are_in_place(ours: type, theirs: type, method: str, helper: str) -> None:
    """Fails when a Textual upgrade renames what the editor plugs into: see text_editor's docstring."""
    assert helper in getattr(theirs, method).__code__.co_names
    assert getattr(ours, method) is not getattr(theirs, method)
    assert getattr(ours, method).__globals__[helper] is not getattr(theirs, method).__globals__[helper]
    assert text_editor.column_on_screen.__globals__["cell_len"] is screen_width
    for name in ("_set_document", "_rewrap_and_refresh_virtual_size", "wrapped_document", "navigator"):
        assert hasattr(TextArea, name) or name in TextArea.__init__.__code__.co_names


def test_the_document_wraps_by_the_rules_for_chinese() -> None:
    ours = ChineseWrappedDocument(Document(TEXT), width=42)
    assert ours.lines == [break_lines(TEXT, 42)]
    assert ours.lines[0][:2] == [
        "现将本机关政府信息公开工作情况报告如下。",
        "2024年，本机关主动公开政府信息 5500余条，",
    ]
    textual = WrappedDocument(Document(TEXT), width=42).lines[0]  # Textual's own rule: at spaces, else anywhere
    assert textual[0].endswith("。20") and textual[1].startswith("24年") and textual[3].endswith("“")
    # an edit re-wraps the changed line by the same rule
    document = Document("短行\n" + TEXT)
    wrapped = ChineseWrappedDocument(document, width=30)
    result = document.replace_range((1, 0), (1, 2), "")
    wrapped.wrap_range((1, 0), (1, 2), result.end_location)
    assert wrapped.lines == [["短行"], break_lines(TEXT[2:], 30)]


def test_lines_with_tabs_keep_textuals_rule() -> None:
    line = "甲\t乙丙丁戊己庚辛壬癸子丑寅卯"
    assert ChineseWrappedDocument(Document(line), width=12).lines == WrappedDocument(Document(line), width=12).lines


def test_stand_ins_are_two_columns_wide_for_two_column_characters() -> None:
    for original, shown in SCREEN_FORMS.items():
        assert is_ambiguous(original)
        assert screen_width(original) == 2 and not any(is_ambiguous(ch) for ch in shown)


def _screen_line(area: TextEditor, y: int) -> str:
    return area.render_line(y).text


def _column_text(strip: Strip, x: int) -> str:
    """The character drawn at screen column `x` of a rendered line."""
    text, at = strip.text, 0
    for ch in text:
        if at >= x:
            return ch
        at += screen_width(ch)
    return ""


async def _editor(pilot, app: GovReportApp) -> TextEditor:  # type: ignore[no-untyped-def]
    app.editor.show_section("overview")
    await pilot.pause()
    area = app.editor.view.query_one(TextEditor)
    area.load_text(TEXT)
    await pilot.pause()
    assert app.focused is area
    return area


async def test_wrapped_lines_on_screen_and_what_is_stored(tongjiang_copy: Path) -> None:
    app = GovReportApp(tongjiang_copy, tongjiang_copy.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        area = await _editor(pilot, app)
        expected = break_lines(TEXT, area.wrap_width)
        shown = [_screen_line(area, y).rstrip() for y in range(len(expected))]
        assert shown == [screen_form(line).rstrip() for line in expected]
        assert "「要求」" in shown[2] and "“" not in "".join(shown) and "——" not in "".join(shown)
        assert all(area.render_line(y).cell_length == area.size.width for y in range(len(expected)))
        assert "2024年，" in "".join(shown[:2]) and not any(line.startswith(("，", "。", "」")) for line in shown)
        await pilot.press("end", "x")  # End: the last character of the wrapped line; typing keeps the quotes
        end = len(expected[0]) - 1
        assert app.session.report.text("overview") == TEXT[:end] + "x" + TEXT[end:]


async def test_cursor_keys_selection_and_the_ime_cursor(tongjiang_copy: Path) -> None:
    app = GovReportApp(tongjiang_copy, tongjiang_copy.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        area = await _editor(pilot, app)
        starts = [0, *break_offsets(TEXT, area.wrap_width)]
        third = starts[2]  # the line with “要求”
        quote = TEXT.index("“要求”")
        assert starts[2] < quote < starts[3]

        # the cursor just after “: the IME popup and the drawn cursor are on 要, not one column off
        area.cursor_location = (0, quote + 1)
        await pilot.pause()
        x = screen_width(TEXT[third : quote + 1])
        assert area.cursor_screen_offset == (area.content_region.x + x, area.content_region.y + 2)
        assert app.cursor_position == area.cursor_screen_offset
        assert _column_text(area.render_line(2), x) == "要"

        # down and up keep the screen column, measured as drawn (「 is two columns)
        await pilot.press("up")
        above = area.cursor_location[1]
        assert screen_width(TEXT[starts[1] : above]) in (x - 1, x)
        await pilot.press("down")
        assert area.cursor_location == (0, quote + 1)

        # Home / End stay within the wrapped line; shift+arrows select characters
        await pilot.press("end")
        assert area.cursor_location == (0, starts[3] - 1)
        await pilot.press("home", "shift+right", "shift+right", "shift+right")
        assert area.selected_text == TEXT[third : third + 3]

        # a click lands on the character drawn there
        await pilot.click("#view-overview #text", offset=(x, 2))
        assert area.cursor_location == (0, quote + 1)
        await pilot.click("#view-overview #text", offset=(x - 2, 2))
        assert area.cursor_location == (0, quote)


def test_a_method_that_no_longer_uses_the_helper_is_left_as_it_is() -> None:
    def measure(text: str) -> int:
        return len(text)

    assert text_editor.with_helpers(measure, cell_len=screen_width) is measure
    assert text_editor.with_helpers(WrappedDocument.wrap, cell_len=screen_width) is WrappedDocument.wrap


async def test_a_paste_is_inserted_once(tongjiang_copy: Path) -> None:
    """Textual calls `_on_paste` of every class in the MRO: ours must not insert the text a second time."""
    app = GovReportApp(tongjiang_copy, tongjiang_copy.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        area = await _editor(pilot, app)
        area.cursor_location = (0, 0)
        block = "第一段。\n第二段，有“引号”。"
        app.post_message(events.Paste(block))
        await pilot.pause()
        assert app.session.report.text("overview") == block + TEXT
        assert area.cursor_location == (1, len("第二段，有“引号”。"))


@pytest.mark.parametrize(
    ("pasted", "stored"),
    [
        ("第一段。\r\r第二段。\r\r", "第一段。\n第二段。\n"),  # Windows' CRLF through tmux (LF pasted as CR)
        ("第一段。\r\n\r\n第二段。", "第一段。\n\n第二段。"),  # a real empty line kept
        ("第一段。\r第二段。", "第一段。\n第二段。"),
    ],
)
async def test_pasted_line_ends_become_paragraphs(tongjiang_copy: Path, pasted: str, stored: str) -> None:
    app = GovReportApp(tongjiang_copy, tongjiang_copy.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        area = await _editor(pilot, app)
        area.cursor_location = (0, 0)
        app.post_message(events.Paste(pasted))
        await pilot.pause()
        assert app.session.report.text("overview") == stored + TEXT


async def test_a_paste_with_a_paragraph_too_long_is_refused(tongjiang_copy: Path) -> None:
    app = GovReportApp(tongjiang_copy, tongjiang_copy.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        await _editor(pilot, app)
        app.post_message(events.Paste("字" * (text_editor.LONGEST_LINE + 1)))
        await pilot.pause()
        assert app.session.report.text("overview") == TEXT
