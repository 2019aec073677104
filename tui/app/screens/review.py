"""The review desk: every unit of a folder, their status, findings and deadlines; approve, return,
export the problem list, sum. Each action is one call of the core (`tui.core.units`,
`problem_list`, `summing`), the same the command line makes."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, Static

from ...core.deadlines import ConfigFinder, chinese_date
from ...core.files import describe_os_error
from ...core.lock import LockBusy, TakeOverRefused
from ...core.problem_list import export_problem_list
from ...core.review import ReviewRefused, ReviewStatus
from ...core.session import DraftLocked, DraftSession, take_over
from ...core.store import DraftError
from ...core.summing import SumRefused, sum_drafts, sum_notes, sum_report_lines
from ...core.units import (
    SortKey,
    Unit,
    UnitCheck,
    UnitsSummary,
    check_unit,
    filter_units,
    iter_units,
    locked_by,
    set_unit_status,
    sort_units,
)
from ..widgets.display import screen_text
from ..widgets.findings_list import FindingsList
from ..widgets.keybar import KeyBar
from ..widgets.unit_list import UnitList
from .choice import ChoiceScreen
from .paths import PathDialog

FILTERS: list[ReviewStatus | None] = [
    None,
    ReviewStatus.SUBMITTED,
    ReviewStatus.RETURNED,
    ReviewStatus.DRAFT,
    ReviewStatus.APPROVED,
]
"""What F7 / Ctrl+L cycles through: all, then each status (待审 first: what the office acts on)."""

BATCH_SECONDS = 0.2
"""While the folder is read, the list is extended at most this often (each time, only new lines)."""


class CommentDialog(ModalScreen[str | None]):
    """The comment of a status change (required for 退回)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "取消", id="cancel")]

    def __init__(self, title: str, hint: str, *, required: bool = True) -> None:
        super().__init__()
        self.title_text, self.hint, self.required = title, hint, required

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(screen_text(self.title_text), classes="title")
            field = Input(id="comment", placeholder="审核意见", max_length=500)
            field.cursor_blink = False
            yield field
            yield Static(self.hint, classes="hint")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if self.required and not text:
            self.notify("退回时必须写明原因", severity="warning")
            return
        self.dismiss(text)


SumAnswer = tuple[str, int, Path]


class SumDialog(ModalScreen[SumAnswer | None]):
    """The summed report's organisation, year and file."""

    BINDINGS = [Binding("escape", "dismiss(None)", "取消", id="cancel")]

    def __init__(self, count: int, year: int, output: Path, org: str = "") -> None:
        super().__init__()
        self.count, self.year, self.output, self.org = count, year, output, org

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"汇总列表中的 {self.count} 份草稿", classes="title")
            with Horizontal(classes="form-row"):
                yield Label("机关名称")
                yield Input(self.org, id="sum-org", placeholder="例如：某县人民政府", max_length=60)
            with Horizontal(classes="form-row"):
                yield Label("报告年度")
                yield Input(str(self.year), id="sum-year", restrict=r"[0-9]*", max_length=4)
            with Horizontal(classes="form-row"):
                yield Label("保存到")
                yield Input(str(self.output), id="sum-output")
            yield Static(
                "表格逐格相加；任何一份空白的单元格汇总后仍为空白。再次汇总到同一文件时保留文字和已核对的数值。"
                "回车汇总，Esc 取消。",
                classes="hint",
            )

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = False
        self.query_one("#sum-org", Input).focus()

    @on(Input.Submitted)
    def _submit(self) -> None:
        org = self.query_one("#sum-org", Input).value.strip()
        year = self.query_one("#sum-year", Input).value
        output = self.query_one("#sum-output", Input).value.strip()
        if not org:
            self.notify("请填写汇总报告的机关名称", severity="warning")
            self.query_one("#sum-org", Input).focus()
            return
        if len(year) != 4:
            self.notify("请填写四位数的报告年度", severity="warning")
            return
        if not output:
            self.query_one("#sum-output", Input).focus()
            return
        self.dismiss((org, int(year), Path(output).expanduser()))


def unit_details(unit: Unit) -> Text:
    """The two lines under the list: the highlighted unit's file, deadline, holder, and last comment."""
    if not unit.readable:
        return Text(screen_text(f"{unit.name}：{unit.problem}"), style="red")
    first = [screen_text(unit.name), f"{unit.kind_label}报告"]
    if unit.deadline is not None:
        first.append(f"截止 {chinese_date(unit.deadline)}")
    if unit.locked_by:
        first.append(screen_text(f"正由{unit.locked_by}打开"))
    text = Text("　".join(first), no_wrap=True, overflow="ellipsis")
    last = unit.last_change
    if unit.last_comment:
        text.append("\n" + screen_text(f"最近意见：{unit.last_comment}"), style="bold")
    elif last is not None:
        text.append("\n" + screen_text(f"{last.when} {last.by} 设为“{last.status.label}”"), style="dim")
    return text


class ReviewScreen(Screen[None]):
    """Every unit of a folder, one line each; approve, return, look at one, export, sum."""

    DEFAULT_CSS = """
    ReviewScreen #review-summary { height: 1; background: $boost; padding: 0 1; }
    ReviewScreen #review-detail { height: 2; background: $panel; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "返回", id="review.back", show=False),
        Binding("f2,ctrl+a", "approve", "通过", id="review.approve", priority=True),
        Binding("f3,ctrl+b", "send_back", "退回", id="review.return", priority=True),
        Binding("f4,ctrl+t", "set_status", "状态", id="review.status", priority=True, show=False),
        Binding("f6,ctrl+o", "sort", "排序", id="review.sort", priority=True),
        Binding("f7,ctrl+l", "filter", "筛选", id="review.filter", priority=True),
        Binding("e,E", "errors_only", "有错误", id="review.errors", show=False, key_display="E"),
        Binding("x,X", "export_problems", "清单", id="review.export", key_display="X"),
        Binding("u,U", "sum", "汇总", id="review.sum", key_display="U"),
        Binding("f5", "reload", "刷新", id="review.reload", priority=True, show=False),
    ]

    today_default = staticmethod(dt.date.today)  # what "today" is for deadlines (tests fix it)

    def __init__(self, folder: Path, *, can_go_back: bool = False, today: dt.date | None = None) -> None:
        super().__init__()
        self.folder = folder
        self.can_go_back = can_go_back
        self.today = today or self.today_default()
        self.all_units: list[Unit] = []
        self.sort_key = SortKey.NAME
        self.status_filter: ReviewStatus | None = None
        self.errors_only = False
        self.loading = False
        self.finder = ConfigFinder(folder, strict=False)
        self._heading = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="review-heading", classes="heading")
        yield Static("正在读取……", id="review-summary")
        yield UnitList(id="units")
        yield Static("", id="review-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(UnitList).focus()
        self._show_heading()
        self.action_reload()

    # --- reading the folder ---------------------------------------------------------------------

    def action_reload(self) -> None:
        if self.loading:
            return
        self.loading = True
        self.all_units = []
        self.finder = ConfigFinder(self.folder, strict=False)
        self.query_one(UnitList).show([], self.sort_key)
        self._read_folder()

    @work(thread=True, exclusive=True, group="review-read")
    def _read_folder(self) -> None:
        batch: list[Unit] = []
        last = time.monotonic()
        for checked in iter_units([self.folder], today=self.today, finder=self.finder):
            batch.append(checked.unit)
            if time.monotonic() - last >= BATCH_SECONDS:
                self.app.call_from_thread(self._arrived, batch)
                batch, last = [], time.monotonic()
        self.app.call_from_thread(self._arrived, batch)
        self.app.call_from_thread(self._loaded)

    def _arrived(self, units: list[Unit]) -> None:
        self.all_units.extend(units)
        if self.status_filter is None and not self.errors_only and self.sort_key is SortKey.NAME:
            self.query_one(UnitList).append(units)  # arrival order is name order: only new lines
        self._set_summary(f"正在读取……已读 {len(self.all_units)} 份")

    def _loaded(self) -> None:
        self.loading = False
        for problem in self.finder.problems:
            self.notify(screen_text(f"审核设置有误，截止日期按默认计算：{problem}"), severity="error", timeout=15)
        if self.status_filter is not None or self.errors_only or self.sort_key is not SortKey.NAME:
            self._apply()
        self._summarise()

    def _summarise(self) -> None:
        summary = UnitsSummary.of(self.all_units)
        text = summary.text if self.all_units else "文件夹中没有草稿（.toml 文件）"
        shown = len(self.query_one(UnitList).units)
        if shown != len(self.all_units):
            text += f"（列出 {shown} 个）"
        self._set_summary(text)

    def _set_summary(self, text: str) -> None:
        self.query_one("#review-summary", Static).update(Text(text, no_wrap=True, overflow="ellipsis"), layout=False)

    def _show_heading(self) -> None:
        shown = self.status_filter.label if self.status_filter is not None else "全部"
        text = f"审核　排序：{self.sort_key.label}　筛选：{shown}{'，只看有错误' if self.errors_only else ''}"
        text += f"　{screen_text(str(self.folder))}"
        if text != self._heading:
            self._heading = text
            heading = self.query_one("#review-heading", Static)
            heading.update(Text(text, no_wrap=True, overflow="ellipsis"), layout=False)

    def _apply(self) -> None:
        units = filter_units(self.all_units, self.status_filter, self.errors_only)
        self.query_one(UnitList).show(sort_units(units, self.sort_key), self.sort_key)
        self._show_heading()
        if not self.loading:
            self._summarise()

    # --- list ----------------------------------------------------------------------------------

    @on(UnitList.Highlighted)
    def _highlighted(self, event: UnitList.Highlighted) -> None:
        detail = unit_details(event.unit) if event.unit is not None else Text("")
        self.query_one("#review-detail", Static).update(detail, layout=False)

    @on(UnitList.Chosen)
    def _chosen(self, event: UnitList.Chosen) -> None:
        self.app.push_screen(UnitScreen(self, event.unit))

    def action_sort(self, key: str | None = None) -> None:
        keys = list(SortKey)
        self.sort_key = SortKey(key) if key else keys[(keys.index(self.sort_key) + 1) % len(keys)]
        self._apply()

    def action_filter(self, status: str | None = None) -> None:
        if status is not None:
            self.status_filter = ReviewStatus(status) if status else None
        else:
            self.status_filter = FILTERS[(FILTERS.index(self.status_filter) + 1) % len(FILTERS)]
        self._apply()

    def action_errors_only(self) -> None:
        self.errors_only = not self.errors_only
        self._apply()

    def action_back(self) -> None:
        if self.can_go_back:
            self.dismiss()

    @property
    def current(self) -> Unit | None:
        return self.query_one(UnitList).current

    # --- statuses ------------------------------------------------------------------------------

    def action_approve(self) -> None:
        self._change(ReviewStatus.APPROVED)

    def action_send_back(self) -> None:
        self._change(ReviewStatus.RETURNED)

    def action_set_status(self) -> None:
        unit = self.current
        if unit is None or not unit.readable:
            return

        def chosen(answer: str | None) -> None:
            if answer:
                self._change(ReviewStatus(answer), unit)

        choices = [(s.value, s.label) for s in ReviewStatus if s is not unit.status]
        message = screen_text(f"{unit.org}：现在是“{unit.status.label}”。设为：")
        self.app.push_screen(ChoiceScreen("设置审核状态", message, choices), chosen)

    def _change(self, status: ReviewStatus, unit: Unit | None = None) -> None:
        unit = unit or self.current
        if unit is None:
            return
        if not unit.readable:
            self.notify("这份草稿无法读取，不能设置审核状态", severity="warning")
            return
        self.run_worker(self.change_status(unit, status), group="review-status")

    async def change_status(self, unit: Unit, status: ReviewStatus) -> bool:
        """Set a unit's status (asking for the comment of 退回, and who has it open); True when done."""
        comment = ""
        if status is ReviewStatus.RETURNED:
            answer = await self.app.push_screen_wait(
                CommentDialog(
                    f"退回：{unit.org}", "写明要改正的地方（必填），单位打开草稿时会看到。回车确定，Esc 取消。"
                )
            )
            if answer is None:
                return False
            comment = answer
        try:
            entry = set_unit_status(unit.path, status, comment=comment)
        except DraftLocked as exc:
            free, taken = await self._locked(unit, exc)
            if not free:
                return False
            try:
                entry = set_unit_status(unit.path, status, comment=comment)
            except (DraftError, ReviewRefused) as again:
                self.notify(screen_text(str(again)), severity="error", timeout=10, markup=False)
                return False
            finally:
                if taken is not None:
                    taken.close()
        except ReviewRefused as exc:
            self.notify(screen_text(f"{unit.org}：{exc}"), severity="warning", timeout=10, markup=False)
            return False
        except DraftError as exc:
            self.notify(screen_text(str(exc)), severity="error", timeout=10, markup=False)
            return False
        self.notify(screen_text(f"{unit.org}：已设为“{entry.status.label}”"), timeout=5, markup=False)
        self.refresh_unit(unit.path)
        return True

    async def _locked(self, unit: Unit, exc: DraftLocked) -> tuple[bool, DraftSession | None]:
        """Someone has the draft open: ask, as when opening it. (True, …) when it may be changed now,
        with the session taken over (holding the lock until the change is written), if that was the way."""
        holder = exc.holder
        choices = [("retry", "重试（对方关闭草稿之后）")]
        if holder is not None and holder.can_take_over:
            choices.append(("takeover", "接管：让对方保存并退出，然后修改"))
        choices.append(("cancel", "不修改"))
        message = f"{exc}。\n同时修改会覆盖对方的工作；可以请对方先关闭草稿。"
        while True:
            answer = await self.app.push_screen_wait(ChoiceScreen("草稿正在被编辑", message, choices))
            if answer == "retry":
                if not locked_by(unit.path):
                    return True, None
                self.notify("草稿仍然被打开着", severity="warning", timeout=5)
                continue
            if answer == "takeover":
                try:
                    result = await asyncio.to_thread(take_over, unit.path, holder)
                except (TakeOverRefused, LockBusy) as refused:
                    self.notify(screen_text(str(refused) or "对方没有退出"), severity="warning", timeout=10)
                    return False, None
                return result.session is not None, result.session
            return False, None

    def refresh_unit(self, path: Path) -> UnitCheck:
        """Read one unit again (after a change) and show its new line."""
        checked = check_unit(path, name=self._unit_name(path), finder=self.finder, today=self.today)
        self.all_units = [checked.unit if u.path == path else u for u in self.all_units]
        self.query_one(UnitList).replace(checked.unit)
        self._summarise()
        return checked

    def _unit_name(self, path: Path) -> str:
        return next((u.name for u in self.all_units if u.path == path), str(path))

    # --- problem list and sum --------------------------------------------------------------------

    def _shown(self) -> list[Unit]:
        return list(self.query_one(UnitList).units)

    def _checks(self, units: Iterable[Unit]) -> Iterator[UnitCheck]:
        for unit in units:
            yield check_unit(unit.path, name=unit.name, finder=self.finder, today=self.today)

    async def _ask_path(self, title: str, default: Path) -> Path | None:
        return await self.app.push_screen_wait(PathDialog(default, title=title))

    def action_export_problems(self) -> None:
        self.run_worker(self._export(), group="review-export", exclusive=True)

    async def _export(self) -> None:
        units = self._shown()
        if not units:
            self.notify("列表是空的：没有可导出的单位", severity="warning")
            return
        path = await self._ask_path(
            "导出问题清单（.xlsx 为 Excel 工作簿，.csv 为 CSV 文件）", self.folder / "问题清单.xlsx"
        )
        if path is None:
            return
        kind = {"xlsx": path} if path.suffix.lower() != ".csv" else {"csv_path": path}
        self.notify(f"正在导出 {len(units)} 个单位的问题清单……", timeout=3)
        try:
            problems = await asyncio.to_thread(export_problem_list, self._checks(units), **kind)
        except OSError as exc:
            self.notify(screen_text(f"{path}：无法写入（{describe_os_error(exc)}）"), severity="error", timeout=10)
            return
        self.notify(
            screen_text(f"已导出 {path}：{problems.summary.units} 个单位，{problems.findings} 条问题"), timeout=10
        )

    def action_sum(self) -> None:
        self.run_worker(self._sum(), group="review-sum", exclusive=True)

    async def _sum(self) -> None:
        units = [u for u in self._shown() if u.readable]
        if not units:
            self.notify("列表中没有可以汇总的草稿", severity="warning")
            return
        year = Counter(u.year for u in units).most_common(1)[0][0]
        default = self.folder / f"汇总-{year}.toml"
        answer = await self.app.push_screen_wait(SumDialog(len(units), year, default))
        if answer is None:
            return
        org, year, output = answer
        try:
            result = await asyncio.to_thread(
                sum_drafts, [u.path for u in units], output=output, org=org, year=year, replace=False
            )
        except (SumRefused, DraftError) as exc:
            self.notify(screen_text(f"没有汇总：{exc}"), severity="error", timeout=15, markup=False)
            return
        lines = sum_report_lines(result) + [f"注意：{note}" for note in sum_notes(result)]
        shown = lines[:14] + (
            [f"……另有 {len(lines) - 14} 行（命令行 govreport-tui sum 可看全部）"] if len(lines) > 14 else []
        )
        await self.app.push_screen_wait(ChoiceScreen("汇总完成", "\n".join(shown), [("ok", "知道了")]))
        if output.resolve().is_relative_to(self.folder.resolve()):
            self.action_reload()

    # --- the palette -----------------------------------------------------------------------------

    def palette_commands(self) -> Iterator[SystemCommand]:
        """Every action of the screen by name (the command palette, Ctrl+P)."""
        yield SystemCommand("审核：查看单位", "只读查看所选单位的检查结果（回车）", self._open_current)
        yield SystemCommand("审核：通过", "把所选单位设为通过（F2 或 Ctrl+A）", self.action_approve)
        yield SystemCommand("审核：退回", "退回所选单位，须写明原因（F3 或 Ctrl+B）", self.action_send_back)
        yield SystemCommand("审核：设置状态", "草稿、待审、退回、通过（F4 或 Ctrl+T）", self.action_set_status)
        for key in SortKey:
            yield SystemCommand(
                f"审核：按{key.label}排序", "F6 或 Ctrl+O 依次切换", lambda k=key.value: self.action_sort(k)
            )
        for status in FILTERS:
            label = status.label if status is not None else "全部"
            value = status.value if status is not None else ""
            yield SystemCommand(f"审核：只列出{label}", "F7 或 Ctrl+L 依次切换", lambda v=value: self.action_filter(v))
        yield SystemCommand("审核：只看有错误的单位", "再选一次取消（E）", self.action_errors_only)
        yield SystemCommand("审核：导出问题清单", "Excel 工作簿或 CSV（X）", self.action_export_problems)
        yield SystemCommand("审核：汇总", "把列表中的草稿逐格相加（U）", self.action_sum)
        yield SystemCommand("审核：刷新", "重新读取文件夹（F5）", self.action_reload)

    def _open_current(self) -> None:
        if self.current is not None:
            self.app.push_screen(UnitScreen(self, self.current))


class UnitScreen(Screen[None]):
    """One unit, read-only (its lock is not taken): status, history, deadline, every finding."""

    DEFAULT_CSS = """
    UnitScreen #unit-facts { height: auto; max-height: 6; background: $panel; padding: 0 1; }
    UnitScreen #unit-findings { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回", id="unit.back"),
        Binding("f2,ctrl+a", "status('approved')", "通过", id="unit.approve", priority=True),
        Binding("f3,ctrl+b", "status('returned')", "退回", id="unit.return", priority=True),
        Binding("f4,ctrl+t", "choose", "状态", id="unit.status", priority=True),
    ]

    def __init__(self, desk: ReviewScreen, unit: Unit) -> None:
        super().__init__()
        self.desk = desk
        self.unit = unit
        self.checked = check_unit(unit.path, name=unit.name, finder=desk.finder, today=desk.today)

    def compose(self) -> ComposeResult:
        yield Static("", id="unit-heading", classes="heading")
        yield Static("", id="unit-facts")
        yield FindingsList(self.checked.findings, id="unit-findings")
        yield KeyBar()

    def on_mount(self) -> None:
        self._show()
        self.query_one(FindingsList).focus()

    def _show(self) -> None:
        unit, report = self.checked.unit, self.checked.report
        title = report.title if report is not None else unit.name
        self.query_one("#unit-heading", Static).update(Text(screen_text(f"只读查看：{title}"), no_wrap=True))
        lines = [unit_details(unit)]
        if report is not None:
            history = report.review.history[-3:]
            for entry in history:
                line = f"{entry.when} {entry.by}：{entry.status.label}" + (
                    f"：{entry.comment}" if entry.comment else ""
                )
                lines.append(Text(screen_text(line), no_wrap=True, overflow="ellipsis"))
            status = f"审核状态：{unit.status.label}　错误 {unit.errors}　警告 {unit.warnings}　提示 {unit.infos}"
            lines.insert(0, Text(status, style="bold"))
        self.query_one("#unit-facts", Static).update(Text("\n").join(lines))
        self.query_one(FindingsList).set_findings(self.checked.findings)

    def action_status(self, status: str) -> None:
        self.run_worker(self._set(ReviewStatus(status)), group="unit-status")

    def action_choose(self) -> None:
        def chosen(answer: str | None) -> None:
            if answer:
                self.action_status(answer)

        choices = [(s.value, s.label) for s in ReviewStatus if s is not self.checked.unit.status]
        self.app.push_screen(ChoiceScreen("设置审核状态", "设为：", choices), chosen)

    async def _set(self, status: ReviewStatus) -> None:
        if not self.checked.unit.readable:
            self.notify("这份草稿无法读取，不能设置审核状态", severity="warning")
            return
        if await self.desk.change_status(self.checked.unit, status):
            self.checked = check_unit(
                self.unit.path, name=self.unit.name, finder=self.desk.finder, today=self.desk.today
            )
            self._show()

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("审核：通过", "把这个单位设为通过（F2 或 Ctrl+A）", lambda: self.action_status("approved"))
        yield SystemCommand(
            "审核：退回", "退回这个单位，须写明原因（F3 或 Ctrl+B）", lambda: self.action_status("returned")
        )
        yield SystemCommand("审核：设置状态", "草稿、待审、退回、通过（F4 或 Ctrl+T）", self.action_choose)
