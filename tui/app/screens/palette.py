"""The command palette: Textual's, with the message it shows when nothing matches in Chinese."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

NO_MATCHES = "没有找到这个操作。可以输入：保存、导出、问题、帮助，或一节的名称"


class ChinesePalette(CommandPalette):
    """Find any action or section by name (F9 or Ctrl+P)."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """Textual's own, with `NO_MATCHES` instead of "No matches found" (the string is inside it)."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(NO_MATCHES, style="not bold")), disabled=True, id=self._NO_MATCHES)
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
