"""HTML (a saved portal page, Word's “网页” file, this program's export) cut into paragraphs and rows.

A tolerant tree builder (unclosed `<p>`, `<td>`, `<tr>` are closed as browsers do), then a walk:
page furniture (`<nav>`, `<footer>`, scripts, forms) is skipped, a table that holds other tables
is page layout and its cells are read as text, and every other table gives rows whose cells
know the grid columns they cover (rowspan and colspan resolved as a browser does).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .source import Cell, Document, Item, Para, Row

VOID = {"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source", "embed", "param", "track"}
SKIP = {"script", "style", "noscript", "template", "select", "button", "iframe", "svg", "object", "textarea"}
SKIP |= {"nav", "footer", "aside", "form"}
BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "header", "main"}
BLOCKS |= {"blockquote", "pre", "dl", "dt", "dd", "center", "address", "figure", "figcaption", "hr", "caption", "body"}
_FURNITURE_NAMES = {"nav", "navbar", "menu", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "footer", "copyright"}
_FURNITURE_NAMES |= {"share", "bdshare", "sidebar", "topbar"}
_NAME_SPLIT = re.compile(r"[\s_\-]+")


@dataclass
class Node:
    """An element of the page: its tag, attributes, children (elements and text) and source line."""

    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Node | tuple[str, int]] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """Builds a tree, closing elements the way browsers do when the page leaves them open."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, 1)
        self.stack = [self.root]

    def _close_through(self, tag: str, stop: set[str]) -> None:
        """Close the innermost open `tag`, unless one of `stop` is open inside it."""
        for k in range(len(self.stack) - 1, 0, -1):
            current = self.stack[k].tag
            if current == tag:
                del self.stack[k:]
                return
            if current in stop:
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("td", "th"):
            self._close_through("td", {"tr", "table"})
            self._close_through("th", {"tr", "table"})
        elif tag == "tr":
            self._close_through("tr", {"table"})
        elif tag in ("thead", "tbody", "tfoot"):
            for inner in ("tr", "thead", "tbody", "tfoot"):
                self._close_through(inner, {"table"})
        elif tag == "li":
            self._close_through("li", {"ul", "ol", "td", "table"})
        if tag in BLOCKS or tag in ("table", "tr", "td", "th"):
            self._close_through("p", {"td", "th", "table", "div", "li", "button"})
        node = Node(tag, {k: v or "" for k, v in attrs}, self.getpos()[0])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        stop = {"table"} if tag in ("td", "th", "tr", "thead", "tbody", "tfoot") else set()
        if tag == "p" and not any(n.tag == "p" for n in self.stack):
            self.stack[-1].children.append(Node("br", {}, self.getpos()[0]))  # a stray </p> is a line break
            return
        self._close_through(tag, stop)

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append((data, self.getpos()[0]))


def _is_furniture(node: Node) -> bool:
    if node.tag in SKIP:
        return True
    if node.attrs.get("role") in ("navigation", "contentinfo", "banner") or "hidden" in node.attrs:
        return True
    style = node.attrs.get("style", "").replace(" ", "").lower()
    if "display:none" in style:
        return True
    names = _NAME_SPLIT.split(f"{node.attrs.get('class', '')} {node.attrs.get('id', '')}".lower())
    return any(name in _FURNITURE_NAMES for name in names)


def _has_table(node: Node) -> bool:
    return any(isinstance(c, Node) and (c.tag == "table" or _has_table(c)) for c in node.children)


def _find(node: Node, tag: str) -> Node | None:
    for child in node.children:
        if isinstance(child, Node):
            found = child if child.tag == tag else _find(child, tag)
            if found is not None:
                return found
    return None


def _text(node: Node) -> str:
    """All the text inside an element, block boundaries and line breaks as spaces."""
    parts: list[str] = []

    def walk(n: Node) -> None:
        if _is_furniture(n):
            return
        for child in n.children:
            if isinstance(child, tuple):
                parts.append(child[0])
            else:
                if child.tag in BLOCKS or child.tag == "br":
                    parts.append(" ")
                walk(child)

    walk(node)
    return " ".join("".join(parts).split())


def _span(value: str) -> int:
    digits = re.match(r"\s*(\d+)", value)
    return max(1, min(int(digits.group(1)), 1000)) if digits else 1


def _rows_of(table: Node) -> list[Node]:
    rows: list[Node] = []
    for child in table.children:
        if isinstance(child, Node):
            if child.tag == "tr":
                rows.append(child)
            elif child.tag in ("thead", "tbody", "tfoot"):
                rows += _rows_of(child)
    return rows


class _Walker:
    def __init__(self) -> None:
        self.items: list[Item] = []
        self.text: list[str] = []
        self.text_line = 0
        self.table = 0
        self.title = ""

    def flush(self) -> None:
        text = " ".join("".join(self.text).split())
        if text:
            self.items.append(Para(text, self.text_line))
        self.text = []

    def walk(self, node: Node) -> None:
        for child in node.children:
            if isinstance(child, tuple):
                if not self.text:
                    self.text_line = child[1]
                self.text.append(child[0])
                continue
            if child.tag in ("title", "head"):
                title = child if child.tag == "title" else _find(child, "title")
                if title is not None and not self.title:
                    self.title = " ".join("".join(t[0] for t in title.children if isinstance(t, tuple)).split())
                continue
            if _is_furniture(child):
                continue
            if child.tag == "table" and not _has_table(child):
                self.flush()
                self.data_table(child)
                continue
            block = child.tag in BLOCKS or child.tag in ("table", "tr", "td", "th")
            if block:
                self.flush()
            if child.tag == "br":
                self.flush()
            self.walk(child)
            if block:
                self.flush()

    def data_table(self, table: Node) -> None:
        self.table += 1
        for child in table.children:
            if isinstance(child, Node) and child.tag == "caption":
                self.items.append(Para(_text(child), child.line))
        taken: set[tuple[int, int]] = set()
        for r, tr in enumerate(_rows_of(table)):
            cells: list[Cell] = []
            x = 0
            for td in tr.children:
                if not isinstance(td, Node) or td.tag not in ("td", "th") or _is_furniture(td):
                    continue
                while (r, x) in taken:
                    x += 1
                colspan, rowspan = _span(td.attrs.get("colspan", "")), _span(td.attrs.get("rowspan", ""))
                for dr in range(rowspan):
                    for dc in range(colspan):
                        taken.add((r + dr, x + dc))
                cells.append(Cell(_text(td), x, x + colspan, td.line))
                x += colspan
            if cells:
                self.items.append(Row(tuple(cells), tr.line, self.table, "grid"))


def read_html(text: str) -> Document:
    """Cut an HTML page into paragraphs and table rows."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    walker = _Walker()
    walker.walk(builder.root)
    walker.flush()
    return Document("html", walker.items, page_title=walker.title)


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:3000].lower()
    return head.startswith("<") and any(tag in head or tag in text.lower() for tag in ("<table", "<html", "<p", "<div"))
