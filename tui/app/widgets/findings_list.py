"""Every finding of the checks, in Chinese; choosing one jumps to it."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...core.checks import Finding
from .display import screen_text

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def finding_prompt(f: Finding) -> Text:
    text = Text()
    text.append(f"[{f.severity_label}] ", style=SEVERITY_STYLE[f.severity])
    text.append(screen_text(f.location), style="bold")
    text.append(f"\n{screen_text(f.message)}")
    return text


def finding_options(findings: list[Finding]) -> list[Option]:
    """One option per finding, its index as id; a disabled line when there is none."""
    if not findings:
        return [Option(Text("没有发现问题。", style="green"), id="none", disabled=True)]
    return [Option(finding_prompt(f), id=str(i)) for i, f in enumerate(findings)]


class FindingsList(OptionList):
    """A list of findings; posts `OptionSelected` with the finding's index as option id."""

    def __init__(self, findings: list[Finding], id: str | None = None) -> None:
        self.findings = findings
        super().__init__(*finding_options(findings), id=id)

    def on_mount(self) -> None:
        if self.findings:
            self.highlighted = 0

    def set_findings(self, findings: list[Finding]) -> None:
        if findings == self.findings:
            return
        self.findings = findings
        self.clear_options()
        self.add_options(finding_options(findings))
        if findings:
            self.highlighted = 0

    def finding(self, option_id: str | None) -> Finding | None:
        if option_id is None or not option_id.isdigit():
            return None
        return self.findings[int(option_id)]
