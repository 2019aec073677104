"""Keys that arrive together are applied one at a time, in order, each where the clerk aimed it.

Over SSH keys arrive bunched: a slow link, a busy server, a macro, an input method sending a
phrase, a paste. Textual hands a key to the focused widget's message queue and returns; priority
bindings (Ctrl+S, Ctrl+N …) run at once, and a widget's own bindings run only when the key has
bubbled back up to the app (textual#6605). Keys that arrive together therefore overtake one
another: a digit lands in the cell the cursor is leaving, Ctrl+S saves without the digit typed
just before it.

`KeyGate` lets every key and paste into the app only after the one before it has taken full
effect: its handlers ran, the messages they posted were handled, the screens it opened are up.
Keys typed one at a time pass straight through; only a burst waits, for milliseconds. Nothing
here is specific to a widget, so it stays right when upstream fixes #6605. Mouse events are not
held: a click is aimed at what the clerk sees, and it is the clerk's own pause that places it.

`EscapeThenKey` reads Esc followed at once by a printable key as Esc, then that key. Textual
reads it as Alt+key, or as a macOS Option character (Esc 7 is "¶"): over a slow link the
clerk's cancel and the next digit arrive together.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from textual import events
from textual._context import message_hook
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.drivers import linux_driver
from textual.message import Message
from textual.message_pump import MessagePump

SETTLE_LIMIT = 5.0
"""Seconds of waiting for a key to settle before the next one goes in anyway (nothing waits this long).
Time the app spends working does not count: a slow machine delays keys, it never reorders them."""

BUSY_TURN = 0.05
"""A turn of the event loop longer than this was the app at work (or the machine busy), not waiting."""

QUIET_TURNS = 3
"""Turns of the event loop with no message handled anywhere that make the app idle."""

_SEQUENCE_STARTS = frozenset("[O]P_^\x1b")
"""Characters that after Esc begin an escape sequence (CSI, SS3, OSC, DCS …), not a key of their own."""


class KeyGate:
    """Admit the clerk's keys and pastes to the app one at a time, each after the last took effect."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self._waiting: deque[events.Key | events.Paste] = deque()
        self._busy = False
        self._admitted: events.Event | None = None
        self._task: asyncio.Task[None] | None = None  # asyncio keeps only a weak reference to a task
        self._handled = 0  # messages handled by any widget, screen or the app

    def count_messages(self) -> None:
        """Count every message the app handles; call from within the app's task, before anything mounts.

        Textual calls the `message_hook` of the task that runs a widget for every message it
        handles; widgets' tasks inherit it from the app's.
        """
        previous = message_hook.get(None)

        def counted(message: Message) -> None:
            self._handled += 1
            if previous is not None:
                previous(message)

        message_hook.set(counted)

    def holds(self, event: events.Event) -> bool:
        """True if `event` must wait for its turn (it is kept, in order); False if the app may take it now."""
        if not isinstance(event, (events.Key, events.Paste)) or event.is_forwarded:
            return False
        if event is self._admitted:
            self._admitted = None
            return False
        if self._busy:
            self._waiting.append(event)
            return True
        self._busy = True
        self._task = asyncio.create_task(self._admit_in_turn())
        return False

    @property
    def waiting(self) -> int:
        """Keys and pastes that arrived and wait for their turn."""
        return len(self._waiting)

    async def _admit_in_turn(self) -> None:
        try:
            while True:
                await self.settled()
                if not self._waiting:
                    return
                event = self._waiting.popleft()
                self._admitted = event
                if not self.app.post_message(event):  # the app is closing
                    self._waiting.clear()
                    return
        finally:
            self._busy = False

    def _pumps(self) -> Iterator[MessagePump]:
        yield self.app
        for screen in self.app.screen_stack:
            yield from screen.walk_children(with_self=True)

    def _layout_pending(self) -> bool:
        """The screen has a layout to redo (a section just mounted, a panel resized): sizes are not final.

        Keys that depend on sizes (End in a soft-wrapped line, a page down) must wait for it; the
        screen does it on its update timer, a few milliseconds after it went idle.
        """
        stack = self.app.screen_stack
        if not stack:  # leaving: the screens are gone
            return False
        screen = stack[-1]
        return bool(getattr(screen, "_layout_required", False) or getattr(screen, "_scroll_required", False))

    async def settled(self) -> None:
        """Return once nothing is queued anywhere, no message was handled for a few turns of the loop,
        and the screen's layout is done."""
        loop = asyncio.get_running_loop()
        waited = 0.0  # only the time spent waiting counts to the limit, not the time the app was working
        quiet = 0
        while quiet < QUIET_TURNS and waited < SETTLE_LIMIT:
            handled = self._handled
            pause = 0 if quiet or not self._layout_pending() else 0.004
            before = loop.time()
            await asyncio.sleep(pause)
            took = loop.time() - before
            waited += took if took < pause + BUSY_TURN else pause
            busy = self._handled != handled or any(pump.message_queue_size for pump in self._pumps())
            if busy or self._layout_pending():
                quiet = 0
            else:
                quiet += 1


class EscapeThenKey(XTermParser):
    """Textual's terminal parser, except that Esc followed by a printable key is Esc, then the key."""

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if len(sequence) == 2 and sequence[0] == "\x1b" and sequence[1] not in _SEQUENCE_STARTS:
            key = sequence[1]
            if key.isprintable():
                yield events.Key("escape", "\x1b")
                yield from super()._sequence_to_key_events(key)
                return
        yield from super()._sequence_to_key_events(sequence, alt)


def read_escape_then_key() -> None:
    """Make the terminal driver read input with `EscapeThenKey` (the driver names its parser class)."""
    linux_driver.XTermParser = EscapeThenKey  # type: ignore[attr-defined]
