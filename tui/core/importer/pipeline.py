"""One import, start to end: the source's text, its facts, its parts, its tables placed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..formats import Format, all_formats
from ..report import PREAMBLE, Report
from ..values import strip_controls
from . import facts
from .decode import decode_bytes, read_file
from .html_reader import looks_like_html, read_html
from .labels import Kind, PartLabels, detect_format, heading_index, label_key, part_labels, unique_labels
from .named import NamedRow, read_named
from .placing import Segment, TablePlacer, Tally, segments_of
from .result import ImportResult, MissingFacts, NotAReport, Note
from .source import Cell, Document, Item, Para, Row
from .text_reader import read_text

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|(?:P|Page)\.?\s*\d{1,3})$",
    re.IGNORECASE,
)  # - 3 -, 第3页, 3/12, and P. 3 (a flipbook page)
_BARE_NUMBER = re.compile(r"^\d{1,3}$")  # a page number in running text; a cell in a table part
_NOT_A_REPORT = (
    "找不到报告标题（“某某机关XXXX年政府信息公开工作年度报告”），也没有年度报告的各部分标题和统计表："
    "这不像政府信息公开工作年度报告"
)
_TOKEN_KINDS = {Kind.LABEL, Kind.HEAD, Kind.CAPTION, Kind.GROUP, Kind.NUMBER, Kind.BLANK}


def read_document(text: str) -> Document:
    """The source cut into paragraphs and rows (HTML, Markdown or plain text of any shape)."""
    text = strip_controls(text.replace("\r\n", "\n").replace("\r", "\n")).lstrip("\ufeff")
    return read_html(text) if looks_like_html(text) else read_text(text)


def _text_of(item: Item) -> str:
    return item.text


def _as_paragraphs(items: list[Item], fmt: Format) -> list[Item]:
    """A table row whose only cell is a heading, the title or a sentence is a paragraph."""
    out: list[Item] = []
    for item in items:
        if isinstance(item, Row):
            filled = [c for c in item.cells if not c.empty]
            if len(filled) == 1:
                text = filled[0].text.strip()
                if (
                    heading_index(text, fmt, -1) is not None
                    or facts.parse_title(text) is not None
                    or (len(text) > 30 and text.endswith(("。", "；", "：")))
                ):
                    out.append(Para(text, filled[0].line))
                    continue
        out.append(item)
    return out


@dataclass
class _Title:
    start: int
    end: int
    text: str
    org: str | None
    year: int | None


def _find_title(items: Sequence[Item], limit: int) -> _Title | None:
    """The report's own title line(s), before the first part heading."""
    for j in range(limit):
        if not isinstance(items[j], Para):
            continue
        best: _Title | None = None
        for i in range(j, max(-1, j - 3), -1):
            if not isinstance(items[i], Para):
                break
            if i < j and (facts.is_furniture(_text_of(items[i])) or facts.is_metadata(_text_of(items[i]))):
                break
            joined = "".join(_text_of(items[k]) for k in range(i, j + 1))
            found = facts.parse_title(joined)
            if found is None:
                continue
            candidate = _Title(i, j, facts.compact(joined), *found)
            score = (candidate.org is not None) + (candidate.year is not None)
            if best is None or score > (best.org is not None) + (best.year is not None):
                best = candidate
        if best is not None:
            return best
    return None


@dataclass
class _Facts:
    org: str | None = None
    org_source: str = ""
    year: int | None = None
    year_source: str = ""

    def offer_org(self, org: str | None, source: str) -> None:
        if org and self.org is None:
            self.org, self.org_source = org, source

    def offer_year(self, year: int | None, source: str) -> None:
        if year and self.year is None:
            self.year, self.year_source = year, source


def _gather_facts(items: Sequence[Item], head_end: int, title: _Title | None, page_title: str) -> _Facts:
    found = _Facts()
    if title is not None:
        found.offer_org(title.org, "标题")
        found.offer_year(title.year, "标题")
    head = [_text_of(items[k]) for k in range(head_end) if title is None or not (title.start <= k <= title.end)]
    for text in head:
        embedded = facts.title_in_text(text)
        if embedded:
            found.offer_org(embedded[0], "正文或网页信息中的报告名称")
            found.offer_year(embedded[1], "正文或网页信息中的报告名称")
    metadata = [m for m in (facts.metadata_org(t) for t in head) if m is not None]
    if metadata:
        found.offer_org(min(metadata)[1], "网页信息（发布机构）")
    for part in re.split(r"[_|｜\-–—]+", page_title):
        parsed = facts.parse_title(part)
        if parsed:
            found.offer_org(parsed[0], "网页标题")
            found.offer_year(parsed[1], "网页标题")
    for text in head:
        found.offer_org(facts.compiled_by(text), "导言（本报告由…编制）")
        work_org, work_year = facts.work_of(text)
        found.offer_org(work_org, "导言（结合…政府信息公开工作实际）")
        found.offer_year(work_year, "导言（结合…政府信息公开工作实际）")
        found.offer_year(facts.period_year(text), "导言（统计期限）")
    return found


class _Importer:
    """The state of one import: the items, the notes, the report being filled."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.notes: list[Note] = []

    def note(self, line: int, message: str, severity: str = "warning") -> None:
        self.notes.append(Note(line, message, severity))

    def dropped(self, items: Sequence[Item], why: str) -> None:
        """Lines not imported, in one note (with the first of them) when there are many."""
        if not items:
            return
        if len(items) <= 3:
            for item in items:
                self.note(item.line, f"{why}，未导入：“{_text_of(item)[:40]}”", "info")
        else:
            first = _text_of(items[0])[:30]
            self.note(items[0].line, f"{why}，共 {len(items)} 行未导入（从“{first}”开始）", "info")

    def run(self, org: str | None, year: int | None) -> ImportResult:
        fmt0 = next(iter(all_formats().values()))
        items = _as_paragraphs(self.doc.items, fmt0)
        heads = [
            i for i, it in enumerate(items) if isinstance(it, Para) and heading_index(it.text, fmt0, -1) is not None
        ]
        first_heading = heads[0] if heads else len(items)
        title = _find_title(items, first_heading)
        found = _gather_facts(items, first_heading, title, self.doc.page_title)
        any_table_label = any(
            isinstance(it, Row) and any(label_key(c.text) in _all_labels() for c in it.cells) for it in items
        )
        if title is None and not heads and not any_table_label:
            raise NotAReport(_NOT_A_REPORT)
        final_org, final_year = self._settle(found, org, year, title)

        body = items[first_heading:]
        seen = {label_key(_text_of(it)) for it in body if isinstance(it, Para)}
        seen |= {label_key(c.text) for it in body if isinstance(it, Row) for c in it.cells}
        fmt = detect_format(seen, final_year)
        report = Report.new(fmt, final_org, final_year)

        preamble = self._head_zone(items, first_heading, title)
        body = self._cut_footer(body, fmt)
        sections = self._sections(body, fmt)
        tally = Tally()
        queues: dict[str, list[Row | NamedRow]] = {p.id: [] for p in fmt.parts if p.table is not None}
        texts: dict[str, list[str]] = {PREAMBLE: self._text_lines(preamble, fmt, queues)}
        for index, part in enumerate(fmt.parts):
            part_items = sections.get(index, [])
            if part.table is None:
                texts[part.id] = self._text_lines(part_items, fmt, queues)
            else:
                texts[part.id] = self._table_section(part_items, fmt, part.id, queues)
        for pid, text_lines in texts.items():
            report.set_text(pid, "\n".join(text_lines))
        labels = part_labels(fmt)
        for part in fmt.parts:
            if part.table is None:
                continue
            placer = TablePlacer(report, part, labels[part.id], tally)
            segments = {id(row): segments_of(row, labels[part.id]) for row in queues[part.id] if isinstance(row, Row)}
            by_table: dict[int, list[Segment]] = {}
            for row in queues[part.id]:
                if isinstance(row, Row):
                    by_table.setdefault(row.table, []).extend(segments[id(row)])
            padded = {table: placer.pads(segs) for table, segs in by_table.items()}
            for row in queues[part.id]:
                if isinstance(row, NamedRow):
                    placer.place_named(row)
                else:
                    trimmed = row.table in self.doc.trimmed_tables
                    placer.place(segments[id(row)], trimmed=trimmed, padded=padded[row.table])
        missing = [p.heading for i, p in enumerate(fmt.parts) if i not in sections]
        if missing:
            self.note(0, f"没有找到这些部分的标题：{'、'.join(missing)}")
        self.notes += tally.notes
        placed = sum(1 for value, _line in tally.written.values() if value is not None)
        failure = ""
        if placed == 0:
            if tally.cells_seen == 0:
                failure = "报告中没有找到统计表（第二、三、四部分的表格），一个数值也没有导入"
            else:
                failure = "表格中的数值都无法确定所在的单元格，一个也没有导入"
        return ImportResult(report, self.doc.shape, self.notes, tally.unplaced, placed, tally.cells_seen, failure)

    def _settle(self, found: _Facts, org: str | None, year: int | None, title: _Title | None) -> tuple[str, int]:
        """The organisation and year: the clerk's when given, else the text's; refuse when neither."""
        missing = tuple(
            name for name, mine, theirs in (("org", org, found.org), ("year", year, found.year)) if not (mine or theirs)
        )
        if missing:
            raise MissingFacts(missing, title.text if title else "")
        if org and found.org and org != found.org:
            self.note(0, f"机关名称按指定的“{org}”导入（报告中{found.org_source}写的是“{found.org}”）")
        elif not org and found.org_source != "标题":
            self.note(0, f"标题中没有机关名称，按{found.org_source}取“{found.org}”，请核对")
        if year and found.year and year != found.year:
            self.note(0, f"报告年度按指定的 {year} 年导入（报告中{found.year_source}写的是 {found.year} 年）")
        elif not year and found.year_source != "标题":
            self.note(0, f"标题中没有年度，按{found.year_source}取 {found.year} 年，请核对")
        return (org or found.org or ""), (year or found.year or 0)

    def _head_zone(self, items: list[Item], first_heading: int, title: _Title | None) -> list[Item]:
        """The preamble's lines: after the title, without the page's metadata and furniture."""
        head = items[:first_heading]
        if title is not None:
            self.dropped(head[: title.start], "标题之前的文字")
            zone = head[title.end + 1 :]
        else:
            markers = [
                k
                for k, it in enumerate(head)
                if facts.is_furniture(_text_of(it))
                or facts.is_metadata(_text_of(it))
                or facts.parse_title(_text_of(it)) is not None
            ]
            cut = markers[-1] + 1 if markers else 0
            self.dropped(head[:cut], "网页导航、网页信息等")
            zone = head[cut:]
        kept = []
        furniture = []
        for item in zone:
            text = _text_of(item)
            if isinstance(item, Para) and _PAGE_NUMBER.match(text):
                self.note(item.line, f"“{text}”看作页码，未导入", "info")
            elif facts.is_furniture(text) or facts.is_metadata(text):
                furniture.append(item)
            else:
                kept.append(item)
        self.dropped(furniture, "网页信息（索引号、发布机构、发布日期等）")
        return kept

    def _cut_footer(self, body: list[Item], fmt: Format) -> list[Item]:
        """Drop the page's footer: everything from its first furniture line after the last part began."""
        current, last_start = -1, 0
        for k, item in enumerate(body):
            if isinstance(item, Para):
                index = heading_index(item.text, fmt, current)
                if index is not None:
                    current, last_start = index, k
        for k in range(last_start + 1, len(body)):
            text = _text_of(body[k])
            if facts.is_furniture(text) or (isinstance(body[k], Para) and facts.parse_title(text) is not None):
                self.dropped(body[k:], "网页页脚、相关链接等")
                return body[:k]
        kept = [it for it in body if not facts.is_furniture(_text_of(it))]
        self.dropped([it for it in body if facts.is_furniture(_text_of(it))], "网页上的导航或按钮文字")
        return kept

    def _sections(self, body: list[Item], fmt: Format) -> dict[int, list[Item]]:
        sections: dict[int, list[Item]] = {}
        current = -1
        for item in body:
            index = heading_index(item.text, fmt, current) if isinstance(item, Para) else None
            if index is not None:
                current = index
                sections[current] = []
                continue
            if isinstance(item, Para) and _PAGE_NUMBER.match(item.text):
                self.note(item.line, f"“{item.text}”看作页码，未导入", "info")
                continue
            sections.setdefault(current, []).append(item)
        return sections

    def _vote(self, rows: list[Row], fmt: Format) -> dict[str, int]:
        unique = unique_labels(fmt)
        texts = {label_key(c.text) for row in rows for c in row.cells}
        return {pid: len(labels & texts) for pid, labels in unique.items()}

    def _regions(self, items: list[Item]) -> list[list[Item]]:
        """Items grouped: each run of table rows is one region, each paragraph its own."""
        regions: list[list[Item]] = []
        for item in items:
            if isinstance(item, Row) and regions and isinstance(regions[-1][-1], Row):
                regions[-1].append(item)
            else:
                regions.append([item])
        return regions

    def _text_lines(self, items: list[Item], fmt: Format, queues: dict[str, list[Row | NamedRow]]) -> list[str]:
        """A text part's paragraphs; a table found in it goes to the table part its labels name."""
        out = []
        for region in self._regions(items):
            rows = [it for it in region if isinstance(it, Row)]
            if rows:
                votes = self._vote(rows, fmt)
                target = max(votes, key=lambda k: votes[k])
                if votes[target] >= 2:
                    self.note(
                        rows[0].line, f"这张表格的行列名称属于“{fmt.part(target).heading}”，已按该部分导入", "info"
                    )
                    queues[target] += rows
                    continue
                out += [row.text for row in rows if row.text]
                continue
            text = region[0].text
            if _BARE_NUMBER.match(text):
                self.note(region[0].line, f"“{text}”看作页码，未导入", "info")
                continue
            out.append(text)
        return out

    def _table_section(
        self, items: list[Item], fmt: Format, pid: str, queues: dict[str, list[Row | NamedRow]]
    ) -> list[str]:
        """A table part's rows (to its queue, or to the table part their labels name) and its prose."""
        labels = part_labels(fmt)[pid]
        prose: list[str] = []
        stream: list[Cell] = []
        stream_line = 0

        def flush_stream() -> None:
            nonlocal stream
            if stream:
                queues[pid].append(Row(tuple(stream), stream_line, -stream_line, "cells"))
            stream = []

        for region in self._regions(items):
            first = region[0]
            if isinstance(first, Row):
                flush_stream()
                rows = [it for it in region if isinstance(it, Row)]
                votes = self._vote(rows, fmt)
                target = max(votes, key=lambda k: (votes[k], k == pid))
                if votes[target] > votes[pid]:
                    self.note(
                        rows[0].line, f"这张表格的行列名称属于“{fmt.part(target).heading}”，已按该部分导入", "info"
                    )
                queues[target if votes[target] > votes[pid] else pid] += rows
                continue
            text = first.text
            meaning = labels.meaning(text)
            if meaning.kind in _TOKEN_KINDS:  # a table written one cell per line, without tabs
                if not stream:
                    stream_line = first.line
                stream.append(Cell(text, len(stream), len(stream) + 1, first.line))
                continue
            written: Row | NamedRow | None = read_named(text, labels, first.line)
            if written is None:
                written = _worded_row(text, labels, first.line)
            if written is not None:
                flush_stream()
                queues[pid].append(written)
                continue
            flush_stream()
            if labels.header_pieces(text):
                self.note(first.line, f"“{text[:30]}”看作表头文字（PDF 中被拆开的列名称），未导入", "info")
                continue
            prose.append(text)
        flush_stream()
        return prose


def _worded_row(text: str, labels: PartLabels, line: int) -> Row | None:
    """A table row written with spaces between cells (text taken from a PDF), or None for prose.

    Every word, or run of words, must be a label, a header, a number or a blank mark.
    """
    words = text.split()
    if len(words) < 2:
        return None
    cells: list[str] = []
    i = 0
    while i < len(words):
        for k in range(min(len(words) - i, 8), 0, -1):
            joined = "".join(words[i : i + k])
            kind = labels.meaning(joined).kind
            if kind in _TOKEN_KINDS and (k == 1 or kind not in (Kind.NUMBER, Kind.BLANK)):
                cells.append(joined)
                i += k
                break
        else:
            return None
    return Row(tuple(Cell(c, i, i + 1, line) for i, c in enumerate(cells)), line, -line, "spaces")


def _all_labels() -> set[str]:
    out: set[str] = set()
    for fmt in all_formats().values():
        for labels in part_labels(fmt).values():
            out |= labels.all_labels()
    return out


def import_report(source: Path | bytes | str, *, org: str | None = None, year: int | None = None) -> ImportResult:
    """Make a draft from a published report: a file (Path), its bytes, or its text (str).

    `org` and `year`, when given, are used instead of what the text says (a note tells when the
    two differ). Raises NotAReport (MissingFacts when organisation or year is found nowhere).
    """
    if isinstance(source, Path):
        text = read_file(source)
    elif isinstance(source, bytes):
        text = decode_bytes(source)
    else:
        text = source
    org = strip_controls(org, keep_newlines=False).strip() if org else None
    return _Importer(read_document(text)).run(org or None, year)
