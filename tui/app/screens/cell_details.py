"""Everything about one cell: its full names, unit and kind, and every finding that involves it."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...core.checks import Finding
from ...core.formats import CellRef
from ...core.session import DraftSession
from ...core.values import CellKind
from ..widgets.display import screen_text
from ..widgets.findings_list import SEVERITY_STYLE

KIND_NAMES = {CellKind.COUNT: "件数（非负整数）", CellKind.SIGNED: "增减数（整数，可为负）", CellKind.AMOUNT: "金额"}


class CellDetailsScreen(ModalScreen[None]):
    """The current cell in full (Ctrl+D in a table); Esc closes it."""

    BINDINGS = [Binding("escape", "dismiss(None)", "关闭", id="close"), Binding("ctrl+d", "dismiss(None)", show=False)]

    def __init__(
        self, session: DraftSession, ref: CellRef, describe: Callable[[CellRef], tuple[str, list[Finding]]]
    ) -> None:
        super().__init__()
        self.session = session
        self.ref = ref
        self.describe = describe

    def compose(self) -> ComposeResult:
        col, row = self.session.report.format.cell_index[self.ref]
        described, _marked = self.describe(self.ref)
        about = [f for f in self.session.findings if self.ref in f.cells]
        text = Text()
        text.append("行：", style="bold")
        text.append(screen_text("／".join((*row.path, row.label))) + "\n")
        text.append("列：", style="bold")
        text.append(screen_text("／".join((*col.path, col.label))) + "\n")
        unit = f"，单位：{col.unit}" if col.unit else ""
        text.append("填写：", style="bold")
        text.append(f"{KIND_NAMES.get(col.kind, '')}{unit}\n")
        text.append("现在：", style="bold")
        text.append(screen_text(described.rsplit("：", 1)[-1]) + "\n")
        if about:
            text.append(f"\n检查发现 {len(about)} 个问题涉及这一格：\n", style="bold")
            for f in about:
                text.append(f"\n[{f.severity_label}] {f.rule}  ", style=SEVERITY_STYLE.get(f.severity, ""))
                text.append(screen_text(f.location) + "\n", style="bold")
                text.append(screen_text(f.message) + "\n")
        else:
            text.append("\n检查没有发现涉及这一格的问题。\n", style="green")
        with Vertical(classes="dialog", id="cell-details"):
            yield Static("单元格详情", classes="title")
            with VerticalScroll():
                yield Static(text)
            yield Static("Esc 关闭", classes="hint")
