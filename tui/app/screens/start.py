"""The start screen: drafts in the drafts folder, a new report, the bundled examples."""

from __future__ import annotations

import datetime as dt
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from ...core.drafts_folder import (
    DraftInfo,
    bundled_examples,
    copy_example,
    ensure_dir,
    example_title,
    new_draft_path,
    scan,
)
from ...core.formats import all_formats, format_for_year
from ...core.new_drafts import blank_report, report_after
from ...core.report import parse_year
from ...core.session import create_draft
from ...core.store import DraftError, load_report
from ..widgets.display import screen_text
from ..widgets.keybar import KeyBar

if TYPE_CHECKING:
    from ...core.importer import ImportResult


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
    text = Text(screen_text(info.title or info.path.name), style="bold")
    when = dt.datetime.fromtimestamp(info.mtime).strftime("%Y-%m-%d %H:%M") if info.mtime else ""
    if info.problem:
        text.append(screen_text(f"\n  无法读取：{info.problem}"), style="red")
        return text
    state = f"错误 {info.errors}" if info.errors else "无错误"
    name = screen_text(info.path.name)
    text.append(f"\n  {info.format_name}　{state}　警告 {info.warnings}　保存于 {when}　{name}", style="dim")
    if info.review:
        text.append(
            screen_text(f"\n  审核：{info.review}" + (f"（{info.comment}）" if info.comment else "")), style="bold"
        )
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
        if parse_year(year_text) is None:
            self.notify("请填写四位数的报告年度", severity="warning")
            self.query_one("#new-year", Input).focus()
            return
        fmt_id = self.query_one("#new-format", Select).value
        self.dismiss((org, int(year_text), str(fmt_id)))


ImportAnswer = tuple[Path, str | None, int | None]


class ImportDialog(ModalScreen[ImportAnswer | None]):
    """The file to import, and the organisation and year for a report whose text lacks them."""

    BINDINGS = [Binding("escape", "dismiss(None)", "取消", id="cancel")]

    def __init__(self, source: Path, org: str = "", year: str = "", focus: str = "import-path") -> None:
        super().__init__()
        self.source, self.org, self.year, self.first = source, org, year, focus

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("导入已发布的报告", classes="title")
            yield Input(str(self.source), id="import-path")
            with Horizontal(classes="form-row"):
                yield Label("机关名称")
                yield Input(self.org, id="import-org", placeholder="报告中没有时填写", max_length=60)
            with Horizontal(classes="form-row"):
                yield Label("报告年度")
                yield Input(
                    self.year, id="import-year", placeholder="报告中没有时填写", restrict=r"[0-9]*", max_length=4
                )
            yield Static(
                "文件：Word 另存的文字或网页、从网页或 Excel/WPS 复制的文字、保存的网页、本程序的导出。"
                "机关名称和年度按报告标题和正文读取，填写后以填写的为准。回车导入，Esc 取消。",
                classes="hint",
            )

    def on_mount(self) -> None:
        for inp in self.query(Input):
            inp.cursor_blink = False
        self.query_one(f"#{self.first}", Input).focus()

    @on(Input.Submitted)
    def _submit(self) -> None:
        path = self.query_one("#import-path", Input).value.strip()
        org = self.query_one("#import-org", Input).value.strip()
        year = self.query_one("#import-year", Input).value
        if not path:
            self.query_one("#import-path", Input).focus()
            return
        if year and parse_year(year) is None:
            self.notify("请填写四位数的报告年度，或留空", severity="warning")
            self.query_one("#import-year", Input).focus()
            return
        self.dismiss((Path(path).expanduser(), org or None, int(year) if year else None))


def import_summary(result: ImportResult, path: Path) -> str:
    """What the clerk is told after an import: where it went, what was read, what was not placed."""
    from ...core.importer import SHAPE_NAMES

    shape = SHAPE_NAMES.get(result.shape, result.shape)
    lines = [f"已导入为 {path.name}：按{shape}读取，{result.placed}/{result.cell_count} 个单元格有数值。"]
    if result.failed:
        lines.append(f"导入失败：{result.failure}。")
    elif result.unplaced:
        lines.append(f"有 {len(result.unplaced)} 个数值无法确定所在的单元格，没有填入，请对照原文填写：")
    order = {"error": 0, "warning": 1, "info": 2}
    notes = sorted(result.notes, key=lambda n: order[n.severity])
    lines += [f"[{n.label}] {n}" for n in notes[:12]]
    if len(notes) > 12:
        lines.append(f"……另有 {len(notes) - 12} 条")
    return "\n".join(lines)


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
        self.examples = bundled_examples()

    def compose(self) -> ComposeResult:
        yield Static("政府信息公开工作年度报告", classes="heading")
        yield Static(Text(screen_text(f"草稿文件夹：{folder_label(self.directory)}")), id="drafts-folder")
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
            Option(
                Text("＋ 审核：列出一个文件夹中各单位的报告，退回、通过、导出问题清单、汇总", style="green"),
                id="review",
            ),
        ]
        if self.drafts:
            options.append(None)
            options += [Option(_draft_prompt(d), id=f"draft:{i}") for i, d in enumerate(self.drafts)]
        options.append(None)
        for i, example in enumerate(self.examples):
            title = example_title(example)
            if title is None:
                continue
            prompt = Text(screen_text(f"示例：{title}\n  打开一份副本，原件不变"), style="italic")
            options.append(Option(prompt, id=f"example:{i}"))
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
            self.run_worker(self.import_published(), exclusive=True)
        elif choice == "next-year":
            self.run_worker(self.start_next_year(), exclusive=True)
        elif choice == "review":
            self.run_worker(self.open_review(), exclusive=True)
        elif choice.startswith("draft:"):
            self.dismiss(self.drafts[int(choice[6:])].path)
        elif choice.startswith("example:"):
            self.open_example(self.examples[int(choice[8:])])

    def open_example(self, example: Traversable) -> None:
        self.dismiss(copy_example(example, self.directory))

    def action_new(self) -> None:
        def created(answer: tuple[str, int, str] | None) -> None:
            if answer is not None:
                self.run_worker(self._create(*answer), exclusive=True)

        self.app.push_screen(NewReportScreen(), created)

    async def _create(self, org: str, year: int, fmt_id: str) -> None:
        """A new blank draft; when the folder already has one for that organisation and year, offer it."""
        existing = next((d for d in self.drafts if d.org == org and d.year == year and not d.problem), None)
        if existing is not None:
            from .choice import ChoiceScreen

            answer = await self.app.push_screen_wait(
                ChoiceScreen(
                    "已有这份报告的草稿",
                    f"文件夹里已有{org}{year}年度报告的草稿：{existing.path.name}。",
                    [("open", "打开已有的草稿"), ("new", "仍然新建一份空白草稿（另起文件名）")],
                )
            )
            if answer is None:
                return
            if answer == "open":
                self.dismiss(existing.path)
                return
        path = new_draft_path(ensure_dir(self.directory), org, year)
        try:
            create_draft(blank_report(all_formats()[fmt_id], org, year), path)
        except DraftError as exc:
            self.notify(screen_text(str(exc)), markup=False, severity="error", timeout=10)
            return
        self.dismiss(path)

    async def _ask_path(self, title: str, default: Path) -> Path | None:
        from .paths import PathDialog

        return await self.app.push_screen_wait(PathDialog(default, title=title))

    async def import_published(self, source: Path | None = None, org: str = "", year: str = "") -> None:
        """Make a draft from a published report's file (the same core call as `govreport-tui import`)."""
        from ...core.importer import FACT_NAMES, MissingFacts, NotAReport, import_report

        field = "import-path"
        while True:
            dialog = ImportDialog(source or Path.cwd(), org, year, field)
            answer = await self.app.push_screen_wait(dialog)
            if answer is None:
                return
            source, given_org, given_year = answer
            org, year = given_org or "", str(given_year or "")
            try:
                result = import_report(source, org=given_org, year=given_year)
                break
            except MissingFacts as exc:
                names = "、".join(f"“{FACT_NAMES[m]}”" for m in exc.missing)
                self.notify(
                    screen_text(f"{source.name}：{exc}，请在{names}中填写"),
                    severity="warning",
                    timeout=15,
                    markup=False,
                )
                field = "import-org" if "org" in exc.missing else "import-year"
            except NotAReport as exc:
                self.notify(screen_text(f"{source}：{exc}"), severity="error", timeout=15, markup=False)
                return
        report = result.report
        path = new_draft_path(ensure_dir(self.directory), report.org, report.year)
        try:
            create_draft(report, path)
        except DraftError as exc:
            self.notify(screen_text(str(exc)), markup=False, severity="error", timeout=15)
            return
        if result.notes or result.failed:
            from .choice import ChoiceScreen

            choices = [("open", "打开草稿")] + ([("discard", "不要这份草稿（删除）")] if result.failed else [])
            title = "导入失败" if result.failed else "导入完成，请核对"
            chosen = await self.app.push_screen_wait(ChoiceScreen(title, import_summary(result, path), choices))
            if chosen == "discard":
                path.unlink(missing_ok=True)
                return
        self.dismiss(path)

    async def open_review(self) -> None:
        """The review desk over a folder of units' drafts (the same screen as `govreport-tui review DIR`)."""
        folder = await self._ask_path("各单位草稿所在的文件夹", self.directory)
        if folder is None:
            return
        if not folder.is_dir():
            self.notify(screen_text(f"{folder}：不是文件夹"), severity="warning", markup=False)
            return
        self.app.show_review(folder, can_go_back=True)  # type: ignore[attr-defined]

    async def start_next_year(self) -> None:
        """A new report from last year's draft: carried-over numbers, last year's text to revise."""
        default = self.drafts[0].path if self.drafts else self.directory
        last_path = await self._ask_path("上年的草稿文件", default)
        if last_path is None:
            return
        try:
            last = load_report(last_path)
        except DraftError as exc:
            self.notify(screen_text(str(exc)), markup=False, severity="error", timeout=15)
            return
        path = new_draft_path(ensure_dir(self.directory), last.org, last.year + 1)
        report = report_after(last, last_path, path)
        try:
            create_draft(report, path)
        except DraftError as exc:
            self.notify(screen_text(str(exc)), markup=False, severity="error", timeout=15)
            return
        self.notify(
            screen_text(f"已新建 {report.title}，上年结转等数据已带入；上年文字已放入各部分，请逐段修改"),
            timeout=10,
            markup=False,
        )
        self.dismiss(path)
