"""What the app remembers between sessions: recent projects and workspaces, the window's layout,
what the architecture view colours its boxes by, and where unsaved review changes are autosaved."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from PySide6.QtCore import QByteArray, QSettings

from app.gui.graph.scene import COLOUR_BY

MAX_RECENT_PROJECTS = 10
MAX_RECENT_WORKSPACES = 10


class Settings:
    """Typed access to a QSettings store; the default store is the user's, tests pass their own."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else QSettings("Strataview", "Strataview")

    def recent_projects(self) -> list[Path]:
        return self._recent("recent_projects")

    def add_recent_project(self, path: Path) -> None:
        self._add_recent("recent_projects", path, MAX_RECENT_PROJECTS)

    def clear_recent_projects(self) -> None:
        self.store.remove("recent_projects")

    def recent_workspaces(self) -> list[Path]:
        return self._recent("recent_workspaces")

    def add_recent_workspace(self, path: Path) -> None:
        self._add_recent("recent_workspaces", path, MAX_RECENT_WORKSPACES)

    def clear_recent_workspaces(self) -> None:
        self.store.remove("recent_workspaces")

    def _recent(self, key: str) -> list[Path]:
        # type=list: an INI file reads a one-element list back as a plain string otherwise.
        return [Path(entry) for entry in self.store.value(key, [], type=list) if entry]

    def _add_recent(self, key: str, path: Path, limit: int) -> None:
        entry = path.resolve()
        recent = [entry, *(p for p in self._recent(key) if p != entry)][:limit]
        self.store.setValue(key, [str(p) for p in recent])

    def recovery_dir(self) -> Path:
        """Where unsaved review changes are autosaved: beside a settings file given as INI (so a
        throwaway store keeps its recoveries to itself), else in the user's data folder."""
        if self.store.format() == QSettings.Format.IniFormat:
            return Path(self.store.fileName()).parent / "recovery"
        return Path(platformdirs.user_data_dir("strataview")) / "recovery"

    def colour_by(self) -> str:
        """What the architecture view colours its boxes by: "layer" (the default) or "age"."""
        value = self.store.value("view/colour_by", "layer")
        return value if value in COLOUR_BY else "layer"

    def set_colour_by(self, colour_by: str) -> None:
        self.store.setValue("view/colour_by", colour_by)

    def layout(self, name: str) -> QByteArray | None:
        """Saved geometry or state of a window part (`saveGeometry`, `saveState`), if any."""
        value = self.store.value(f"layout/{name}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_layout(self, name: str, value: QByteArray) -> None:
        self.store.setValue(f"layout/{name}", value)

    def sync(self) -> None:
        self.store.sync()
