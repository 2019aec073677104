"""The `govreport-tui` command: the full-screen app, and headless check, export and new."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from . import __version__
from .core.checks import Finding, check_report
from .core.files import ReadOnlyFile, describe_os_error
from .core.formats import SchemaError, UnknownFormatError, all_formats, get_format
from .core.linked_files import load_linked_files
from .core.report import Report, parse_year
from .core.safetext import safe_json, safe_text
from .core.session import create_draft
from .core.severity import severity_summary
from .core.store import DraftError, atomic_write, load_report

if TYPE_CHECKING:
    from .core.units import Unit, UnitCheck

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2
EXPORT_KINDS = ["md", "txt", "html", "html-fragment", "docx"]  # tui.core.render.EXPORTS; not imported: start fast
TABLE_LAYOUTS = ["grid", "list"]  # tui.core.render.TABLE_LAYOUTS

_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "invalid %(type)s value: %(value)r": "无效的值 %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
}


def _translate_argparse() -> None:
    """argparse prints English through gettext; give it the Chinese the clerks read."""
    argparse._ = lambda text: _ARGPARSE_ZH.get(text, text)  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are Chinese and exit with code 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNREADABLE, safe_text(f"{self.prog}：错误：{message}") + "\n")


# Every line this command writes to a terminal goes through `safe_text`: file names, values and
# messages can carry escape sequences (a file named `\x1b]52;…` writes the clipboard).


def _out(line: object) -> None:
    print(safe_text(line))


def _err(message: object) -> None:
    print(safe_text(message), file=sys.stderr)


def _year(text: str) -> int:
    year = parse_year(text)
    if year is None:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效的年度")
    return year


def build_parser() -> argparse.ArgumentParser:
    _translate_argparse()
    parser = _Parser(
        prog="govreport-tui",
        description="政府信息公开工作年度报告填报工具：全屏向导、勾稽关系检查、导出 Markdown/纯文本/HTML/Word。",
        epilog="不带命令运行时打开全屏向导：govreport-tui [草稿.toml] [--dir 草稿文件夹]",
    )
    parser.add_argument("--version", action="version", version=f"govreport-tui {__version__}", help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    sub.add_parser("formats", help="列出已知的报告格式", description="列出已知的报告格式：编号、名称、适用年度。")

    p_new = sub.add_parser("new", help="新建一份空白草稿", description="新建一份空白的年度报告草稿（TOML 文件）。")
    p_new.add_argument("--year", type=_year, help="报告年度，例如 2025（用 --from 时默认为上年加一）")
    p_new.add_argument("--org", help="机关名称，例如 同江市退役军人事务局（用 --from 时默认沿用上年）")
    p_new.add_argument(
        "--from",
        dest="last",
        type=Path,
        metavar="上年草稿",
        help="以上年的草稿为基础：沿用机关名称，带入上年结转等数据，上年文字作为修改起点",
    )
    p_new.add_argument(
        "--format", dest="format_id", metavar="格式编号", help="报告格式编号（见 formats 命令）；不填则按年度选择"
    )
    p_new.add_argument("-o", "--output", type=Path, required=True, metavar="文件", help="草稿保存路径")
    p_new.add_argument("--force", action="store_true", help="文件已存在时覆盖")

    p_check = sub.add_parser(
        "check",
        help="检查草稿的勾稽关系和填写问题",
        description="检查一份或多份草稿。退出码：0 无错误（可有警告），1 发现错误，2 有文件无法读取。",
    )
    p_check.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="草稿",
        help="草稿文件（.toml），或文件夹（检查其中及子文件夹中的所有草稿）",
    )
    p_check.add_argument("--json", action="store_true", help="以 JSON 格式输出检查结果")
    p_check.add_argument(
        "--summary", action="store_true", help="每个单位只输出一行：审核状态、错误/警告/提示数、截止日期"
    )
    p_check.add_argument("--xlsx", type=Path, metavar="文件", help="把问题清单写入 Excel 工作簿（汇总表和问题清单表）")
    p_check.add_argument(
        "--csv", type=Path, metavar="文件", help="把问题清单写入 CSV 文件（UTF-8，带 BOM，Excel 可直接打开）"
    )

    p_review = sub.add_parser(
        "review",
        help="审核台：列出文件夹中各单位的报告，设置审核状态",
        description="打开审核界面，列出文件夹（含子文件夹）中各单位的草稿：审核状态、错误/警告/提示、最后保存时间、"
        "截止日期和剩余天数；可以查看、退回（须写明原因）、通过、导出问题清单、汇总。"
        "加 --status 时不打开界面，只修改一份草稿的审核状态。",
    )
    p_review.add_argument(
        "path", type=Path, metavar="文件夹或草稿", help="各单位草稿所在的文件夹；用 --status 时为一份草稿"
    )
    p_review.add_argument("--status", metavar="状态", help="把草稿的审核状态设为：草稿、待审、退回、通过")
    p_review.add_argument("--comment", default="", metavar="意见", help="审核意见（退回时必须填写）")
    p_review.add_argument("--by", metavar="姓名", help="审核人（默认为当前登录用户）")

    p_sum = sub.add_parser(
        "sum",
        help="把各单位的报告逐格相加，汇总为本地区的报告",
        description="把各单位草稿（同一格式、同一年度）的表格逐格相加，写成一份汇总草稿。任何一份空白的单元格，"
        "汇总后仍为空白并列出（不会当作 0）；现行有效件数和收费金额列出待核对。"
        "汇总草稿记录来源文件及其指纹；再次汇总到同一文件时保留文字和已核对的数值，并列出变化。"
        "退出码：0 完成，1 完成但有空白单元格，2 无法汇总。",
    )
    p_sum.add_argument("paths", nargs="+", type=Path, metavar="草稿或文件夹", help="各单位的草稿，或其所在的文件夹")
    p_sum.add_argument("--org", help="汇总报告的机关名称，例如 某县人民政府（再次汇总时可省略）")
    p_sum.add_argument("--year", type=_year, help="报告年度（不填则为各草稿的年度）")
    p_sum.add_argument("-o", "--output", type=Path, required=True, metavar="文件", help="汇总草稿保存路径")
    p_sum.add_argument("--force", action="store_true", help="文件已存在且不是汇总草稿时覆盖")

    p_import = sub.add_parser(
        "import",
        help="导入已发布的报告（Word 文字、网页、Excel/WPS 复制的表格、HTML）",
        description="把已发布的年度报告（Word 文档的文字、从网页或 Excel/WPS 复制的文字、“ | ”分隔的文字、"
        "保存的 HTML 网页，或本程序导出的 Markdown、纯文本、HTML）导入为草稿。只有能确定所在单元格的数值才填入，"
        "其余数值连同所在行列出。退出码：0 全部导入，1 有数值无法确定位置（已列出）或一个数值也没有导入，"
        "2 文件无法读取、不是年度报告，或找不到机关名称、年度。",
    )
    p_import.add_argument("source", type=Path, metavar="文件", help="已发布报告的文字或 HTML 文件")
    p_import.add_argument("-o", "--output", type=Path, required=True, metavar="草稿", help="草稿保存路径")
    p_import.add_argument("--org", help="机关名称：报告的标题和正文中没有时使用（填写后以此为准）")
    p_import.add_argument("--year", type=_year, help="报告年度：报告的标题和正文中没有时使用（填写后以此为准）")
    p_import.add_argument("--force", action="store_true", help="文件已存在时覆盖")

    p_upgrade = sub.add_parser(
        "upgrade",
        help="把试行格式的草稿升级为 2021 年版格式",
        description="把旧格式（如 2019 年试行格式）的草稿转为新格式：能对应的数据带入，并列出需要重新填写的单元格。",
    )
    p_upgrade.add_argument("path", type=Path, metavar="草稿", help="旧格式的草稿")
    p_upgrade.add_argument("-o", "--output", type=Path, required=True, metavar="新草稿", help="新草稿保存路径")
    p_upgrade.add_argument(
        "--format", dest="format_id", default="2021", metavar="格式编号", help="目标格式（默认 2021）"
    )
    p_upgrade.add_argument("--force", action="store_true", help="文件已存在时覆盖")

    p_export = sub.add_parser(
        "export",
        help="导出为 Markdown、纯文本、HTML 或 Word 文档",
        description="把草稿导出为 Markdown、纯文本、HTML（整页，或只含正文的片段）或 Word 文档（.docx，公文版式）。"
        "空白单元格导出后仍为空白，不会写成 0。",
    )
    p_export.add_argument("path", type=Path, metavar="草稿", help="草稿文件（.toml）")
    p_export.add_argument(
        "--to",
        choices=EXPORT_KINDS,
        required=True,
        help="导出格式：md；txt；html（整页网页，在浏览器中打开后全选复制，粘贴到网站编辑器）；"
        "html-fragment（只含正文的 HTML 片段，粘贴到网站编辑器的“源代码”模式）；"
        "docx（Word 文档，用于打印盖章或“导入 Word”）",
    )
    p_export.add_argument(
        "--tables",
        choices=TABLE_LAYOUTS,
        default="grid",
        help="纯文本中表格的排法：grid 为对齐的表格（默认，适合在终端中核对）；list 为每行一句“项目：列 数值，……”，"
        "每行不超过 80 列，适合粘贴到纯文本框或邮件",
    )
    p_export.add_argument(
        "-o", "--output", type=Path, metavar="文件", help="输出文件；不填则输出到屏幕（docx 须指定文件）"
    )
    p_export.add_argument("--strict", action="store_true", help="报告还有错误时拒绝导出")
    return parser


# --- commands -------------------------------------------------------------------------------


def cmd_formats(_args: argparse.Namespace) -> int:
    for fmt in all_formats().values():  # a format file from $GOVREPORT_SCHEMAS is not trusted either
        fields = (fmt.id, f"{fmt.name}（{fmt.document}）", f"适用于{fmt.years_label}的报告")
        print("\t".join(safe_text(field) for field in fields))
    return EXIT_OK


def _refuse_overwrite(path: Path, force: bool) -> bool:
    if os.path.lexists(path) and not force:  # a dangling symlink too: writing there needs --force
        _err(f"{path}：文件已存在。如确实要覆盖，请加 --force")
        return True
    return False


def cmd_new(args: argparse.Namespace) -> int:
    from .core.new_drafts import NoFormat, blank_report, format_for, report_after

    last = load_report(args.last) if args.last else None
    if args.year is not None:
        year: int = args.year
    elif last is not None:
        year = last.year + 1
    else:
        _err("请用 --year 填写报告年度（或用 --from 指定上年草稿，年度为上年加一）")
        return EXIT_UNREADABLE
    try:
        fmt = format_for(year, get_format(args.format_id) if args.format_id else None)
    except NoFormat as exc:
        _err(f"{exc}（--format）")
        return EXIT_UNREADABLE
    if args.org is None and last is None:
        _err("请用 --org 填写机关名称（或用 --from 指定上年草稿）")
        return EXIT_UNREADABLE
    if _refuse_overwrite(args.output, args.force):
        return EXIT_UNREADABLE
    org = safe_text(args.org).strip() if args.org else None
    if last is not None:
        report = report_after(last, args.last, args.output, year=year, org=org, fmt=fmt)
    else:
        report = blank_report(fmt, org or "", year)
    create_draft(report, args.output, overwrite=args.force)
    _out(f"已新建草稿 {args.output}：{report.title}（{fmt.name}）")
    if last is not None:
        filled = sum(1 for v in report.cells.values() if v is not None)
        _out(f"已从上年草稿 {args.last} 带入 {filled} 个单元格（上年结转等）；上年文字已放入各部分，请逐段修改。")
    else:
        _out("开篇说明已按标准写法起草，请补全其中的【请填写】处。")
    if not fmt.applies_to(year):
        _err(f"注意：《{fmt.name}》只适用于{fmt.years_label}的报告")
    return EXIT_OK


_IMPORT_OPTIONS = {"org": "--org 机关名称", "year": "--year 年度"}


def cmd_import(args: argparse.Namespace) -> int:
    from .core.importer import SHAPE_NAMES, MissingFacts, NotAReport, import_report

    try:
        result = import_report(args.source, org=args.org, year=args.year)
    except MissingFacts as exc:
        options = "、".join(_IMPORT_OPTIONS[m] for m in exc.missing)
        _err(f"{args.source}：{exc}。请用 {options} 填写")
        return EXIT_UNREADABLE
    except NotAReport as exc:
        _err(f"{args.source}：{exc}")
        return EXIT_UNREADABLE
    if _refuse_overwrite(args.output, args.force):
        return EXIT_UNREADABLE
    create_draft(result.report, args.output, overwrite=args.force)
    report = result.report
    shape = SHAPE_NAMES.get(result.shape, result.shape)
    _out(
        f"已导入 {args.output}：{report.title}（{report.format.name}），按{shape}读取，"
        f"{result.placed}/{result.cell_count} 个单元格有数值"
    )
    for note in result.notes:
        _out(f"  [{note.label}] {note}")
    if result.failed:
        _err(f"导入失败：{result.failure}。草稿已保存，但表格需要全部手工填写。")
    elif result.unplaced:
        _err(f"有 {len(result.unplaced)} 个数值无法确定所在的单元格，没有填入（见上面的 [未导入]），请对照原文填写。")
    return EXIT_OK if result.complete else EXIT_FINDINGS


def cmd_upgrade(args: argparse.Namespace) -> int:
    from .core.carryover import upgrade

    old = load_report(args.path)
    fmt = get_format(args.format_id)
    if _refuse_overwrite(args.output, args.force):
        return EXIT_UNREADABLE
    result = upgrade(old, fmt)
    create_draft(result.report, args.output, overwrite=args.force)
    _out(f"已升级为《{fmt.name}》：{args.output}，带入 {len(result.carried)} 个单元格")
    if result.reenter:
        _out(f"需要重新填写 {len(result.reenter)} 个单元格：")
        for ref in result.reenter:
            col, row = fmt.cell_index[ref]
            _out(f"  {fmt.part(ref.part).heading} › {row.name}／{col.name}")
    if result.dropped:
        _out("旧格式中这些数值在新格式中没有对应的单元格，未带入：")
        for ref, value in result.dropped:
            col, row = old.format.cell_index[ref]
            _out(f"  {old.format.part(ref.part).heading} › {row.name}／{col.name}：{value}")
    return EXIT_OK


def _print_findings(path: Path, report: Report, findings: list[Finding]) -> None:
    _out(f"{path}：{report.title}（{report.format.name}）")
    for f in findings:
        _out(f"  [{f.severity.label}] {f.rule} {f.message}")
        if f.quote and f.start is not None and f.text is not None:
            where = report.format.text_heading(f.text)
            _out(f"      原句（{where}第 {f.start + 1}—{f.end} 字）：{f.quote}")
    _out(f"  {severity_summary(findings).sentence}")


def _unit_record(checked: UnitCheck) -> dict[str, Any]:
    """The JSON record of a checked draft (a bad file: `readable` false and the `error`)."""
    unit, report = checked.unit, checked.report
    if report is None:
        return {"file": str(unit.path), "readable": False, "error": unit.problem}
    summary = severity_summary(checked.findings)
    return {
        "file": str(unit.path),
        "readable": True,
        "title": report.title,
        "format": report.format.id,
        "counts": {s.value: n for s, n in summary.counts.items()},
        "findings": [f.to_dict() for f in checked.findings],
        "review": {"status": unit.status.value, "label": unit.status.label, "comment": unit.last_comment},
        "deadline": unit.deadline.isoformat() if unit.deadline else None,
        "days_left": unit.days_left,
    }


def _summary_line(unit: Unit) -> str:
    """`check --summary`: one line per unit."""
    counts = f"错误 {unit.errors} 警告 {unit.warnings} 提示 {unit.infos}"
    if unit.days_left is None or unit.deadline is None:
        due = ""
    elif unit.days_left < 0:
        due = f"　截止 {unit.deadline.isoformat()}（已过 {-unit.days_left} 天）"
    else:
        due = f"　截止 {unit.deadline.isoformat()}（还有 {unit.days_left} 天）"
    lock = f"　由{unit.locked_by}打开" if unit.locked_by else ""
    return f"{unit.name}：{unit.org} {unit.year} {unit.format_short}　{unit.status.label}　{counts}{due}{lock}"


def cmd_check(args: argparse.Namespace) -> int:
    from .core.deadlines import ConfigError
    from .core.units import UnitsSummary, iter_units

    problems = None
    if args.xlsx or args.csv:
        from .core.problem_list import ProblemList

        problems = ProblemList(xlsx=args.xlsx, csv_path=args.csv)
    summary = UnitsSummary()
    status = EXIT_OK
    first = True
    try:
        for checked in iter_units(args.paths):
            unit, report = checked.unit, checked.report
            summary.add(unit)
            if problems is not None:
                problems.add(checked)
            if args.json:
                text = safe_json(_unit_record(checked))  # exact names and values, anything a terminal acts on escaped
                print(("[\n" if first else ",\n") + "\n".join("  " + line for line in text.splitlines()), end="")
                first = False
            if report is None:
                if not args.json:
                    _err(
                        f"无法读取草稿 {unit.problem}"
                        if "检查时出错" not in unit.problem
                        else f"无法检查草稿 {unit.problem}"
                    )
                status = EXIT_UNREADABLE
                continue
            if report.missing_cells and not args.json:
                _err(f"注意：{unit.path} 中缺少 {report.missing_cells} 个单元格的记录（按空白处理），文件可能不完整")
            if args.summary and not args.json:
                _out(_summary_line(unit))
            elif not args.json:
                _print_findings(unit.path, report, checked.findings)
            status = max(status, EXIT_FINDINGS if unit.errors else EXIT_OK)
    except ConfigError as exc:
        _err(f"审核设置有误：{exc}")
        return EXIT_UNREADABLE
    if args.json:
        print("\n]" if not first else "[]")
    elif args.summary or any(p.is_dir() for p in args.paths):
        _out(summary.text)
    if problems is not None:
        try:
            written = problems.save()
        except OSError as exc:
            _err(f"问题清单无法写入（{describe_os_error(exc)}）")
            return EXIT_UNREADABLE
        for path in written:
            _err(f"已写出问题清单 {path}（{summary.units} 个单位，{problems.findings} 条问题）")
    return status


def cmd_review(args: argparse.Namespace) -> int:
    if args.status is None:
        if args.comment or args.by:
            _err("--comment 和 --by 只和 --status 一起使用")
            return EXIT_UNREADABLE
        if not args.path.is_dir():
            _err(f"{args.path}：不是文件夹。审核界面列出一个文件夹中的草稿；修改一份草稿的状态请加 --status")
            return EXIT_UNREADABLE
        return run_app(["--review", str(args.path)])
    from .core.review import ReviewRefused, parse_status
    from .core.session import DraftLocked
    from .core.units import set_unit_status

    try:
        wanted = parse_status(args.status)
    except ValueError as exc:
        _err(str(exc))
        return EXIT_UNREADABLE
    try:
        entry = set_unit_status(args.path, wanted, comment=args.comment, by=args.by)
    except DraftLocked as exc:
        _err(f"{exc}。请等对方关闭后再试")
        return EXIT_UNREADABLE
    except ReviewRefused as exc:
        _err(f"{args.path}：{exc}")
        return EXIT_FINDINGS
    _out(f"{args.path}：审核状态已设为“{entry.status.label}”（{entry.by}，{entry.when}）")
    return EXIT_OK


def cmd_sum(args: argparse.Namespace) -> int:
    from .core.summing import SumRefused, sum_drafts, sum_notes, sum_report_lines

    try:
        result = sum_drafts(args.paths, output=args.output, org=args.org, year=args.year, replace=args.force)
    except SumRefused as exc:
        _err(f"没有汇总：{exc}")
        return EXIT_UNREADABLE
    for line in sum_report_lines(result):
        _out(line)
    for note in sum_notes(result):
        _err(f"注意：{note}")
    return EXIT_FINDINGS if result.blanks else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    if args.tables != "grid" and args.to != "txt":
        _err("--tables 只用于纯文本导出（--to txt）")
        return EXIT_UNREADABLE
    if args.to == "docx" and args.output is None and sys.stdout.isatty():
        _err("Word 文档不能显示在屏幕上，请用 -o 指定文件，例如 -o 报告.docx")
        return EXIT_UNREADABLE
    try:
        report = load_report(args.path)
    except DraftError as exc:
        _err(f"无法读取草稿 {exc}")
        return EXIT_UNREADABLE
    load_linked_files(report, args.path)
    errors = severity_summary(check_report(report)).errors
    if errors and args.strict:
        _err(f"报告还有 {errors} 个错误，未导出（--strict）。请先运行 govreport-tui check {args.path}")
        return EXIT_FINDINGS
    from .core.render import export_bytes  # Jinja2 and python-docx are only needed here

    data = export_bytes(report, args.to, args.tables)
    if args.output is None and args.to == "docx":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    elif args.output is None:
        sys.stdout.write(safe_text(data.decode("utf-8"), keep_newlines=True))
    else:
        try:
            atomic_write(args.output, data, backup=False)
        except ReadOnlyFile as exc:
            _err(f"{args.output}：{exc.strerror}")
            return EXIT_UNREADABLE
        except OSError as exc:
            _err(f"{args.output}：无法写入（{describe_os_error(exc)}）")
            return EXIT_UNREADABLE
        _err(f"已导出 {args.output}")
    if errors:
        _err(f"注意：报告还有 {errors} 个错误，导出内容仅供预览。运行 govreport-tui check {args.path} 查看详情")
    return EXIT_OK


COMMANDS = {
    "formats": cmd_formats,
    "new": cmd_new,
    "import": cmd_import,
    "upgrade": cmd_upgrade,
    "check": cmd_check,
    "export": cmd_export,
    "review": cmd_review,
    "sum": cmd_sum,
}
_NON_UTF8 = ("gbk", "gb2312", "gb18030", "big5", "latin1", "iso8859", "euccn", "euctw")
_LEGACY_CHINESE = ("zh_cn", "zh_sg", "zh_tw", "zh_hk")
"""Chinese locales that, named without a codeset, mean GB2312 or BIG5 (as glibc defines them)."""


def non_utf8_locale(environ: Mapping[str, str]) -> tuple[str, str] | None:
    """(variable, value) of the locale in force for characters when it is not UTF-8, else None.

    The first of LC_ALL, LC_CTYPE, LANG that is set decides, as for every program: a GBK left in
    LANG does not matter when LC_ALL says UTF-8, and the other way round.
    """
    for variable in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = environ.get(variable, "")
        if value:
            break
    else:
        return None
    language, _, codeset = value.lower().partition(".")
    codeset = codeset.partition("@")[0].replace("-", "").replace("_", "")
    if not codeset:
        return (variable, value) if language.partition("@")[0] in _LEGACY_CHINESE else None
    return (variable, value) if any(name in codeset for name in _NON_UTF8) else None


def build_app_parser() -> argparse.ArgumentParser:
    _translate_argparse()
    parser = _Parser(prog="govreport-tui", description="打开全屏填报向导。")
    parser.add_argument("path", nargs="?", type=Path, metavar="草稿", help="要打开的草稿；不填则显示草稿列表")
    parser.add_argument("--dir", type=Path, metavar="文件夹", help="草稿文件夹（默认：$GOVREPORT_DIR，或用户数据目录）")
    parser.add_argument("--review", type=Path, metavar="文件夹", help=argparse.SUPPRESS)  # `govreport-tui review DIR`
    return parser


def _terminal_problem() -> str | None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return "全屏向导需要在终端中运行。检查和导出请使用 check、export 命令（见 govreport-tui --help）。"
    legacy = non_utf8_locale(os.environ)
    if legacy is not None:
        variable, value = legacy
        return (
            f"终端编码不是 UTF-8（{variable}={safe_text(value)}），中文会显示为乱码。"
            f"请在 SSH 客户端（Xshell、PuTTY 等）中把字符编码设为 UTF-8，并设置 {variable}=zh_CN.UTF-8。"
        )
    return None


def run_app(argv: list[str]) -> int:
    """The full-screen wizard; Textual is imported only here."""
    from .core.drafts_folder import copy_if_example, drafts_dir

    args = build_app_parser().parse_args(argv)
    problem = _terminal_problem()
    if problem:
        _err(problem)
        return EXIT_UNREADABLE
    directory = drafts_dir(args.dir)
    if args.path is not None:
        args.path = copy_if_example(args.path, directory)
    if os.environ.get("SSH_CONNECTION"):
        os.environ.setdefault("ESCDELAY", "300")  # arrows split over slow links must not read as Esc
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    from .app.app import GovReportApp

    app = GovReportApp(args.path, directory, review=args.review)
    app.run()
    if app.crash_message or app.exit_notice:
        _err(app.crash_message or app.exit_notice)
    return app.return_code or EXIT_OK


def _tolerant_streams() -> None:
    """A character the terminal's encoding lacks prints as `?` instead of ending the program."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_streams()
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0] not in (*COMMANDS, "-h", "--help", "--version"):
        return run_app(args_list)
    parser = build_parser()
    args = parser.parse_args(args_list)
    try:
        return COMMANDS[args.command](args)
    except (SchemaError, UnknownFormatError, DraftError) as exc:
        _err(str(exc))
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
