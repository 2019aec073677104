"""When to save a draft without being asked: soon after the clerk pauses, and regularly while they go on."""

from __future__ import annotations

import os
from dataclasses import dataclass

MIN_DELAY = 0.05
"""The shortest wait ever asked of a timer: a zero delay is never asked for (Textual 8.2.8's
`set_timer(0.0, …)` never calls back)."""


@dataclass
class AutosaveSchedule:
    """Save `quiet` seconds after the last change, and at least every `most` seconds while changes go on.

    The caller gives the time (monotonic seconds), so the policy is tested without a clock. Only
    changes that really changed the draft count; after a save (or when there is nothing to save)
    the schedule starts afresh, so whatever happened before, the first change after it is saved
    on time.
    """

    quiet: float = 2.0
    most: float = 10.0
    first_change: float | None = None
    last_change: float | None = None

    @classmethod
    def from_environment(cls) -> AutosaveSchedule:
        """The default timing, or `GOVREPORT_AUTOSAVE=quiet,most` (the fault-injection tests scale it down)."""
        try:
            quiet, most = (float(x) for x in os.environ.get("GOVREPORT_AUTOSAVE", "").split(","))
        except ValueError:
            return cls()
        if not (quiet > 0 and most >= quiet):
            return cls()
        return cls(quiet, most)

    @property
    def pending(self) -> bool:
        """There are changes the schedule has not seen saved."""
        return self.first_change is not None

    def changed(self, now: float) -> None:
        """The draft changed at `now`."""
        if self.first_change is None:
            self.first_change = now
        self.last_change = now

    def due(self) -> float | None:
        """When the next save is due; None when there is nothing to save."""
        if self.first_change is None or self.last_change is None:
            return None
        return min(self.last_change + self.quiet, self.first_change + self.most)

    def wait(self, now: float) -> float | None:
        """Seconds until the next save is due, never less than `MIN_DELAY`; None when nothing is pending."""
        due = self.due()
        return None if due is None else max(MIN_DELAY, due - now)

    def is_due(self, now: float) -> bool:
        due = self.due()
        return due is not None and now >= due - MIN_DELAY / 2

    def saved(self) -> None:
        """The draft was saved (or had nothing to save): start afresh."""
        self.first_change = self.last_change = None

    def failed(self, now: float) -> None:
        """A save failed (disk full, read-only …): try again `quiet` seconds from now, neither at once nor never."""
        self.first_change = self.last_change = now
