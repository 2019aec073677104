"""What a summed draft records: the drafts it was summed from, each with a fingerprint, and the
sums it proposed for the cells the clerk confirms (so that re-summing keeps what was corrected)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .tables import CellRef, Outline
from .values import CellValue, coerce_stored, strip_controls, to_stored

_SHA_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class SumSource:
    """One draft a sum was made from: its path (relative to the summed draft), its organisation,
    and the SHA-256 of its bytes when summed."""

    path: str
    org: str
    sha256: str


@dataclass
class SumRecord:
    """The sources of a summed draft, and the sums proposed for cells to confirm (as last summed)."""

    sources: list[SumSource] = field(default_factory=list)
    proposed: dict[CellRef, CellValue] = field(default_factory=dict)


def _key(ref: CellRef) -> str:
    return f"{ref.part}.{ref.row}.{ref.col}"


def sum_record_from_data(data: Any, outline: Outline, fail: Callable[[str, str], Exception]) -> SumRecord:
    """Read `[summed]`; `fail(key, problem)` makes the error that names the key."""
    if not isinstance(data, dict):
        raise fail("summed", "应为表（[summed]）")
    sources = []
    items = data.get("sources", [])
    if not isinstance(items, list):
        raise fail("summed.sources", "应为表的列表")
    for i, item in enumerate(items):
        where = f"summed.sources[{i}]"
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("path", "org", "sha256")):
            raise fail(where, "应有 path、org、sha256 三项文字")
        if not _SHA_RE.match(item["sha256"]):
            raise fail(f"{where}.sha256", "应为 64 位十六进制数字")
        sources.append(SumSource(item["path"], strip_controls(item["org"], keep_newlines=False), item["sha256"]))
    proposed: dict[CellRef, CellValue] = {}
    table = data.get("proposed", {})
    if not isinstance(table, dict):
        raise fail("summed.proposed", "应为表")
    for key, stored in table.items():
        ref = CellRef(*key.split(".")) if key.count(".") == 2 else None
        if ref is None or ref not in outline.cell_index:
            raise fail(f"summed.proposed.{key}", "本格式没有这个单元格")
        column, _row = outline.cell_index[ref]
        proposed[ref] = coerce_stored(column.kind, stored)
    return SumRecord(sources, proposed)


def sum_record_to_data(record: SumRecord) -> dict[str, Any]:
    """The `[summed]` table of a draft."""
    out: dict[str, Any] = {"sources": [{"path": s.path, "org": s.org, "sha256": s.sha256} for s in record.sources]}
    if record.proposed:
        out["proposed"] = {_key(ref): to_stored(value) for ref, value in record.proposed.items()}
    return out
