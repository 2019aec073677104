"""Rules as data: the parameters of every rule kind, validated at load and resolved once per
format into concrete checks (which cells, which texts). Evaluation lives in `checks`.

`RULE_KINDS` is the one table of kinds: each has a parameter class (its keys, types and
defaults; an unknown or missing key is an error naming the rule and the key) and a function
that resolves the parameters against a format's parts and cells.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from string import Template
from typing import Any, Literal

from .rule_params import CellPath, RuleError, parse_params
from .severity import Severity
from .tables import PREAMBLE, CellRef, Column, Outline, Row
from .text_figures import Figure, FigureReader
from .values import CellKind

# --- compiled rules --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Check:
    """One concrete check of a rule, and what it reads (for rechecking only what an edit touches)."""

    group: str
    cells: tuple[CellRef, ...] = ()  # cells it reads
    texts: tuple[str, ...] = ()  # texts it reads
    meta: bool = False  # reads the organisation, the year, last year's draft or linked files


@dataclass(frozen=True)
class Rule:
    """A declared rule, validated and resolved against one format: its checks are ready to run."""

    id: str
    kind: str
    severity: Severity
    params: Any = field(compare=False)  # the kind's parameter class
    checks: tuple[Check, ...] = field(compare=False, repr=False)
    source: str = ""  # the file that declares it

    def say(self, template: str = "message", /, **values: object) -> str:
        """Fill one of the rule's message templates (the format file's wording, or the kind's
        default): `${name}` placeholders are replaced, nothing is evaluated."""
        return Template(str(getattr(self.params, template))).safe_substitute({k: str(v) for k, v in values.items()})


def number(value: int | Decimal) -> str:
    """A number as messages show it: amounts without exponent."""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


# --- parameters of each kind -----------------------------------------------------------------


@dataclass(frozen=True)
class BalanceParams:
    """Parameters of `balance`: sum of `left` = sum of `right` in every column (or row)."""

    part: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    over: Literal["columns", "rows"] = "columns"
    where: str = ""
    message: str = "${where}：${left_expr} = ${left}，但${right_expr} = ${right}"


@dataclass(frozen=True)
class TotalParams:
    """Parameters of `total`: the `total` row (or column) is the sum of `parts`."""

    part: str
    total: str
    parts: tuple[str, ...]
    over: Literal["columns", "rows"] = "columns"
    where: str = ""
    message: str = "${where}：总计为 ${total}，但${parts_expr} = ${sum}"


@dataclass(frozen=True)
class CellKindsParams:
    """Parameters of `cell_kinds`: every cell holds a number of its column's kind."""

    message: str = "${where}：${problem}"


@dataclass(frozen=True)
class NoBlankParams:
    """Parameters of `no_blank`: no blank cells, one finding per table."""

    message: str = "${heading}：有 ${count} 个单元格空白（${cells}${more}）。没有数据的请填 0，不要留空或填“/”。"


@dataclass(frozen=True)
class CarriedStockParams:
    """Parameters of `carried_stock`: stock figures next year's draft takes from last year's, to confirm."""

    cell: CellPath  # one `*` for the rows (or columns) of a table, e.g. ["proactive", "*", "in_force"]
    message: str = "${heading}：${cells} 是从上年报告带入的数字，请按本年度情况核对；修改或重新输入后此提示消失。"


@dataclass(frozen=True)
class YearRangeParams:
    """Parameters of `year_range`: the report's year is one the format applies to."""

    message: str = (
        "本报告是${year}年度报告，但使用的是《${name}》（${document}），"
        "该格式只适用于${years}的报告。请改用适用于${year}年度的格式。"
    )


@dataclass(frozen=True)
class TextRequiredParams:
    """Parameters of `text_required`: a part's text is not empty."""

    part: str
    min_chars: int = 1
    message: str = "${heading}尚未填写。"


@dataclass(frozen=True)
class TextMentionsParams:
    """Parameters of `text_mentions`: a part's text mentions one of the words."""

    part: str
    any: tuple[str, ...]
    message: str = "${heading}没有提到：${words}"


@dataclass(frozen=True)
class TextForbiddenParams:
    """Parameters of `text_forbidden`: no text (or that part's) contains one of the words."""

    any: tuple[str, ...]
    part: str = ""  # empty: every text
    message: str = "${heading}含有：${words}"


@dataclass(frozen=True)
class CellImpliesTextParams:
    """Parameters of `cell_implies_text`: a cell above 0 asks a part's text to mention one of the words."""

    cell: CellPath
    text: str
    any: tuple[str, ...]
    message: str = "${where} 为 ${value}，${heading}应有说明。"


@dataclass(frozen=True)
class AmountPlausibleParams:
    """Parameters of `amount_plausible`: an amount is not implausibly large or precise."""

    cell: CellPath
    max: Decimal
    max_decimals: int = 6
    message: str = "${where}：${value} ${problem}"


@dataclass(frozen=True)
class TermParams:
    """One term of a year-over-year sum: a cell of this year's or last year's report, with a sign."""

    cell: CellPath
    year: Literal["this", "last"] = "this"
    sign: Literal[1, -1] = 1


@dataclass(frozen=True)
class YearOverYearParams:
    """Parameters of `year_over_year`: this year's cell = a sum of this year's and last year's cells."""

    cell: CellPath  # one `*` stands for every row (or column) of the table
    terms: tuple[TermParams, ...]
    carry: bool = False  # `new --from` fills the cell from last year's (only `last` terms)
    message: str = "${where}：${value} ≠ ${expected}"
    missing_message: str = "上年报告中${cells}空白，无法核对${where}：请补填上年报告，或核实本年数据。"


@dataclass(frozen=True)
class PreviousReadableParams:
    """Parameters of `previous_readable`: the draft's last-year draft can be read."""

    message: str = "本草稿注明以上年草稿 ${path} 为基础，但该文件无法读取（${problem}），同比检查未进行。"


@dataclass(frozen=True)
class RuleFilesParams:
    """Parameters of `rule_files`: the rule packs the draft names can be used."""

    message: str = "${problem}"


@dataclass(frozen=True)
class DomainParams:
    """What a passage of the narrative can be about (申请, 行政复议 …) and the words that show it."""

    id: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class FigureParams:
    """A table figure the narrative may state: the words that name it and the cells it equals."""

    id: str
    name: str
    domain: str
    words: tuple[str, ...]
    cells: tuple[CellPath, ...]
    with_carried: tuple[CellPath, ...] = ()
    with_carried_name: str = ""
    needs_domain: bool = False
    after: bool = False
    zero_nouns: tuple[str, ...] = ()
    percent_of: tuple[str, ...] = ()  # ids of the figures a stated percentage may be a share of


@dataclass(frozen=True)
class TextFiguresParams:
    """Parameters of `text_figures`: figures stated in the narrative equal the tables."""

    texts: tuple[str, ...]
    domains: tuple[DomainParams, ...]
    figures: tuple[FigureParams, ...]
    negations: tuple[str, ...] = ()
    message: str = "${where}写“${phrase}”，${name}为 ${value}"
    percent_message: str = "${where}写“${phrase}”，按${base_name} ${base} 计算应为 ${expected}%"
    zero_message: str = "${where}写“${phrase}”，但${name}为 ${value}"


@dataclass(frozen=True)
class PartNamesParams:
    """A part of the report and the words a preamble names it by."""

    part: str
    any: tuple[str, ...]


@dataclass(frozen=True)
class PartsListedParams:
    """Parameters of `parts_listed`: the preamble's list of parts is the format's."""

    parts: tuple[PartNamesParams, ...]
    text: str = PREAMBLE
    count_message: str = "${where}写“${phrase}”，但报告格式规定的是 ${expected} 个部分。"
    missing_message: str = "${where}列举报告的组成部分时没有列出：${missing}。"
    order_message: str = "${where}列举的组成部分顺序与格式不一致：应依次为${expected}。"


@dataclass(frozen=True)
class TextYearsParams:
    """Parameters of `text_years`: period, titles and years in the text are the report's."""

    texts: tuple[str, ...] = ()  # empty: every text
    titles_in: tuple[str, ...] = (PREAMBLE,)  # where a report title must be this report's
    period_message: str = "${where}写“${phrase}”，但本报告是 ${year} 年度报告。"
    title_message: str = "${where}写“${phrase}”，但本报告是${title}。"
    stray_message: str = (
        "${where}有“${phrase}”：本报告是 ${year} 年度报告，这里说的却是 ${other} 年。是否沿用了往年的文字？"
    )


@dataclass(frozen=True)
class TextSimilarParams:
    """Parameters of `text_similar`: a text is not (nearly) last year's same text."""

    texts: tuple[str, ...] = ()
    threshold: float = 0.8
    min_chars: int = 50
    ngram: int = 3
    message: str = "${heading}与上年报告的同一部分有 ${percent}% 相同：内容雷同属于问责情形，请按本年度情况重写。"


@dataclass(frozen=True)
class SlotParams:
    """Where a text names the organisation: the words before and after the name."""

    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True)
class OrgNamesParams:
    """Parameters of `org_names`: the organisation a text names is the report's own."""

    slots: tuple[SlotParams, ...]
    texts: tuple[str, ...] = ()
    message: str = "${where}写“${phrase}”，但本报告的机关是 ${org}：是否沿用了其他单位的报告？"


@dataclass(frozen=True)
class AspectParams:
    """Something part 五 must cover, and the words that show it does."""

    name: str
    any: tuple[str, ...]
    with_any: tuple[str, ...] = ()  # if given, one of these must be in the same sentence
    needs_previous: bool = False  # asked for only when last year's draft is known


@dataclass(frozen=True)
class TextSubstanceParams:
    """Parameters of `text_substance`: a part is not empty talk."""

    part: str
    aspects: tuple[AspectParams, ...]
    min_chars: int = 100
    empty: tuple[str, ...] = ()
    short_message: str = "${heading}只有 ${count} 个字。"
    empty_message: str = "${heading}只写了“${text}”。"
    missing_message: str = "${heading}没有写到：${missing}。"


@dataclass(frozen=True)
class TextMaxLengthParams:
    """Parameters of `text_max_length`: a part is not longer than a limit."""

    part: str
    max_chars: int
    message: str = "${heading}有 ${count} 个字，超过了 ${max} 字的要求。"


@dataclass(frozen=True)
class TextStatesFigureParams:
    """Parameters of `text_states_figure`: a part states a count after one of the words."""

    part: str
    words: tuple[str, ...]
    units: tuple[str, ...] = ("个", "件", "篇", "条", "次", "期", "场")
    message: str = "${heading}没有写明${words}的数量。"


# --- resolved checks of each kind ------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SumCheck(Check):
    """Sum of `left` = sum of `right` along one column (or row) of a table."""

    part: str
    line: str  # the column (or row) id
    over: Literal["columns", "rows"]
    where: str
    heading: str
    left: tuple[CellRef, ...]
    right: tuple[CellRef, ...]
    left_names: tuple[str, ...]
    right_names: tuple[str, ...]

    @property
    def total(self) -> CellRef:
        """For a `total` rule: the cell that is the total of `parts`."""
        return self.left[0]

    @property
    def parts(self) -> tuple[CellRef, ...]:
        return self.right


@dataclass(frozen=True, kw_only=True)
class CellCheck(Check):
    """A check on one cell."""

    ref: CellRef
    label: str
    kind: CellKind
    column_label: str


@dataclass(frozen=True, kw_only=True)
class TableCheck(Check):
    """A check over every cell of one table."""

    part: str
    heading: str
    places: tuple[str, ...]  # how messages name each cell of `cells`


@dataclass(frozen=True, kw_only=True)
class TextCheck(Check):
    """A check on one text (the preamble or a part)."""

    text: str
    heading: str
    name: str  # 开篇说明, 第一部分 …
    part: str | None  # the part the finding belongs to (None: the preamble, shown with 基本信息)


@dataclass(frozen=True, kw_only=True)
class CellTextCheck(TextCheck):
    """A check on one cell and one text."""

    ref: CellRef
    label: str


@dataclass(frozen=True, kw_only=True)
class AmountCheck(Check):
    """A plausibility check on one amount."""

    ref: CellRef
    label: str
    limit: Decimal
    max_decimals: int
    to_yuan: Decimal


@dataclass(frozen=True)
class YoyLine:
    """This year's `ref` = the sum of `terms` ((`this`/`last`, cell, sign))."""

    ref: CellRef
    where: str
    terms: tuple[tuple[str, CellRef, int], ...]


@dataclass(frozen=True, kw_only=True)
class YearOverYearCheck(Check):
    """The lines of a year-over-year rule in one format."""

    heading: str
    lines: tuple[YoyLine, ...]


@dataclass(frozen=True, kw_only=True)
class FiguresCheck(TextCheck):
    """TXT-NUM on one text, with the rule's vocabulary ready to read it."""

    reader: FigureReader = field(compare=False)


@dataclass(frozen=True, kw_only=True)
class PartsListCheck(TextCheck):
    """FMT-PARTS on one text, with the parts and the words that name them."""

    names: tuple[tuple[str, str, tuple[str, ...]], ...]  # (part id, heading, words that name it)


@dataclass(frozen=True, kw_only=True)
class SlotsCheck(TextCheck):
    """The organisation-name check on one text, with its slots."""

    slots: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]


# --- resolving ------------------------------------------------------------------------------


def _axes(outline: Outline, part_id: str, key: str = "part") -> tuple[dict[str, Row], dict[str, Column]]:
    try:
        return outline.table_axes(part_id)
    except KeyError:
        raise RuleError(key, f"没有带表格的部分 “{part_id}”") from None


def _cell(outline: Outline, path: CellPath, key: str) -> CellRef:
    ref = CellRef(*path)
    if ref not in outline.cell_index:
        raise RuleError(key, f"本格式没有单元格 {'/'.join(path)}")
    return ref


def _text_id(outline: Outline, text_id: str, key: str, *, allow_preamble: bool = True) -> str:
    ids = outline.text_ids() if allow_preamble else [p.id for p in outline.parts]
    if text_id not in ids:
        raise RuleError(key, f"没有文字部分 “{text_id}”（可用：{'、'.join(ids)}）")
    return text_id


def _text_check_fields(outline: Outline, text_id: str) -> dict[str, Any]:
    part = text_id if text_id != PREAMBLE else None
    return {
        "group": text_id,
        "texts": (text_id,),
        "text": text_id,
        "heading": outline.text_heading(text_id),
        "name": outline.text_name(text_id),
        "part": part,
    }


def _texts(outline: Outline, ids: tuple[str, ...], key: str) -> list[str]:
    return [_text_id(outline, t, f"{key}[{i}]") for i, t in enumerate(ids)] if ids else outline.text_ids()


def _sum_checks(
    outline: Outline, part_id: str, over: str, left_ids: tuple[str, ...], right_ids: tuple[str, ...], where_: str
) -> tuple[Check, ...]:
    rows, cols = _axes(outline, part_id)
    lines, members = (cols, rows) if over == "columns" else (rows, cols)
    for key, ids in (("left", left_ids), ("right", right_ids)):
        for mid in ids:
            if mid not in members:
                raise RuleError(key, f"表格 “{part_id}” 中没有{'行' if over == 'columns' else '列'} “{mid}”")
    heading = outline.part(part_id).heading
    checks: list[Check] = []
    for line_id, line in lines.items():
        if over == "columns":
            refs_l = tuple(CellRef(part_id, m, line_id) for m in left_ids)
            refs_r = tuple(CellRef(part_id, m, line_id) for m in right_ids)
        else:
            refs_l = tuple(CellRef(part_id, line_id, m) for m in left_ids)
            refs_r = tuple(CellRef(part_id, line_id, m) for m in right_ids)
        if any(ref not in outline.cell_index for ref in (*refs_l, *refs_r)):
            continue  # e.g. a row of table 二 that has no such column
        if over == "columns":
            where = f"{line.label}列"
            names_l = tuple(rows[m].name for m in left_ids)
            names_r = tuple(rows[m].name for m in right_ids)
        else:
            row = rows[line_id]
            where = where_ or f"{row.name}行"
            names_l = tuple(cols[m].label for m in left_ids)
            names_r = tuple(cols[m].label for m in right_ids)
        checks.append(
            SumCheck(
                group=f"{line_id}:{','.join(left_ids)}",
                cells=(*refs_l, *refs_r),
                part=part_id,
                line=line_id,
                over="columns" if over == "columns" else "rows",
                where=where,
                heading=heading,
                left=refs_l,
                right=refs_r,
                left_names=names_l,
                right_names=names_r,
            )
        )
    return tuple(checks)


def _balance(outline: Outline, p: BalanceParams) -> tuple[Check, ...]:
    return _sum_checks(outline, p.part, p.over, p.left, p.right, p.where)


def _total(outline: Outline, p: TotalParams) -> tuple[Check, ...]:
    try:
        return _sum_checks(outline, p.part, p.over, (p.total,), p.parts, p.where)
    except RuleError as exc:
        raise RuleError("total" if exc.key == "left" else "parts", exc.problem) from None


def _cell_kinds(outline: Outline, p: CellKindsParams) -> tuple[Check, ...]:
    return tuple(
        CellCheck(
            group="/".join(ref),
            cells=(ref,),
            ref=ref,
            label=outline.cell_label(ref),
            kind=col.kind,
            column_label=col.label,
        )
        for ref, (col, _row) in outline.cell_index.items()
    )


def _carried_stock(outline: Outline, p: CarriedStockParams) -> tuple[Check, ...]:
    pattern = p.cell
    if pattern.count("*") != 1 or pattern[0] == "*":
        raise RuleError("cell", "应有且只有一个 *（代表行或列）")
    rows, cols = _axes(outline, pattern[0], "cell")
    candidates = rows if pattern.index("*") == 1 else cols
    refs = tuple(ref for ref in (_expand(pattern, star) for star in candidates) if ref in outline.cell_index)
    part = outline.part(pattern[0])
    places = tuple(outline.cell_place(ref) for ref in refs)
    return (TableCheck(group=part.id, cells=refs, part=part.id, heading=part.heading, places=places),)


def _no_blank(outline: Outline, p: NoBlankParams) -> tuple[Check, ...]:
    checks: list[Check] = []
    for part in outline.parts:
        if part.table is not None:
            refs = tuple(ref for ref, _c, _r in part.table.cells(part.id))
            places = tuple(outline.cell_place(ref) for ref in refs)
            checks.append(TableCheck(group=part.id, cells=refs, part=part.id, heading=part.heading, places=places))
    return tuple(checks)


def _year_range(outline: Outline, p: YearRangeParams) -> tuple[Check, ...]:
    return (Check(group="year", meta=True),)


def _text_required(outline: Outline, p: TextRequiredParams) -> tuple[Check, ...]:
    return (TextCheck(**_text_check_fields(outline, _text_id(outline, p.part, "part"))),)


def _text_mentions(outline: Outline, p: TextMentionsParams) -> tuple[Check, ...]:
    return (TextCheck(**_text_check_fields(outline, _text_id(outline, p.part, "part"))),)


def _text_forbidden(outline: Outline, p: TextForbiddenParams) -> tuple[Check, ...]:
    ids = [_text_id(outline, p.part, "part")] if p.part else outline.text_ids()
    return tuple(TextCheck(**_text_check_fields(outline, t)) for t in ids)


def _cell_implies_text(outline: Outline, p: CellImpliesTextParams) -> tuple[Check, ...]:
    ref = _cell(outline, p.cell, "cell")
    fields = _text_check_fields(outline, _text_id(outline, p.text, "text"))
    fields["group"] = "/".join(ref)
    return (CellTextCheck(**fields, cells=(ref,), ref=ref, label=outline.cell_label(ref)),)


def _amount_plausible(outline: Outline, p: AmountPlausibleParams) -> tuple[Check, ...]:
    ref = _cell(outline, p.cell, "cell")
    col, _row = outline.cell_index[ref]
    to_yuan = Decimal(10000) if col.unit == "万元" else Decimal(1)
    return (
        AmountCheck(
            group="/".join(ref),
            cells=(ref,),
            ref=ref,
            label=outline.cell_label(ref),
            limit=p.max,
            max_decimals=p.max_decimals,
            to_yuan=to_yuan,
        ),
    )


def _expand(pattern: tuple[str, ...], star: str) -> CellRef:
    return CellRef(*(star if x == "*" else x for x in pattern))


def _yoy_lines(outline: Outline, p: YearOverYearParams) -> tuple[YoyLine, ...]:
    """The concrete cells of a year-over-year rule in a format (one line per row or column)."""
    pattern = p.cell
    if pattern.count("*") != 1 or pattern[0] == "*":
        raise RuleError("cell", "应有且只有一个 *（代表行或列）")
    axis = pattern.index("*")
    rows, cols = _axes(outline, pattern[0], "cell")
    candidates = rows if axis == 1 else cols
    lines = []
    for star, item in candidates.items():
        ref = _expand(pattern, star)
        terms = tuple((t.year, _expand(t.cell, star), t.sign) for t in p.terms)
        if ref not in outline.cell_index or any(y == "this" and c not in outline.cell_index for y, c, _s in terms):
            continue
        where = f"{item.label}列" if axis == 2 else item.name
        lines.append(YoyLine(ref, where, terms))
    if not lines:
        raise RuleError("cell", f"本格式没有与 {'/'.join(pattern)} 对应的单元格")
    return tuple(lines)


def _year_over_year(outline: Outline, p: YearOverYearParams) -> tuple[Check, ...]:
    if p.carry and any(t.year != "last" for t in p.terms):
        raise RuleError("carry", "只有全部 terms 都是 last 时才能带入（carry = true）")
    lines = _yoy_lines(outline, p)
    cells = tuple(
        dict.fromkeys(c for line in lines for c in (line.ref, *(c for y, c, _s in line.terms if y == "this")))
    )
    heading = outline.part(p.cell[0]).heading
    return (YearOverYearCheck(group=p.cell[0], cells=cells, meta=True, heading=heading, lines=lines),)


def _meta_check(outline: Outline, p: object) -> tuple[Check, ...]:
    return (Check(group="meta", meta=True),)


def _text_figures(outline: Outline, p: TextFiguresParams) -> tuple[Check, ...]:
    domains = {d.id: d.words for d in p.domains}
    by_id = {f.id: f for f in p.figures}
    resolved: dict[str, Figure] = {}
    for i, f in enumerate(p.figures):
        key = f"figures[{i}]"
        if f.domain not in domains:
            raise RuleError(f"{key}.domain", f"没有声明领域 “{f.domain}”（domains 中有：{'、'.join(domains)}）")
        for j, other in enumerate(f.percent_of):
            if other not in by_id:
                raise RuleError(f"{key}.percent_of[{j}]", f"没有 id 为 “{other}” 的 figures")
        if not f.cells:
            raise RuleError(f"{key}.cells", "至少要有一个单元格")
        resolved[f.id] = Figure(
            id=f.id,
            name=f.name,
            domain=f.domain,
            words=f.words,
            cells=tuple(_cell(outline, c, f"{key}.cells[{k}]") for k, c in enumerate(f.cells)),
            with_carried=tuple(_cell(outline, c, f"{key}.with_carried[{k}]") for k, c in enumerate(f.with_carried)),
            with_carried_name=f.with_carried_name,
            needs_domain=f.needs_domain,
            after=f.after,
            zero_nouns=f.zero_nouns,
        )
    figures = []
    for f in p.figures:
        bases: list[tuple[str, tuple[CellRef, ...]]] = []
        for other in f.percent_of:
            base = resolved[other]
            bases.append((base.name, base.cells))
            if base.with_carried:
                bases.append((base.name, base.with_carried))
        figures.append(Figure(**{**resolved[f.id].__dict__, "bases": tuple(bases)}))
    reader = FigureReader(tuple(figures), domains, p.negations)
    cells = tuple(dict.fromkeys(c for f in figures for c in (*f.cells, *f.with_carried)))
    return tuple(
        FiguresCheck(**{**_text_check_fields(outline, t), "cells": cells, "meta": True}, reader=reader)
        for t in _texts(outline, p.texts, "texts")
    )


def _parts_listed(outline: Outline, p: PartsListedParams) -> tuple[Check, ...]:
    names = []
    for i, item in enumerate(p.parts):
        part = outline.part(_text_id(outline, item.part, f"parts[{i}].part", allow_preamble=False))
        names.append((part.id, part.heading, item.any))
    fields = _text_check_fields(outline, _text_id(outline, p.text, "text"))
    return (PartsListCheck(**fields, names=tuple(names)),)


def _per_text(outline: Outline, texts: tuple[str, ...], *, meta: bool) -> tuple[Check, ...]:
    return tuple(TextCheck(**_text_check_fields(outline, t), meta=meta) for t in _texts(outline, texts, "texts"))


def _text_years(outline: Outline, p: TextYearsParams) -> tuple[Check, ...]:
    _texts(outline, p.titles_in, "titles_in")
    return _per_text(outline, p.texts, meta=True)


def _text_similar(outline: Outline, p: TextSimilarParams) -> tuple[Check, ...]:
    if not 0 < p.threshold <= 1:
        raise RuleError("threshold", "应在 0 和 1 之间")
    if p.ngram < 1:
        raise RuleError("ngram", "应为正整数")
    return _per_text(outline, p.texts, meta=True)


def _org_names(outline: Outline, p: OrgNamesParams) -> tuple[Check, ...]:
    slots = tuple((s.before, s.after) for s in p.slots)
    return tuple(
        SlotsCheck(**_text_check_fields(outline, t), meta=True, slots=slots) for t in _texts(outline, p.texts, "texts")
    )


def _text_substance(outline: Outline, p: TextSubstanceParams) -> tuple[Check, ...]:
    return (TextCheck(**_text_check_fields(outline, _text_id(outline, p.part, "part")), meta=True),)


def _text_max_length(outline: Outline, p: TextMaxLengthParams) -> tuple[Check, ...]:
    return (TextCheck(**_text_check_fields(outline, _text_id(outline, p.part, "part"))),)


def _text_states_figure(outline: Outline, p: TextStatesFigureParams) -> tuple[Check, ...]:
    return (TextCheck(**_text_check_fields(outline, _text_id(outline, p.part, "part"))),)


@dataclass(frozen=True)
class RuleKind:
    """A kind of rule: its parameters and how they resolve against a format."""

    params: type
    resolve: Callable[[Outline, Any], tuple[Check, ...]]


RULE_KINDS: dict[str, RuleKind] = {
    "balance": RuleKind(BalanceParams, _balance),
    "total": RuleKind(TotalParams, _total),
    "cell_kinds": RuleKind(CellKindsParams, _cell_kinds),
    "no_blank": RuleKind(NoBlankParams, _no_blank),
    "carried_stock": RuleKind(CarriedStockParams, _carried_stock),
    "year_range": RuleKind(YearRangeParams, _year_range),
    "text_required": RuleKind(TextRequiredParams, _text_required),
    "text_mentions": RuleKind(TextMentionsParams, _text_mentions),
    "text_forbidden": RuleKind(TextForbiddenParams, _text_forbidden),
    "cell_implies_text": RuleKind(CellImpliesTextParams, _cell_implies_text),
    "amount_plausible": RuleKind(AmountPlausibleParams, _amount_plausible),
    "year_over_year": RuleKind(YearOverYearParams, _year_over_year),
    "previous_readable": RuleKind(PreviousReadableParams, _meta_check),
    "rule_files": RuleKind(RuleFilesParams, _meta_check),
    "text_figures": RuleKind(TextFiguresParams, _text_figures),
    "parts_listed": RuleKind(PartsListedParams, _parts_listed),
    "text_years": RuleKind(TextYearsParams, _text_years),
    "text_similar": RuleKind(TextSimilarParams, _text_similar),
    "org_names": RuleKind(OrgNamesParams, _org_names),
    "text_substance": RuleKind(TextSubstanceParams, _text_substance),
    "text_max_length": RuleKind(TextMaxLengthParams, _text_max_length),
    "text_states_figure": RuleKind(TextStatesFigureParams, _text_states_figure),
}
"""Every rule kind; `checks.EVALUATORS` has the function that evaluates each."""

_HEAD_KEYS = ("id", "kind", "severity")


class DeclarationError(Exception):
    """A rule declaration that cannot be used: `key` (`rules[3].min_char`) and the rule id."""

    def __init__(self, key: str, rule_id: str, problem: str) -> None:
        where = f"{key}（规则 {rule_id}）" if rule_id else key
        super().__init__(f"{where}：{problem}")


def compile_rule(outline: Outline, item: dict[str, Any], where: str, source: str = "") -> Rule:
    """Validate one `[[rules]]` table and resolve it against a format; `DeclarationError` if wrong."""
    rid = item.get("id")
    if not isinstance(rid, str) or not rid:
        raise DeclarationError(f"{where}.id", "", "缺少此项，或不是文字")
    for name in ("kind", "severity"):
        if not isinstance(item.get(name), str):
            raise DeclarationError(f"{where}.{name}", rid, "缺少此项，或不是文字")
    kind_name, severity_name = item["kind"], item["severity"]
    kind = RULE_KINDS.get(kind_name)
    if kind is None:
        raise DeclarationError(f"{where}.kind", rid, f"未知的规则类型 “{kind_name}”（可用：{'、'.join(RULE_KINDS)}）")
    if severity_name not in {s.value for s in Severity}:
        raise DeclarationError(f"{where}.severity", rid, f"应为 {'、'.join(Severity)} 之一")
    data = {k: v for k, v in item.items() if k not in _HEAD_KEYS}
    try:
        params: Any = parse_params(kind.params, data)
        checks = kind.resolve(outline, params)
    except RuleError as exc:
        raise DeclarationError(f"{where}.{exc.key}", rid, exc.problem) from None
    return Rule(rid, kind_name, Severity(severity_name), params, checks, source)
