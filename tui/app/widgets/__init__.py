"""Widgets of the app: the table grid, the section list, the section views, the key bar."""
