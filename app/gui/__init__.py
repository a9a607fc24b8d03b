"""The PySide6 desktop review app."""

from app.gui.application import launch

__all__ = ["launch"]
