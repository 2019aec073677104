"""Import a published report (Word text, a copied or saved web page, Excel/WPS copies, Markdown,
this program's own exports) into a draft, without ever putting a number in a cell it did not
come from.

`import_report` is the one entry point (the `import` command and the start screen both call
it); the modules: `decode` (bytes to text), `text_reader` / `html_reader` / `boxgrid` (text to
paragraphs and positioned table cells), `facts` (title, organisation, year, page furniture),
`labels` (what a cell's text is in a format), `placing` (numbers into cells, only when certain),
`pipeline` (the whole import), `result` (what the caller gets back).
"""

from .pipeline import import_report, read_document
from .result import FACT_NAMES, ImportResult, MissingFacts, NotAReport, Note, Unplaced
from .source import SHAPE_NAMES

__all__ = [
    "FACT_NAMES",
    "SHAPE_NAMES",
    "ImportResult",
    "MissingFacts",
    "NotAReport",
    "Note",
    "Unplaced",
    "import_report",
    "read_document",
]
