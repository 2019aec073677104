"""A question with a few answers, keyboard-first: used for locks, conflicts, disk and damage."""

from __future__ import annotations

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
    """Title, explanation, answers; Enter picks one, Esc answers None (cancel)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "取消", id="cancel")]

    def __init__(self, title: str, message: str, choices: list[tuple[str, str]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title_text = title
        self.message = message
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(screen_text(self.title_text), classes="title")
            yield Static(Text(screen_text(self.message)), classes="message")
            yield OptionList(*(Option(screen_text(label), id=key) for key, label in self.choices), id="choices")
            yield Static("上下键选择，回车确定，Esc 取消", classes="hint")

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        choices.highlighted = 0
        choices.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
