"""The start screen: drafts in the drafts folder, a new report, the bundled examples."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from ...core.drafts import DraftInfo, copy_if_example, ensure_dir, new_draft_path, scan
from ...core.formats import all_formats, format_for_year
from ...core.report import Report
from ...core.resources import resource_dir
from ...core.store import DraftError, load_report, save_report
from ..widgets.display import screen_text
from ..widgets.keybar import KeyBar


def default_year(today: dt.date | None = None) -> int:
    """The year a clerk is most likely reporting on: reports are due by 31 January."""
    today = today or dt.date.today()
    return today.year if today.month >= 10 else today.year - 1


def folder_label(directory: Path) -> str:
    """The drafts folder as the clerk can find it again: a full path, `~` for the home folder."""
    path = directory.expanduser().absolute()
    try:
        inside = path.relative_to(Path.home())
    except ValueError:
        return screen_text(str(path))
    return screen_text("~" if inside == Path() else f"~/{inside}")


def _draft_prompt(info: DraftInfo) -> Text:
    text = Text(info.title or info.path.name, style="bold")
    when = dt.datetime.fromtimestamp(info.mtime).strftime("%Y-%m-%d %H:%M") if info.mtime else ""
    if info.problem:
        text.append(f"\n  无法读取：{info.problem}", style="red")
        return text
    state = f"错误 {info.errors}" if info.errors else "无错误"
    text.append(f"\n  {info.format_name}　{state}　警告 {info.warnings}　保存于 {when}　{info.path.name}", style="dim")
    return text


class NewReportScreen(ModalScreen[tuple[str, int, str] | None]):
    """Organisation, year, format (proposed from the year)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "取消", id="cancel")]

    def compose(self) -> ComposeResult:
        year = default_year()
        fmt = format_for_year(year)
        options = [(screen_text(f"{f.name}（{f.years_label}）"), f.id) for f in all_formats().values()]
        with Vertical(classes="dialog"):
            yield Static("新建年度报告", classes="title")
            with Horizontal(classes="form-row"):
                yield Label("机关名称")
                yield Input(id="new-org", placeholder="例如：某某县民政局", max_length=60)
            with Horizontal(classes="form-row"):
                yield Label("报告年度")
                yield Input(str(year), id="new-year", restrict=r"[0-9]*", max_length=4)
            with Horizontal(classes="form-row"):
                yield Label("报告格式")
                yield Select(options, value=fmt.id if fmt else Select.BLANK, allow_blank=False, id="new-format")
            yield Static("格式会按年度自动选择。填好后在任一输入框按回车创建；Esc 取消。", classes="hint")

    def on_mount(self) -> None:
        for inp in self.query(Input):
            inp.cursor_blink = False
        self.query_one("#new-org", Input).focus()

    @on(Input.Changed, "#new-year")
    def _year(self, event: Input.Changed) -> None:
        if len(event.value) == 4:
            fmt = format_for_year(int(event.value))
            if fmt is not None:
                self.query_one("#new-format", Select).value = fmt.id

    @on(Input.Submitted)
    def _submit(self) -> None:
        org = self.query_one("#new-org", Input).value.strip()
        year_text = self.query_one("#new-year", Input).value
        if not org:
            self.notify("请填写机关名称", severity="warning")
            self.query_one("#new-org", Input).focus()
            return
        if len(year_text) != 4 or not 1990 <= int(year_text) <= 2200:
            self.notify("请填写四位数的报告年度", severity="warning")
            self.query_one("#new-year", Input).focus()
            return
        fmt_id = self.query_one("#new-format", Select).value
        self.dismiss((org, int(year_text), str(fmt_id)))


class StartScreen(Screen[Path]):
    """Pick a draft, start a new one, or open a copy of an example; dismisses with a path."""

    BINDINGS = [
        Binding("f2,ctrl+n", "new", "新建报告", id="new", priority=True, tooltip="新建年度报告"),
        Binding("f5", "rescan", "刷新", id="rescan", show=False, tooltip="重新读取草稿文件夹"),
    ]

    def __init__(self, directory: Path) -> None:
        super().__init__()
        self.directory = directory
        self.drafts: list[DraftInfo] = []
        self.examples = sorted(resource_dir("reports").glob("*.toml"))

    def compose(self) -> ComposeResult:
        yield Static("政府信息公开工作年度报告", classes="heading")
        yield Static(f"草稿文件夹：{folder_label(self.directory)}", id="drafts-folder")
        yield OptionList(id="start-list")
        yield KeyBar()

    def on_mount(self) -> None:
        self.action_rescan()
        self.query_one(OptionList).focus()

    def action_rescan(self) -> None:
        self.drafts = scan(self.directory)
        options: list[Option | None] = [
            Option(Text("＋ 新建年度报告", style="bold green"), id="new"),
            Option(Text("＋ 以上年草稿为基础，开始新一年的报告", style="green"), id="next-year"),
            Option(Text("＋ 导入已发布的报告（Word 文字、网页、HTML）", style="green"), id="import"),
        ]
        if self.drafts:
            options.append(None)
            options += [Option(_draft_prompt(d), id=f"draft:{i}") for i, d in enumerate(self.drafts)]
        options.append(None)
        for i, path in enumerate(self.examples):
            try:
                title = load_report(path).title
            except DraftError:
                continue
            options.append(Option(Text(f"示例：{title}\n  打开一份副本，原件不变", style="italic"), id=f"example:{i}"))
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options(options)
        listing.highlighted = listing.get_option_index("draft:0") if self.drafts else 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id or ""
        if choice == "new":
            self.action_new()
        elif choice == "import":
            self.run_worker(self.import_report(), exclusive=True)
        elif choice == "next-year":
            self.run_worker(self.start_next_year(), exclusive=True)
        elif choice.startswith("draft:"):
            self.dismiss(self.drafts[int(choice[6:])].path)
        elif choice.startswith("example:"):
            self.open_example(self.examples[int(choice[8:])])

    def open_example(self, example: Path) -> None:
        self.dismiss(copy_if_example(example, self.directory))

    def action_new(self) -> None:
        def created(answer: tuple[str, int, str] | None) -> None:
            if answer is None:
                return
            org, year, fmt_id = answer
            path = new_draft_path(ensure_dir(self.directory), org, year)
            try:
                save_report(Report.new(all_formats()[fmt_id], org, year), path)
            except DraftError as exc:
                self.notify(str(exc), severity="error", timeout=10)
                return
            self.dismiss(path)

        self.app.push_screen(NewReportScreen(), created)

    async def _ask_path(self, title: str, default: Path) -> Path | None:
        from .paths import PathDialog

        return await self.app.push_screen_wait(PathDialog(default, title=title))

    async def import_report(self) -> None:
        """Make a draft from a published report's text or HTML file."""
        from ...core.importer import NotAReport, import_text, read_source

        source = await self._ask_path("导入已发布的报告：文件路径", Path.cwd())
        if source is None:
            return
        try:
            imported = import_text(read_source(source))
        except NotAReport as exc:
            self.notify(f"{source}：{exc}", severity="error", timeout=15)
            return
        report = imported.report
        path = new_draft_path(ensure_dir(self.directory), report.org, report.year)
        try:
            save_report(report, path)
        except DraftError as exc:
            self.notify(str(exc), severity="error", timeout=15)
            return
        if imported.notes:
            from .choice import ChoiceScreen

            notes = "\n".join(str(n) for n in imported.notes[:12])
            more = f"\n……另有 {len(imported.notes) - 12} 条" if len(imported.notes) > 12 else ""
            await self.app.push_screen_wait(
                ChoiceScreen("导入完成，请核对", f"已导入为 {path.name}。\n{notes}{more}", [("open", "打开草稿")])
            )
        self.dismiss(path)

    async def start_next_year(self) -> None:
        """A new report from last year's draft: carried-over numbers, last year's text to revise."""
        from ...core.carryover import next_year

        default = self.drafts[0].path if self.drafts else self.directory
        last_path = await self._ask_path("上年的草稿文件", default)
        if last_path is None:
            return
        try:
            last = load_report(last_path)
        except DraftError as exc:
            self.notify(str(exc), severity="error", timeout=15)
            return
        year = last.year + 1
        path = new_draft_path(ensure_dir(self.directory), last.org, year)
        source = os.path.relpath(last_path.resolve(), path.parent.resolve())
        report = next_year(last, year, source=source)
        try:
            save_report(report, path)
        except DraftError as exc:
            self.notify(str(exc), severity="error", timeout=15)
            return
        self.notify(f"已新建 {report.title}，上年结转等数据已带入；上年文字已放入各部分，请逐段修改", timeout=10)
        self.dismiss(path)
