"""Text for the screen: characters whose width terminals disagree on, replaced by safe ones."""

from __future__ import annotations

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
