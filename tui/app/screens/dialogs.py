"""Small modal screens: the findings list, help, and 'terminal too small'."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.geometry import Size
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import OptionList, Static

from ...core.checks import Finding
from ...core.linebreak import break_lines
from ..widgets.display import screen_text
from ..widgets.findings_list import FindingsList
from ..widgets.keybar import key_entries


class FindingsScreen(ModalScreen[Finding | None]):
    """Every error and warning; Enter jumps to it, Esc goes back."""

    BINDINGS = [Binding("escape", "dismiss(None)", "返回", id="close")]

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__()
        self.findings = findings

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="findings-dialog"):
            yield Static(f"检查结果：共 {len(self.findings)} 条", classes="title")
            yield FindingsList(self.findings, id="findings")
            yield Static("上下键 选择　回车 跳转到该处　Esc 返回", classes="hint")

    @on(OptionList.OptionSelected, "#findings")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.query_one(FindingsList).finding(event.option.id))


TABLE_KEYS = [
    ("方向键", "移动；Tab / Shift+Tab 左右，回车 下一行（Ctrl+U 改为向右）"),
    ("Home / End", "本行第一格 / 最后一格；Ctrl+Home / Ctrl+End 本列第一格 / 最后一格"),
    ("PageUp / PageDown", "上一屏 / 下一屏"),
    ("数字", "直接输入即替换原值；全角数字、千分位逗号都可以"),
    ("Backspace / Delete", "清空单元格（空白不等于 0）"),
    ("粘贴", "从 Excel/WPS 复制的区域，从当前格开始填入；带行名的按行名对应"),
    ("Esc", "撤销正在输入的单元格"),
    ("Ctrl+D", "单元格详情：完整的行名、列名，以及涉及这一格的所有问题"),
    ("Ctrl+O", "把本表所有空白单元格填为 0（先询问）"),
    ("Ctrl+K", "行名列加宽 / 还原"),
    ("Ctrl+U", "回车键向下 / 向右移动（会记住）"),
    ("合计", "合计格随各项自动计算；手工填写不一致的会标红"),
]
"""Keys of the table grid (its own, not bindings of a screen)."""

TEXT_KEYS = [
    ("方向键、Home / End", "移动；长行按中文排版规则自动折行"),
    ("Shift+方向键", "选择文字；Ctrl+C 复制，Ctrl+X 剪切，Ctrl+V 或终端的粘贴键粘贴"),
    ("Ctrl+Z / Ctrl+Y", "撤销 / 重做"),
]
"""Keys of the text editor that clerks use (Textual's TextArea)."""

LIST_KEYS = [
    ("上下键、PageUp / PageDown", "选择"),
    ("回车", "确定：打开所选草稿、跳转到所选问题、选定答案"),
    ("Esc", "取消，关闭对话框"),
]
"""Keys of lists and dialogs."""


def help_sections() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every key of the app, by where it works, from the bindings themselves (so the help never drifts)."""
    from ..app import GovReportApp
    from .editor import EditorScreen
    from .export import ExportScreen
    from .start import StartScreen

    def rows(node: type[DOMNode]) -> list[tuple[str, str]]:
        return [(entry.keys(), entry.description) for _action, entry in key_entries(node)]

    return [
        ("随时可用", rows(GovReportApp)),
        ("编辑报告", rows(EditorScreen)),
        ("表格", TABLE_KEYS),
        ("文字部分", TEXT_KEYS),
        ("导出界面（F4 或 Ctrl+E）", rows(ExportScreen)),
        ("开始界面", rows(StartScreen)),
        ("列表和对话框", LIST_KEYS),
    ]


class KeyTable(Widget):
    """Keys and what they do in two columns; descriptions wrap by the rules for Chinese."""

    DEFAULT_CSS = """
    KeyTable { height: auto; }
    """

    KEY_WIDTH = 26

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sections = sections

    def lines(self, width: int) -> list[Text]:
        key_width = min(self.KEY_WIDTH, max(8, width // 3))
        out: list[Text] = []
        for title, rows in self.sections:
            if out:
                out.append(Text())
            out.append(Text(title, style="bold"))
            for keys, what in rows:
                keys_lines = break_lines(screen_text(keys), key_width - 2)
                what_lines = break_lines(screen_text(what), max(2, width - key_width))
                for i in range(max(len(keys_lines), len(what_lines))):
                    key = keys_lines[i] if i < len(keys_lines) else ""
                    line = Text()
                    line.append(key, style="bold #ffa62b")
                    line.append(" " * (key_width - cell_len(key)))
                    line.append(what_lines[i] if i < len(what_lines) else "")
                    out.append(line)
        return out

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Text:
        return Text("\n").join(self.lines(self.content_size.width))


class HelpScreen(ModalScreen[None]):
    """Every key, in Chinese; scrolls when the terminal is small."""

    BINDINGS = [Binding("escape", "dismiss(None)", "关闭", id="close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help-dialog"):
            yield Static("按键说明", classes="title")
            with VerticalScroll(id="help-keys"):
                yield KeyTable(help_sections())
            yield Static(
                "上下键、PageUp / PageDown 滚动；所有操作也可在命令面板（F9 或 Ctrl+P）中按名称找到。Esc 关闭。",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query_one("#help-keys").focus()


class TooSmallScreen(Screen[None]):
    """Shown instead of a broken layout when the terminal is smaller than 80×24."""

    BINDINGS = [Binding("f10,ctrl+q", "app.quit_app", "退出", id="quit", priority=True)]

    class Uncovered(Message):
        """The screen is on top again (first shown, or a dialog above it closed): the app checks the size."""

    def compose(self) -> ComposeResult:
        yield Static("", id="too-small")

    def on_screen_resume(self) -> None:
        self.post_message(self.Uncovered())

    def show_size(self, width: int, height: int, saved: bool | None) -> None:
        """`saved`: the work is on disk (True), still only in memory (False), no draft open (None)."""
        if saved is None:
            state = "放大后即可继续。"
        elif saved:
            state = "草稿已保存，放大后即可继续。"
        else:
            state = "修改还没有写入文件，仍在内存中；放大后即可继续。"
        self.query_one("#too-small", Static).update(
            f"终端窗口太小（当前 {width} 列、{height} 行）\n\n请把窗口放大到至少 80 列、24 行。\n\n"
            f"{state}F10 或 Ctrl+Q 退出。"
        )
