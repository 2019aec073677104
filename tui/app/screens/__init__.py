"""Screens of the app: start, editor, export, and the dialogs."""
