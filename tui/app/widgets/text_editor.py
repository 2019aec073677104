"""The editor of the text parts: Textual's TextArea, soft-wrapped by the rules for Chinese.

Two things differ from `TextArea`: where a long line wraps (`tui.core.linebreak`, instead of at
spaces), and how ambiguous-width punctuation is shown (two-column stand-ins, `display.SCREEN_FORMS`,
so that a terminal drawing “ ” one column or two shows the same layout). The text itself is
unchanged. Textual measures and wraps in a few methods of `WrappedDocument` and
`DocumentNavigator` that call module-level helpers (`compute_wrap_offsets`, `cell_len`,
`cell_width_to_column_index`); those methods are reused as they are, with our helpers in their
place (`tests/app/test_text_editor.py` fails if a Textual upgrade renames them).
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, cast

from rich.segment import Segment
from textual import _cells, events
from textual._wrap import compute_wrap_offsets
from textual.document._document_navigator import DocumentNavigator
from textual.document._wrapped_document import WrappedDocument
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import TextArea

from ...core.linebreak import break_offsets
from ...core.paste import pasted_line_ends
from .display import SCREEN_FORMS, screen_form, screen_width

F = TypeVar("F", bound=Callable[..., Any])

LONGEST_LINE = 20_000
"""Characters in one paragraph the editor takes. A report's paragraph has hundreds; Textual's text
area redraws a whole paragraph for each screen line it shows, so a paragraph of a million
characters (a hostile or broken draft, a wrong paste) would take seconds per key."""


def longest_line(text: str) -> int:
    return max((len(line) for line in text.split("\n")), default=0)


def with_helpers(function: F, **helpers: object) -> F:
    """A copy of `function` that finds `helpers` where it looked up module-level names of the same name.

    Falls back to `function` itself if it no longer uses one of those names (a changed Textual).
    """
    if not set(helpers) <= set(function.__code__.co_names):
        return function
    copy = types.FunctionType(
        function.__code__, {**function.__globals__, **helpers}, function.__name__, function.__defaults__
    )
    copy.__kwdefaults__ = function.__kwdefaults__
    copy.__qualname__ = function.__qualname__
    copy.__doc__ = function.__doc__
    return cast(F, copy)


def wrap_offsets(
    text: str,
    width: int,
    tab_size: int,
    fold: bool = True,
    precomputed_tab_sections: list[tuple[str, int]] | None = None,
) -> list[int]:
    """Where a line of the document wraps: `compute_wrap_offsets`'s signature, the rules for Chinese.

    A line with a tab keeps Textual's rule, which knows how wide each tab is drawn.
    """
    if "\t" in text:
        return compute_wrap_offsets(text, width, tab_size, fold, precomputed_tab_sections)
    return break_offsets(text, width)


column_on_screen = with_helpers(_cells.cell_width_to_column_index, cell_len=screen_width)
"""The column at a screen offset within a line, measuring characters as they are shown."""


class ChineseWrappedDocument(WrappedDocument):
    """Wraps by `tui.core.linebreak`; offsets on screen count the stand-ins of ambiguous punctuation."""

    wrap = with_helpers(WrappedDocument.wrap, compute_wrap_offsets=wrap_offsets)
    wrap_range = with_helpers(WrappedDocument.wrap_range, compute_wrap_offsets=wrap_offsets)
    location_to_offset = with_helpers(WrappedDocument.location_to_offset, cell_len=screen_width)
    offset_to_location = with_helpers(WrappedDocument.offset_to_location, cell_width_to_column_index=column_on_screen)
    get_target_document_column = with_helpers(
        WrappedDocument.get_target_document_column, cell_width_to_column_index=column_on_screen
    )


class ChineseNavigator(DocumentNavigator):
    """Up and down keep the cursor's screen column, measured as the line is shown."""

    get_location_above = with_helpers(DocumentNavigator.get_location_above, cell_len=screen_width)
    get_location_below = with_helpers(DocumentNavigator.get_location_below, cell_len=screen_width)


_STAND_INS = frozenset(SCREEN_FORMS)


MARK = "govreport-finding"
"""The name under which the sentences that findings are about are styled (a TextArea highlight)."""


def line_marks(text: str, ranges: list[tuple[int, int]]) -> dict[int, list[tuple[int, int | None]]]:
    """Character ranges of a text as TextArea highlights: per line, UTF-8 byte offsets (None: to the end)."""
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    out: dict[int, list[tuple[int, int | None]]] = {}
    for start, end in ranges:
        for row, (line, first) in enumerate(zip(lines, starts, strict=True)):
            lo, hi = max(start, first), min(end, first + len(line))
            if lo >= hi:
                continue
            byte = len(line[: lo - first].encode())
            stop = None if hi == first + len(line) else len(line[: hi - first].encode())
            out.setdefault(row, []).append((byte, stop))
    return out


class TextEditor(TextArea):
    """A TextArea for Chinese prose: line breaks by the rules for Chinese, wide punctuation on screen.

    `mark` underlines stretches of the text (the sentences findings are about), through TextArea's
    own highlights, so they follow wrapping and scrolling as syntax highlighting does.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"text-editor--mark"}
    DEFAULT_CSS = """
    TextEditor > .text-editor--mark { text-style: underline; color: $text-warning; }
    """

    _marks: tuple[tuple[int, int], ...] = ()

    def mark(self, ranges: list[tuple[int, int]]) -> None:
        """Underline these character ranges of the text (offsets as in the report's text)."""
        marks = tuple(sorted(ranges))
        if marks == self._marks:
            return
        self._marks = marks
        self._build_highlight_map()
        self.refresh()

    def _build_highlight_map(self) -> None:
        super()._build_highlight_map()
        if self._marks:
            for row, spans in line_marks(self.text, list(self._marks)).items():
                self._highlights[row].extend((start, end, MARK) for start, end in spans)

    def render_lines(self, crop: Region) -> list[Strip]:
        if self._marks and self._theme is not None and MARK not in self._theme.syntax_styles:
            style = self.get_component_rich_style("text-editor--mark")
            self._theme.syntax_styles = {**self._theme.syntax_styles, MARK: style}
        return super().render_lines(crop)

    def _set_document(self, text: str, language: str | None) -> None:
        super()._set_document(text, language)
        self.wrapped_document = ChineseWrappedDocument(self.document, tab_width=self.indent_width)
        self.navigator = ChineseNavigator(self.wrapped_document)
        self._rewrap_and_refresh_virtual_size()

    async def _on_paste(self, event: events.Paste) -> None:
        # Textual then calls `TextArea._on_paste` itself (it dispatches to every class of the MRO),
        # which inserts the text: calling it from here too would insert it twice.
        if longest_line(event.text) > LONGEST_LINE:
            event.stop()
            event.prevent_default()
            self.notify(f"没有粘贴：其中一段超过 {LONGEST_LINE} 字，不像是报告的文字。", severity="warning")
            return
        event.text = pasted_line_ends(event.text)  # Windows line ends through tmux: no blank line between paragraphs

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if _STAND_INS.isdisjoint(strip.text):
            return strip
        # The stand-ins are one column wider than Rich counts the originals; the line was wrapped
        # with room for that (ambiguous characters count 2), so only padding is cropped off.
        shown = Strip([Segment(screen_form(text), style, control) for text, style, control in strip])
        return shown.crop(0, strip.cell_length)
