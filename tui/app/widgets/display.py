"""Keeping the screen cheap and sane: safe characters, and focus changes that repaint little."""

from __future__ import annotations

from textual import events

from ...core.values import strip_controls

_AMBIGUOUS = str.maketrans(
    {
        "“": "「",
        "”": "」",
        "‘": "『",
        "’": "』",
        "—": "－",
        "…": "...",
        "·": "・",
    }
)
"""East Asian 'ambiguous' characters: 1 column in Rich, 2 in terminals set to 'wide'."""


def screen_text(text: str) -> str:
    """Text safe to show: no control characters, no ambiguous-width punctuation."""
    return strip_controls(text).translate(_AMBIGUOUS)


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
