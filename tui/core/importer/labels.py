"""Labels as compared: normalising the variants reports print, and what a cell's text is in a format."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from enum import Enum

from ..formats import Block, Format, Part, Row, all_formats, format_for_year
from ..label_key import label_key as label_key
from ..values import BLANK_MARKS, CellKind, parse_cell

_ENUM_PREFIX = re.compile(r"^(?:\d+\.|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、)")
_DIGIT = re.compile(r"[0-9０-９]")
_SPACED_DIGITS = re.compile(r"[0-9０-９]\s+[0-9０-９]")
_MISPRINT_MIN_CHARS = 6  # shorter labels are one character away from other words
_MISPRINT_RATIO = 0.88  # one wrong character in a label of about ten


def number_text(text: str) -> bool:
    """Whether a cell holds a number (thousands separators, a sign or a unit such as 元 allowed)."""
    t = text.strip().replace("−", "-")
    if t in BLANK_MARKS or _SPACED_DIGITS.search(t):
        return False  # "72 64 178" is several numbers, not one
    t = t.lstrip("+-－")
    return isinstance(parse_cell(CellKind.AMOUNT, t, "万元"), Decimal)


def has_digit(text: str) -> bool:
    return bool(_DIGIT.search(text))


class Kind(Enum):
    """What a table cell's text is, for one part of a format."""

    EMPTY = "empty"  # nothing: a blank cell or the padding a merged cell leaves
    BLANK = "blank"  # “/”, “—”: a cell the report leaves without a number on purpose
    NUMBER = "number"
    LABEL = "label"  # a data row's label
    GROUP = "group"  # a group of rows (三、本年度办理结果, （三）不予公开)
    HEAD = "head"  # a column header, a group of columns, or the top-left header cell
    CAPTION = "caption"  # a block's caption (第二十条第（一）项)
    TEXT = "text"  # anything else


@dataclass(frozen=True)
class Meaning:
    """A cell's text understood: its kind, the row it labels, the header path it spells out."""

    kind: Kind
    block: Block | None = None
    row: Row | None = None
    path: tuple[str, ...] = ()  # for HEAD: the normalised labels above it written in the cell (a：b)
    leaf: str = ""  # for HEAD: the normalised label itself
    misprint: bool = False  # for LABEL: the text differs from the label by a misprint


@dataclass
class PartLabels:
    """Every label of one table part, normalised, and what each means."""

    part: Part
    rows: dict[str, tuple[Block, Row]] = field(default_factory=dict)
    groups: set[str] = field(default_factory=set)
    heads: set[str] = field(default_factory=set)
    captions: set[str] = field(default_factory=set)
    unlabeled: tuple[tuple[Block, Row], ...] = ()  # data rows without a label (table 四)
    known: dict[str, Meaning] = field(default_factory=dict, repr=False)  # texts already understood

    @classmethod
    def of(cls, part: Part) -> PartLabels:
        assert part.table is not None
        labels = cls(part)
        unlabeled = []
        for block in part.table.blocks:
            if block.caption:
                labels.captions.add(label_key(block.caption))
            if block.label_header:
                labels.heads.add(label_key(block.label_header))
            for col in block.columns:
                labels.heads.add(label_key(col.label))
                labels.heads |= {label_key(p) for p in col.path}
            for row in block.rows:
                if not row.label:
                    unlabeled.append((block, row))
                    continue
                labels.rows[label_key(row.label)] = (block, row)
                labels.groups |= {label_key(p) for p in row.path}
        labels.unlabeled = tuple(unlabeled)
        taken = set(labels.rows) | labels.groups | labels.heads | labels.captions
        short: dict[str, list[tuple[Block, Row]]] = {}
        for key, found in labels.rows.items():
            bare = _ENUM_PREFIX.sub("", key)
            if bare != key and bare not in taken:
                short.setdefault(bare, []).append(found)
        for bare, found_rows in short.items():
            if len(found_rows) == 1:  # 属于国家秘密 without its 1.: still one row only
                labels.rows[bare] = found_rows[0]
        return labels

    def all_labels(self) -> set[str]:
        return set(self.rows) | self.groups | self.heads | self.captions

    def header_pieces(self, text: str) -> bool:
        """Whether a line is only pieces of this table's header words (a PDF's header cut into lines)."""
        words = [label_key(w) for w in text.split()]
        if len(words) < 2 or any(len(w) > 4 for w in words):
            return False
        pieces = self.heads | self.groups | self.captions
        return all(any(w in piece for piece in pieces) for w in words)

    def meaning(self, text: str) -> Meaning:
        """What a cell's text is in this part's table."""
        found = self.known.get(text)
        if found is None:
            if len(self.known) > 50_000:  # the index lives as long as the format: keep it bounded
                self.known.clear()
            found = self.known[text] = self._meaning(text)
        return found

    def _meaning(self, text: str) -> Meaning:
        stripped = text.strip()
        if not stripped:
            return Meaning(Kind.EMPTY)
        if stripped in BLANK_MARKS:
            return Meaning(Kind.BLANK)
        key = label_key(stripped)
        found = self._exact(key)
        if found is not None:
            return found
        if number_text(stripped):
            return Meaning(Kind.NUMBER)
        close = self._misprinted_row(key)
        if close is not None:
            return close
        if ":" in key:  # a label with its groups spelled out: 三、本年度办理结果：（一）予以公开
            *above, last = key.split(":")
            inner = self._exact(last)
            if (
                inner is not None
                and inner.kind is Kind.LABEL
                and inner.row is not None
                and set(above) <= {label_key(p) for p in inner.row.path}
            ):
                return inner
            if inner is not None and inner.kind is Kind.HEAD and all(a in self.heads for a in above):
                return Meaning(Kind.HEAD, path=tuple(above), leaf=last)
        return Meaning(Kind.TEXT)

    def _misprinted_row(self, key: str) -> Meaning | None:
        """The one row label a text differs from by a misprint (三类内容事务信息 for 三类内部事务信息).

        Only when the numbering (1. / （二）) is the same, the text is long enough for one wrong
        character not to make another label, and no other row label comes as close.
        """
        prefix = _ENUM_PREFIX.match(key)
        number = prefix.group(0) if prefix else ""
        if ":" in key or len(key) - len(number) < _MISPRINT_MIN_CHARS or has_digit(key[len(number) :]):
            return None
        scored = []
        for label, (block, row) in self.rows.items():
            found = _ENUM_PREFIX.match(label)
            if (found.group(0) if found else "") != number or abs(len(label) - len(key)) > 2:
                continue
            scored.append((SequenceMatcher(None, key, label).ratio(), block, row))
        close = [s for s in scored if s[0] >= _MISPRINT_RATIO]
        if len({id(row) for _ratio, _block, row in close}) != 1:
            return None
        _ratio, block, row = max(close, key=lambda s: s[0])
        return Meaning(Kind.LABEL, block, row, misprint=True)

    def _exact(self, key: str) -> Meaning | None:
        if key in self.rows:
            block, row = self.rows[key]
            return Meaning(Kind.LABEL, block, row)
        if key in self.captions:
            return Meaning(Kind.CAPTION)
        if key in self.heads:
            return Meaning(Kind.HEAD, leaf=key)
        if key in self.groups:
            return Meaning(Kind.GROUP)
        return None


def part_labels(fmt: Format) -> dict[str, PartLabels]:
    """The label index of each table part of a format, built once."""

    def build(f: Format) -> dict[str, PartLabels]:
        return {p.id: PartLabels.of(p) for p in f.parts if p.table is not None}

    return fmt.memo("importer.labels", build)


def unique_labels(fmt: Format) -> dict[str, set[str]]:
    """For each table part, the labels no other table part of the format has (to tell tables apart)."""

    def build(f: Format) -> dict[str, set[str]]:
        index = part_labels(f)
        out = {}
        for pid, labels in index.items():
            others = set().union(*(o.all_labels() for oid, o in index.items() if oid != pid))
            out[pid] = labels.all_labels() - others
        return out

    return fmt.memo("importer.unique", build)


def detect_format(seen: set[str], year: int | None) -> Format:
    """The format whose own labels (those the other formats lack) the text uses most."""
    formats = list(all_formats().values())
    labels = {f.id: set().union(*(p.all_labels() for p in part_labels(f).values())) for f in formats}
    scores = {}
    for fmt in formats:
        others = set().union(*(labels[o.id] for o in formats if o is not fmt))
        scores[fmt.id] = len((labels[fmt.id] - others) & seen)
    best = max(scores.values())
    candidates = [f for f in formats if scores[f.id] == best]
    if len(candidates) > 1 and year is not None:
        by_year = format_for_year(year)
        if by_year in candidates:
            return by_year
    return candidates[0]


def heading_index(text: str, fmt: Format, after: int) -> int | None:
    """The index of the part a line heads (only parts after `after`, in order), or None."""
    t = label_key(text)
    if not t or len(t) > 40:
        return None
    for index in range(after + 1, len(fmt.parts)):
        heading = label_key(fmt.parts[index].heading)
        if not t.startswith(heading[:2]) or len(t) > len(heading) + 12:
            continue
        if t == heading or SequenceMatcher(None, t, heading).ratio() >= 0.6:
            return index
    return None
