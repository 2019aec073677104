"""Asking for a file path: export to, save as, import from, last year's draft."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class PathDialog(ModalScreen[Path | None]):
    """Ask for a file path (另存为)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "取消", id="cancel")]

    def __init__(self, default: Path, title: str = "导出到文件") -> None:
        super().__init__()
        self.default = default
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="title")
            field = Input(str(self.default), id="path")
            field.cursor_blink = False
            yield field
            yield Static("回车 确定　Esc 取消", classes="hint")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        self.dismiss(Path(value).expanduser() if value else None)
