"""Keeping the screen cheap and sane: safe characters, and focus changes that repaint little."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events

from ...core.values import strip_controls

SCREEN_FORMS = {
    "“": "「",
    "”": "」",
    "‘": "『",
    "’": "』",
    "—": "－",
    "…": "..",
    "·": "・",
    "○": "〇",
}
"""Ambiguous-width punctuation and what the screen shows instead: 2 columns on every terminal.

A terminal draws “ ” — … · ○ one column wide or two, depending on its settings (and Rich counts
one). Their stand-ins are two columns everywhere, as the exports count the originals
(`tui.core.width`), so lines and tables look the same on any terminal as in a Chinese font.
"""

_SCREEN_FORMS = str.maketrans(SCREEN_FORMS)


def screen_form(text: str) -> str:
    """`text` with ambiguous-width punctuation replaced by its two-column stand-in."""
    return text.translate(_SCREEN_FORMS)


def screen_text(text: str) -> str:
    """Text safe to show: no control characters, no ambiguous-width punctuation."""
    return screen_form(strip_controls(text))


def screen_width(text: str) -> int:
    """Columns `text` takes on screen, once shown with `screen_form`."""
    return cell_len(screen_form(text))


class OwnFocusRepaint:
    """Mixin for Line API widgets that repaint what focus changes themselves (in on_focus/on_blur).

    Textual repaints a whole widget when it gains or loses focus; over a thin link that is a
    screenful of bytes for a table whose only change is the cursor cell.
    """

    has_focus: bool

    def _on_focus(self, event: events.Focus) -> None:
        event.prevent_default()  # not Widget._on_focus, with its full repaint
        self.has_focus = True
        parent = self.parent  # type: ignore[attr-defined]
        if parent is not None:
            parent.post_message(events.DescendantFocus(self))  # type: ignore[arg-type]

    def _on_blur(self, event: events.Blur) -> None:
        event.prevent_default()
        self.has_focus = False
        parent = self.parent  # type: ignore[attr-defined]
        if parent is not None:
            parent.post_message(events.DescendantBlur(self))  # type: ignore[arg-type]
