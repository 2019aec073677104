"""The cursor stays distinguishable from a cell marked as wrong, in every colour depth and without colour.

The installed app runs in a pseudo-terminal under TERM=screen (16 colours), xterm-256color and
NO_COLOR; the screen is read back with pyte, attributes included.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import HUAIAN
from .terminal import Terminal, draft_at


def _attributes(term: Terminal, row_text: str, value: str) -> tuple[bool, bool]:
    """(reverse, underline) of the cell showing `value` on the screen line that shows `row_text`."""
    screen = term.screen
    for y in range(screen.lines):
        line = "".join(screen.buffer[y][x].data for x in range(screen.columns))
        if row_text in line and value in line:
            cells = [screen.buffer[y][x] for x in range(screen.columns)]
            text = "".join(c.data or "" for c in cells)
            start = text.index(value, text.index(row_text) + len(row_text))
            # index in `text` is an index in `cells` only up to the wide characters before it
            x = next(k for k in range(len(cells)) if "".join(c.data for c in cells[:k]) == text[:start])
            char = cells[x]
            return bool(char.reverse), bool(char.underscore)
    raise AssertionError(f"{row_text} … {value} not on screen:\n{term.text()}")


@pytest.mark.parametrize(
    "env",
    [{"TERM": "screen"}, {"TERM": "xterm-256color"}, {"TERM": "xterm-256color", "NO_COLOR": "1"}],
    ids=["16-colours", "256-colours", "no-colour"],
)
def test_cursor_and_error_marks_look_different(tmp_path: Path, env: dict[str, str]) -> None:
    draft = draft_at(HUAIAN, tmp_path / "draft.toml", section="requests", cell="new_requests/commercial")
    with Terminal(draft, env=env) as term:
        term.wait_for("本年新收")
        term.type(["5", "4", "down"])  # 第一项 no longer balances: 54 and the column total are marked
        term.wait_for("[错误]")
        on_error = _attributes(term, "一、本年新收", "54")  # marked, cursor elsewhere
        cursor = _attributes(term, "二、上年结转", "0")  # the cursor (also marked: same column)
        assert term.quit() == 0
    assert on_error == (False, True)  # a mark: underlined, not reversed
    assert cursor[0] is True  # the cursor: reverse video, whatever else it is
