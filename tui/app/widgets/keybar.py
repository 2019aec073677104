"""A one-line key bar: the keys of the current screen, drawn from the bindings; and how keys are named.

Textual's Footer recomposes whenever the focus moves (the active bindings change), which
repaints the whole screen each time; over a thin SSH link that is too much. The keys this app
shows are all screen- or app-level, so a line drawn from the bindings (again only when the
terminal is resized) says the same.

Every action has an F-key (F1–F10, which browser-based SSH consoles pass through) and a
Ctrl+letter (which PuTTY-family clients always send). The bar shows the F-key, and the Ctrl
key too when the line is wide enough.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Static

KEY_NAMES = {
    "escape": "Esc",
    "enter": "回车",
    "tab": "Tab",
    "shift+tab": "Shift+Tab",
    "backspace": "Backspace",
    "delete": "Delete",
    "pageup": "PageUp",
    "pagedown": "PageDown",
    "home": "Home",
    "end": "End",
    "space": "空格",
}
"""Keys as the clerk reads them on the key bar and in the help (never Textual's own names)."""

_FKEY = re.compile(r"f([1-9]|1[0-2])")


def key_name(key: str, *, short: bool = False) -> str:
    """One key as shown: `ctrl+s` → `Ctrl+S` (`^S` when `short`), `f2` → `F2`, `escape` → `Esc`."""
    key = key.strip()
    if key in KEY_NAMES:
        return KEY_NAMES[key]
    if key.startswith("ctrl+"):
        rest = key_name(key[5:])
        return f"^{rest}" if short else f"Ctrl+{rest}"
    if key.startswith("shift+"):
        return "Shift+" + key_name(key[6:])
    return key.upper() if len(key) == 1 or _FKEY.fullmatch(key) else key


@dataclass(frozen=True)
class KeyEntry:
    """A binding as the bar and the help show it: its F-key, its other keys, what it does."""

    fkey: str  # "F2", or "" when the action has none
    others: tuple[str, ...]  # the other keys, e.g. ("ctrl+s",)
    label: str  # short, for the bar
    description: str  # longer, for the help
    shown: bool  # on the bar

    @classmethod
    def of(cls, binding: Binding) -> KeyEntry:
        keys = [k.strip() for k in binding.key.split(",")]
        fkey = next((k for k in keys if _FKEY.fullmatch(k)), "")
        others = tuple(k for k in keys if k != fkey)
        return cls(
            key_name(fkey) if fkey else "",
            others,
            binding.description,
            binding.tooltip or binding.description,
            binding.show,
        )

    def keys(self, *, short: bool = False) -> str:
        """Every key of the entry: `F2 / Ctrl+S`; a `key_display` like `1-5` stands for a group."""
        names = [self.fkey] if self.fkey else []
        names += [key_name(k, short=short) for k in self.others]
        return " / ".join(names)

    @property
    def order(self) -> int:
        """Where the entry goes on the bar: keys without an F-key first, then F1 to F10."""
        return int(self.fkey[1:]) if self.fkey else 0


def key_entries(node: DOMNode | type[DOMNode]) -> list[tuple[str, KeyEntry]]:
    """(action, entry) for each binding a screen or the app declares; a group like 1–5 once."""
    out: list[tuple[str, KeyEntry]] = []
    seen: set[str] = set()
    for binding in node.BINDINGS:
        if not isinstance(binding, Binding) or (binding.key_display or binding.action) in seen:
            continue
        seen.add(binding.key_display or binding.action)
        entry = KeyEntry.of(binding)
        if binding.key_display:
            entry = KeyEntry("", (binding.key_display,), entry.label, entry.description, entry.shown)
        out.append((binding.action, entry))
    return out


class KeyBar(Static):
    """Shown keys of the screen and the app, e.g. ` F2 ^S 保存  F6 ^N 下一节`."""

    DEFAULT_CSS = """
    KeyBar { height: 1; background: $footer-background; color: $footer-foreground; }
    """

    def on_mount(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def entries(self) -> list[KeyEntry]:
        """What the bar could show: the screen's keys first, then the app's that work here."""
        entries: list[KeyEntry] = []
        actions: set[str] = set()
        for node in (self.screen, self.app):
            for action, entry in key_entries(node):
                if not entry.shown or action in actions:
                    continue
                if node is self.app and not self.app.check_action(action, ()):
                    continue
                actions.add(action)
                entries.append(entry)
        return entries

    def _draw(self) -> None:
        width = self.size.width or self.app.size.width
        entries = self.entries()
        chosen = _fit(entries, width, both=True)
        if len(chosen) < len(entries):  # no room for both keys: the F-keys (all consoles pass them)
            chosen = _fit(entries, width, both=False)
        text = Text(no_wrap=True, overflow="crop")
        for entry, keys in sorted(chosen, key=lambda pair: pair[0].order):
            text.append(f" {keys}", style="bold #ffa62b")
            text.append(f" {entry.label} ")
        self.update(text, layout=False)


def _fit(entries: list[KeyEntry], width: int, *, both: bool) -> list[tuple[KeyEntry, str]]:
    """The entries that fit in `width`, in order of importance, with the keys to show for each."""
    chosen: list[tuple[KeyEntry, str]] = []
    used = 0
    for entry in entries:
        keys = entry.keys(short=True) if both else (entry.fkey or entry.keys(short=True))
        keys = keys.replace(" / ", "/")
        need = cell_len(f" {keys} {entry.label} ")
        if used + need <= width:
            chosen.append((entry, keys))
            used += need
    return chosen
