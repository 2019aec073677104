"""The export screen: five kinds, the text tables as a grid or a list, what Ctrl+Y copies, the Word file."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from tui.app.app import GovReportApp
from tui.app.screens.export import ExportScreen
from tui.core.render import render


async def test_kinds_layouts_clipboard_and_files(huaian_copy: Path) -> None:
    app = GovReportApp(huaian_copy, huaian_copy.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        assert app.session is not None
        report = app.session.report

        def note() -> str:
            return "".join(str(screen.query_one("#export-note").render()).splitlines())

        # plain text: an aligned grid first, L turns the tables into lists
        assert screen.text == render(report, "txt") and "按 L 改为列表" in note() and "用于校对" in note()
        await pilot.press("l")
        assert screen.text == render(report, "txt", "list") and "按 L 改为网格" in note()
        await pilot.press("L")  # as shown, with Shift or Caps Lock
        assert screen.text == render(report, "txt") and "按 L 改为列表" in note()
        await pilot.press("l")
        assert "用于校对" not in note() and "电子邮件" in note()
        await pilot.press("f4")  # F4 as well as Ctrl+W (which closes a browser tab)
        await pilot.pause()
        assert huaian_copy.with_suffix(".list.txt").read_text("utf-8") == render(report, "txt", "list")
        await pilot.press("ctrl+y")
        assert app.clipboard == render(report, "txt", "list")

        # the fragment, for the editor's source mode: the screen says Ctrl+Y copies it
        await pilot.press("4")
        fragment = render(report, "html-fragment")
        assert screen.text == fragment and "F6/Ctrl+Y 复制此片段" in note() and "源代码" in note()
        assert "写入 2024-huaian-city-gov.fragment.html" in note()
        await pilot.press("f6")
        await pilot.pause()
        assert app.clipboard == fragment
        assert huaian_copy.with_suffix(".fragment.html").read_text("utf-8") == fragment

        # the whole page is written as a file, but Ctrl+Y still copies the fragment
        await pilot.press("3")
        assert "F6/Ctrl+Y 复制 HTML 片段" in note() and "在浏览器中打开" in note()
        app.copy_to_clipboard("")
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.clipboard == fragment
        assert huaian_copy.with_suffix(".html").read_text("utf-8") == render(report, "html")

        # Word: written, never put on the clipboard
        await pilot.press("5")
        assert "不能放到剪贴板" in note() and "打印盖章" in note()
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.clipboard == fragment
        doc = Document(str(huaian_copy.with_suffix(".docx")))
        assert doc.paragraphs[0].text == "淮安市人民政府\n2024年政府信息公开工作年度报告"

        await pilot.press("l")  # only plain text has a table layout: nothing changes here
        assert screen.kind == "docx" and screen.tables == "list"
        await pilot.press("escape")
        assert not isinstance(app.screen, ExportScreen)
