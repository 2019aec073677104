"""A one-line key bar: the keys of the current screen, drawn once.

Textual's Footer recomposes whenever the focus moves (the active bindings change), which
repaints the whole screen each time; over a thin SSH link that is too much. The keys this app
shows are all screen- or app-level, so a line drawn once from the bindings says the same.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static


class KeyBar(Static):
    """Shown keys of the screen and the app, e.g. `^S 保存  ^N 下一节`."""

    DEFAULT_CSS = """
    KeyBar { height: 1; background: $footer-background; color: $footer-foreground; }
    """

    def on_mount(self) -> None:
        text = Text(no_wrap=True, overflow="crop")
        seen: set[str] = set()
        for node in (self.screen, self.app):
            for binding in node.BINDINGS:
                if not isinstance(binding, Binding) or not binding.show or binding.action in seen:
                    continue
                if not self.app.check_action(binding.action, ()):
                    continue
                seen.add(binding.action)
                key = binding.key_display or binding.key.split(",")[0]
                key = key.replace("ctrl+", "^").upper() if key.startswith("ctrl+") else key
                text.append(f" {key}", style="bold #ffa62b")
                text.append(f" {binding.description} ")
        self.update(text, layout=False)
