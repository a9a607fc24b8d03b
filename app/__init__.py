"""Strataview's user-facing side: the command line and the PySide6 desktop app."""
