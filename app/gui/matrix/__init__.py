"""The dependency structure matrix: packages in layer order, the imports between them, and what breaks a rule."""

from app.gui.matrix.view import MatrixView

__all__ = ["MatrixView"]
