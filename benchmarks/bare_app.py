"""The baseline for bench_tui.py: a bare Textual app with one Input and a Footer."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Input


class Bare(App[None]):
    """One Input and a Footer, nothing else."""

    BINDINGS = [("ctrl+q", "quit", "退出")]

    def compose(self) -> ComposeResult:
        field = Input(placeholder="就绪")
        field.cursor_blink = False
        yield field
        yield Footer()


if __name__ == "__main__":
    Bare().run()
