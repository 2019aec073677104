"""Screens of the app: start, editor, export, review desk, and the dialogs."""
