"""Chinese prose on screen, broken into lines by the rules for Chinese (`tui.core.linebreak`)."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from ...core.linebreak import break_lines
from .display import screen_text


class Prose(Widget):
    """A few paragraphs of text, wrapped at any character but never before ，。 or after （“.

    Textual's own wrapping breaks at spaces and ASCII/Chinese boundaries; this one breaks as the
    text editor and the plain-text export do.
    """

    DEFAULT_CSS = """
    Prose { height: auto; }
    """

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = screen_text(text)

    def update(self, text: str) -> None:
        """Show other text (a new layout only if the number of lines changes)."""
        text = screen_text(text)
        if text == self.text:
            return
        width = self.content_size.width
        relayout = not width or len(break_lines(text, width)) != len(break_lines(self.text, width))
        self.text = text
        self.refresh(layout=relayout)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(break_lines(self.text, max(width, 2)))

    def render(self) -> Text:
        return Text("\n".join(break_lines(self.text, max(self.content_size.width, 2))))
