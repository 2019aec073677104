"""A question with a few answers, keyboard-first: used for locks, conflicts, disk and damage."""

from __future__ import annotations

import time

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..widgets.display import screen_text


class ChoiceScreen(ModalScreen[str | None]):
    """Title, explanation, answers; Enter picks one, Esc answers None (cancel).

    A question that opens by itself (not in answer to a key) takes a `grace` in seconds: keys in that
    time were typed for the screen below it and answer nothing. The answers are disabled until it
    ends, so no key moves the highlight off the first answer either.
    """

    BINDINGS = [Binding("escape", "cancel", "取消", id="cancel")]

    def __init__(
        self,
        title: str,
        message: str,
        choices: list[tuple[str, str]],
        *,
        grace: float = 0.0,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.title_text = title
        self.message = message
        self.choices = choices
        self.grace = grace
        self._answers_from = 0.0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(screen_text(self.title_text), classes="title")
            yield Static(Text(screen_text(self.message)), classes="message")
            yield OptionList(*(Option(screen_text(label), id=key) for key, label in self.choices), id="choices")
            yield Static("上下键选择，回车确定，Esc 取消", classes="hint")

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        choices.highlighted = 0
        if self.grace:
            self._answers_from = time.monotonic() + self.grace
            choices.disabled = True
            self.set_timer(self.grace, self._grace_over)
        else:
            choices.focus()

    def _grace_over(self) -> None:
        choices = self.query_one(OptionList)
        choices.disabled = False
        choices.focus()

    def _in_grace(self) -> bool:
        return time.monotonic() < self._answers_from

    def action_cancel(self) -> None:
        if not self._in_grace():
            self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if not self._in_grace():
            self.dismiss(event.option.id)
