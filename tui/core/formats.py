"""Report formats: load and validate the schema files that describe a national format."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

from .resources import resource_files, toml_files
from .rules import DeclarationError, Rule, compile_rule
from .tables import Block as Block
from .tables import CellRef as CellRef
from .tables import Column as Column
from .tables import HeaderNode as HeaderNode
from .tables import Outline
from .tables import Part as Part
from .tables import Row as Row
from .tables import RowNode as RowNode
from .tables import Table as Table
from .values import CellKind

T = TypeVar("T")


class SchemaError(Exception):
    """A schema file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True, kw_only=True)
class Format(Outline):
    """A national report format, as described by one schema file, with its rules resolved."""

    id: str
    name: str
    document: str
    first_year: int
    last_year: int | None
    title: str
    preamble: str = ""  # the opening paragraph a new report starts with (${org}, ${year}; 【请填写：…】 to complete)
    rules: tuple[Rule, ...]
    source: Traversable = field(compare=False)
    upgrades: dict[str, tuple[tuple[CellRef, CellRef], ...]] = field(compare=False, repr=False)
    _memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def memo(self, key: str, build: Callable[[Format], T]) -> T:
        """A value derived from this format (total links, the checks in order), built once."""
        if key not in self._memo:
            self._memo[key] = build(self)
        return self._memo[key]  # type: ignore[no-any-return]

    def applies_to(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)

    @property
    def years_label(self) -> str:
        if self.last_year is None:
            return f"{self.first_year}年度及以后"
        if self.last_year == self.first_year:
            return f"{self.first_year}年度"
        return f"{self.first_year}—{self.last_year}年度"

    def rules_of(self, kind: str) -> list[Rule]:
        """The format's rules of one kind (e.g. `total`, `year_over_year`)."""
        return [rule for rule in self.rules if rule.kind == kind]


# --- loading -------------------------------------------------------------------------------


class _Reader:
    """Typed access to a parsed TOML document that reports the file and key on error."""

    def __init__(self, path: Traversable) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> SchemaError:
        return SchemaError(f"格式文件 {self.path}：{key}：{problem}")

    def get(self, obj: dict[str, Any], key: str, where: str, typ: type, default: Any = ...) -> Any:
        if key not in obj:
            if default is ...:
                raise self.fail(f"{where}.{key}" if where else key, "缺少此项")
            return default
        value = obj[key]
        if (typ is int and isinstance(value, bool)) or not isinstance(value, typ):
            raise self.fail(f"{where}.{key}" if where else key, f"应为 {typ.__name__} 类型")
        return value

    def table_list(self, obj: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = self.get(obj, key, where, list)
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise self.fail(f"{where}.{key}[{i}]", "应为表（table）")
        return items

    def check_keys(self, obj: dict[str, Any], where: str, allowed: set[str]) -> None:
        for key in obj:
            if key not in allowed:
                raise self.fail(f"{where}.{key}" if where else key, "未知的键")


_TOP_KEYS = {"id", "name", "document", "first_year", "last_year", "title", "preamble", "parts", "rules", "upgrades"}
_PART_KEYS = {"id", "short", "heading", "guidance", "blocks"}
_BLOCK_KEYS = {"caption", "label_header", "columns", "rows"}
_COLUMN_KEYS = {"level", "id", "label", "short", "kind", "unit", "show_unit", "sum"}
_SUM_MODES = ("add", "confirm")
_ROW_KEYS = {"level", "id", "label", "short"}


_Tree = list[tuple[dict[str, Any], Any]]
"""An outline as a tree: (item, children) pairs, children being a `_Tree` again."""


def _outline(reader: _Reader, items: list[dict[str, Any]], where: str) -> _Tree:
    """Turn a flat list with `level` numbers into a tree of (item, children)."""
    root: _Tree = []
    stack: list[tuple[int, _Tree]] = [(0, root)]
    prev_level = 0
    for i, item in enumerate(items):
        level = reader.get(item, "level", f"{where}[{i}]", int, 1)
        if level < 1 or level > prev_level + 1:
            raise reader.fail(f"{where}[{i}].level", f"层级 {level} 不连续")
        while stack[-1][0] >= level:
            stack.pop()
        node: tuple[dict[str, Any], _Tree] = (item, [])
        stack[-1][1].append(node)
        stack.append((level, node[1]))
        prev_level = level
    return root


def _header_tree(
    reader: _Reader,
    tree: _Tree,
    where: str,
    ids: set[str],
    leaves: list[Column],
    path: tuple[str, ...] = (),
) -> tuple[HeaderNode, ...]:
    nodes = []
    for item, children in tree:
        label = reader.get(item, "label", where, str)
        if children:
            if "id" in item:
                raise reader.fail(f"{where}（{label}）.id", "有下级的表头不能有 id")
            sub = _header_tree(reader, children, where, ids, leaves, (*path, label))
            nodes.append(HeaderNode(label, sub))
            continue
        cid = reader.get(item, "id", f"{where}（{label}）", str)
        if cid in ids:
            raise reader.fail(f"{where}（{label}）.id", f"列 id “{cid}”重复")
        ids.add(cid)
        kind_text = reader.get(item, "kind", f"{where}（{label}）", str, "count")
        try:
            kind = CellKind(kind_text)
        except ValueError:
            raise reader.fail(f"{where}（{label}）.kind", f"未知的单元格类型 “{kind_text}”") from None
        sum_mode = reader.get(item, "sum", f"{where}（{label}）", str, "add")
        if sum_mode not in _SUM_MODES:
            raise reader.fail(f"{where}（{label}）.sum", f"应为 {' 或 '.join(_SUM_MODES)}")
        col = Column(
            id=cid,
            label=label,
            kind=kind,
            unit=reader.get(item, "unit", where, str, ""),
            show_unit=reader.get(item, "show_unit", where, bool, False),
            path=path,
            short=reader.get(item, "short", where, str, ""),
            confirm_on_sum=sum_mode == "confirm",
        )
        leaves.append(col)
        nodes.append(HeaderNode(label, (), col))
    return tuple(nodes)


def _row_tree(
    reader: _Reader, tree: _Tree, where: str, ids: set[str], rows: list[Row], path: tuple[str, ...]
) -> tuple[RowNode, ...]:
    nodes = []
    for item, children in tree:
        label = reader.get(item, "label", where, str)
        short = reader.get(item, "short", where, str, "")
        if children:
            if "id" in item:
                raise reader.fail(f"{where}（{label}）.id", "有下级的行不能有 id")
            sub = _row_tree(reader, children, where, ids, rows, (*path, label))
            nodes.append(RowNode(label, None, short, sub))
            continue
        rid = reader.get(item, "id", f"{where}（{label}）", str)
        if rid in ids:
            raise reader.fail(f"{where}（{label}）.id", f"行 id “{rid}”重复")
        ids.add(rid)
        rows.append(Row(rid, label, path, short))
        nodes.append(RowNode(label, rid, short))
    return tuple(nodes)


def _load_table(reader: _Reader, part: dict[str, Any], where: str) -> Table | None:
    if "blocks" not in part:
        return None
    blocks = []
    row_ids: set[str] = set()
    for b, block in enumerate(reader.table_list(part, "blocks", where)):
        bwhere = f"{where}.blocks[{b}]"
        reader.check_keys(block, bwhere, _BLOCK_KEYS)
        col_items = reader.table_list(block, "columns", bwhere)
        row_items = reader.table_list(block, "rows", bwhere)
        for i, item in enumerate(col_items):
            reader.check_keys(item, f"{bwhere}.columns[{i}]", _COLUMN_KEYS)
        for i, item in enumerate(row_items):
            reader.check_keys(item, f"{bwhere}.rows[{i}]", _ROW_KEYS)
        columns: list[Column] = []
        header = _header_tree(
            reader,
            _outline(reader, col_items, f"{bwhere}.columns"),
            f"{bwhere}.columns",
            set(),
            columns,
        )
        rows: list[Row] = []
        row_tree = _row_tree(
            reader,
            _outline(reader, row_items, f"{bwhere}.rows"),
            f"{bwhere}.rows",
            row_ids,
            rows,
            (),
        )
        if not columns or not rows:
            raise reader.fail(bwhere, "表格至少要有一列一行")
        blocks.append(
            Block(
                caption=reader.get(block, "caption", bwhere, str, ""),
                label_header=reader.get(block, "label_header", bwhere, str, ""),
                header=header,
                row_tree=row_tree,
                columns=tuple(columns),
                rows=tuple(rows),
            )
        )
    return Table(tuple(blocks))


def load_rules(
    outline: Outline, items: list[dict[str, Any]], where: str, source: Traversable, what: str
) -> tuple[Rule, ...]:
    """Validate and resolve `[[rules]]` tables against a format; `SchemaError` names file, key and rule."""
    rules = []
    for i, item in enumerate(items):
        try:
            rules.append(compile_rule(outline, item, f"{where}[{i}]", str(source)))
        except DeclarationError as exc:
            raise SchemaError(f"{what} {source}：{exc}") from None
    return tuple(rules)


def _load_upgrades(
    reader: _Reader, data: dict[str, Any], cells: dict[CellRef, tuple[Column, Row]]
) -> dict[str, tuple[tuple[CellRef, CellRef], ...]]:
    """Cells of an older format that carry over although their labels differ: {format id: (to, from)}."""
    out = {}
    for i, item in enumerate(reader.table_list(data, "upgrades", "") if "upgrades" in data else []):
        where = f"upgrades[{i}]"
        reader.check_keys(item, where, {"from", "cells"})
        pairs = []
        for k, pair in enumerate(reader.table_list(item, "cells", where)):
            refs = []
            for name in ("to", "from"):
                ref = pair.get(name)
                if not (isinstance(ref, list) and len(ref) == 3 and all(isinstance(x, str) for x in ref)):
                    raise reader.fail(f"{where}.cells[{k}].{name}", "应为 [部分, 行, 列]")
                refs.append(CellRef(*ref))
            to, src = refs
            if to not in cells:
                raise reader.fail(f"{where}.cells[{k}].to", f"本格式没有单元格 {'/'.join(to)}")
            pairs.append((to, src))
        out[reader.get(item, "from", where, str)] = tuple(pairs)
    return out


def load_format(path: Traversable) -> Format:
    """Read and validate one schema file."""
    reader = _Reader(path)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise SchemaError(f"格式文件 {path}：不是有效的 TOML：{exc}") from None
    except OSError as exc:
        raise SchemaError(f"格式文件 {path}：无法读取：{exc.strerror}") from None
    reader.check_keys(data, "", _TOP_KEYS)
    parts = []
    part_ids: set[str] = set()
    for p, item in enumerate(reader.table_list(data, "parts", "")):
        where = f"parts[{p}]"
        reader.check_keys(item, where, _PART_KEYS)
        pid = reader.get(item, "id", where, str)
        if pid in part_ids:
            raise reader.fail(f"{where}.id", f"部分 id “{pid}”重复")
        part_ids.add(pid)
        parts.append(
            Part(
                id=pid,
                heading=reader.get(item, "heading", where, str),
                guidance=reader.get(item, "guidance", where, str, ""),
                table=_load_table(reader, item, where),
                short=reader.get(item, "short", where, str, ""),
            )
        )
    cell_index: dict[CellRef, tuple[Column, Row]] = {}
    for part in parts:
        if part.table:
            for ref, col, row in part.table.cells(part.id):
                cell_index[ref] = (col, row)
    outline = Outline(parts=tuple(parts), cell_index=cell_index)
    rules = load_rules(outline, reader.table_list(data, "rules", ""), "rules", path, "格式文件")
    return Format(
        id=reader.get(data, "id", "", str),
        name=reader.get(data, "name", "", str),
        document=reader.get(data, "document", "", str, ""),
        first_year=reader.get(data, "first_year", "", int),
        last_year=reader.get(data, "last_year", "", int, None),
        title=reader.get(data, "title", "", str),
        preamble=reader.get(data, "preamble", "", str, ""),
        parts=tuple(parts),
        rules=rules,
        source=path,
        cell_index=cell_index,
        upgrades=_load_upgrades(reader, data, cell_index),
    )


class UnknownFormatError(LookupError):
    """A format id that no schema file defines."""


def schema_dirs() -> list[Traversable]:
    """Where schema files are read from: the bundled ones (inside the .pyz too), then `$GOVREPORT_SCHEMAS`."""
    dirs: list[Traversable] = [resource_files("schemas")]
    extra = os.environ.get("GOVREPORT_SCHEMAS", "")
    dirs += [Path(p) for p in extra.split(os.pathsep) if p]
    return dirs


@cache
def _load_all(dirs: tuple[Traversable, ...]) -> dict[str, Format]:
    formats: dict[str, Format] = {}
    for directory in dirs:
        for path in toml_files(directory):
            fmt = load_format(path)
            if fmt.id in formats:
                raise SchemaError(f"格式文件 {path}：id：“{fmt.id}”与 {formats[fmt.id].source} 重复")
            formats[fmt.id] = fmt
    return formats


def all_formats() -> dict[str, Format]:
    """Every known format by id, newest first."""
    formats = _load_all(tuple(schema_dirs()))
    return dict(sorted(formats.items(), key=lambda kv: -kv[1].first_year))


def get_format(format_id: str) -> Format:
    formats = all_formats()
    if format_id not in formats:
        known = "、".join(formats) or "（无）"
        raise UnknownFormatError(f"未知的报告格式 “{format_id}”（已知格式：{known}）")
    return formats[format_id]


def format_for_year(year: int) -> Format | None:
    """The format that applies to a report on `year` (the newest one if several do)."""
    for fmt in all_formats().values():
        if fmt.applies_to(year):
            return fmt
    return None
