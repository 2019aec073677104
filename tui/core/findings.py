"""What a check found: which rule, how serious, where (cells, or a sentence of a text), and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .severity import Severity
from .tables import CellRef


@dataclass(frozen=True)
class Finding:
    """One problem found in a report.

    Table findings name their cells. Text findings name the text (`text`: `preamble` or a part
    id), the stretch of it they are about (`start`, `end`: indices into `report.text(text)`,
    end excluded, counted in characters) and that stretch's words (`quote`, usually the whole
    sentence). `part` is the section the finding belongs to (None: basic information).
    """

    rule: str
    severity: Severity
    message: str
    part: str | None = None
    row: str | None = None
    column: str | None = None
    location: str = ""
    cells: tuple[CellRef, ...] = ()
    group: str = ""
    text: str | None = None
    start: int | None = None
    end: int | None = None
    quote: str = ""

    @property
    def severity_label(self) -> str:
        return self.severity.label

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "location": self.location,
            "part": self.part,
            "row": self.row,
            "column": self.column,
            "cells": [list(ref) for ref in self.cells],
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
        }
