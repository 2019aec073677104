"""Widgets of the app: the table sheet, the text editor, the section list and views, the unit list, the key bar."""
