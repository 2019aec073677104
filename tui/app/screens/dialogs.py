"""Small modal screens: the findings list, help, and 'terminal too small'."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, OptionList, Static

from ...core.checks import Finding
from ..widgets.findings_list import FindingsList


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


KEYS = [
    ("Ctrl+S", "保存草稿（另外每次修改后 2 秒内自动保存）"),
    ("Ctrl+N / Ctrl+B", "下一节 / 上一节"),
    ("Ctrl+L", "转到左侧目录，上下键选择，回车打开"),
    ("Ctrl+F", "问题列表：所有错误和警告，回车跳转"),
    ("Ctrl+E", "导出 Markdown、纯文本、HTML"),
    ("Ctrl+P", "命令面板：按名称查找所有操作"),
    ("Ctrl+G 或 F1", "本帮助"),
    ("Ctrl+Q", "保存并退出"),
    ("Ctrl+R", "重绘屏幕（网络不稳、屏幕显示错乱时）"),
    ("Esc", "取消：关闭对话框，或撤销正在输入的单元格"),
    ("表格：方向键", "移动；Tab / Shift+Tab 左右，回车 下一行"),
    ("表格：数字", "直接输入即替换原值；全角数字、千分位逗号都可以"),
    ("表格：Backspace / Delete", "清空单元格（空白不等于 0）"),
    ("表格：粘贴", "从 Excel/WPS 复制的区域，从当前格开始填入"),
    ("表格：合计", "合计格随各项自动计算；手工填写不一致的会标红"),
]


class HelpScreen(ModalScreen[None]):
    """The keys, in Chinese."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "关闭", id="close"),
        Binding("ctrl+g,f1", "dismiss(None)", "关闭", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("按键说明", classes="title")
            table: DataTable[str] = DataTable(show_cursor=False, zebra_stripes=True)
            table.add_columns("按键", "作用")
            table.add_rows(KEYS)
            yield table
            yield Static("所有操作也都可以在命令面板（Ctrl+P）中按名称找到。Esc 关闭。", classes="hint")


class TooSmallScreen(Screen[None]):
    """Shown instead of a broken layout when the terminal is smaller than 80×24."""

    BINDINGS = [Binding("ctrl+q", "app.quit_app", "退出", priority=True)]

    def compose(self) -> ComposeResult:
        yield Static("", id="too-small")

    def show_size(self, width: int, height: int) -> None:
        self.query_one("#too-small", Static).update(
            f"终端窗口太小（当前 {width}×{height}）\n\n请把窗口放大到至少 80×24。\n\n"
            "草稿已保存，放大后即可继续。Ctrl+Q 退出。"
        )
