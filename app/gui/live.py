"""Live mode's eyes: watch a project's Python files and configuration, report each burst of saves once.

`ProjectWatcher` watches every directory under the project's package directories and every `.py`
file in them (a directory watch sees files come and go, only a file watch sees one rewritten in
place), and the configuration files in the project root. Editors that save by writing a new file
and renaming it over the old one end the old file's watch, so a changed file is watched again.
`__pycache__`, hidden entries and other files are ignored. Saves that come within `debounce_ms` of
each other form one burst, reported by a single `changed` signal once the burst is over.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

logger = logging.getLogger(__name__)

CONFIG_FILE_NAMES = frozenset({"pyproject.toml", "strataview.toml", "setup.cfg", ".importlinter"})
DEBOUNCE_MS = 300
_IGNORED_DIRECTORIES = frozenset({"__pycache__"})


def _is_source(name: str) -> bool:
    return name.endswith(".py") and not name.startswith(".")


def _is_package_directory(name: str) -> bool:
    return name not in _IGNORED_DIRECTORIES and not name.startswith(".")


class ProjectWatcher(QObject):
    """Emits `changed(paths)` once per burst of changes to a project's sources or configuration.

    `paths` are the absolute paths, sorted, of the files written, created or removed in the burst.
    """

    changed = Signal(list)

    def __init__(self, parent: QObject | None = None, debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_file_changed)
        self._watcher.directoryChanged.connect(self._on_directory_changed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._report)
        self._root: str | None = None
        self._config_files: set[str] = set()
        self._root_configs: set[str] = set()  # the configuration files present in the root
        self._listings: dict[str, set[str]] = {}  # each watched package directory -> its relevant entries
        self._sources: set[str] = set()
        self._pending: set[str] = set()
        self._unwatched: set[str] = set()

    @property
    def watching(self) -> bool:
        return self._root is not None

    @property
    def unwatched(self) -> list[str]:
        """Paths the system refused to watch (such as past Linux's inotify watch limit); changes there go unseen."""
        return sorted(self._unwatched)

    def start(self, root: Path, package_dirs: Iterable[Path], config_file: Path | None = None) -> None:
        """Watch the packages in `package_dirs` and the configuration in `root` (and `config_file`, if given)."""
        self.stop()
        self._root = os.path.abspath(root)
        self._root_configs = self._configs_in_root()
        self._config_files = {os.path.join(self._root, name) for name in CONFIG_FILE_NAMES}
        if config_file is not None:
            self._config_files.add(os.path.abspath(config_file))
        self._watch([self._root, *(path for path in self._config_files if os.path.isfile(path))])
        for directory in package_dirs:
            self._watch_tree(os.path.abspath(directory))

    def stop(self) -> None:
        """Stop watching; a burst in progress is dropped, and nothing more is reported."""
        self._timer.stop()
        watched = self._watcher.files() + self._watcher.directories()
        if watched:
            self._watcher.removePaths(watched)
        self._root = None
        self._config_files.clear()
        self._root_configs.clear()
        self._listings.clear()
        self._sources.clear()
        self._pending.clear()
        self._unwatched.clear()

    def _watch(self, paths: list[str]) -> None:
        if not paths:
            return
        refused = set(self._watcher.addPaths(paths))
        if refused:
            # addPaths also refuses paths already watched or gone again: only the others are a problem.
            refused -= set(self._watcher.files()) | set(self._watcher.directories())
            refused = {path for path in refused if os.path.exists(path)}
        if refused - self._unwatched:
            logger.warning("cannot watch %d paths for live mode, among them %s", len(refused), min(refused))
        self._unwatched |= refused

    def _watch_tree(self, top: str) -> list[str]:
        """Watch `top`, its package directories and their sources; returns the sources found."""
        directories: list[str] = []
        sources: list[str] = []
        for directory, subdirectories, files in os.walk(top):
            subdirectories[:] = [
                name
                for name in subdirectories
                if _is_package_directory(name) and not os.path.islink(os.path.join(directory, name))
            ]
            names = {name for name in files if _is_source(name)}
            self._listings[directory] = names | set(subdirectories)
            directories.append(directory)
            sources.extend(os.path.join(directory, name) for name in sorted(names))
        self._watch(directories + sources)
        self._sources.update(sources)
        return sources

    def _configs_in_root(self) -> set[str]:
        assert self._root is not None
        try:
            return {name for name in os.listdir(self._root) if name in CONFIG_FILE_NAMES}
        except OSError:
            return set()

    def _on_file_changed(self, path: str) -> None:
        if not self.watching or (path not in self._sources and path not in self._config_files):
            return
        if os.path.isfile(path):
            # A save by rename ended this file's watch: watch the new file (a no-op if still watched).
            self._watcher.addPath(path)
        else:
            self._sources.discard(path)
        self._mark([path])

    def _on_directory_changed(self, directory: str) -> None:
        if not self.watching:
            return
        if directory == self._root:
            self._on_root_changed()
        if directory not in self._listings:
            return
        before = self._listings[directory]
        after = self._relevant_entries(directory)
        if after is None:
            self._mark(self._forget_tree(directory))
            return
        self._listings[directory] = after
        changes: list[str] = []
        for name in sorted(after - before):
            path = os.path.join(directory, name)
            if os.path.isdir(path):
                changes.extend(self._watch_tree(path))
            else:
                self._watch([path])
                self._sources.add(path)
                changes.append(path)
        for name in sorted(before - after):
            path = os.path.join(directory, name)
            if path in self._sources:
                self._sources.discard(path)
                changes.append(path)
            else:
                changes.extend(self._forget_tree(path))
        self._mark(changes)

    def _on_root_changed(self) -> None:
        before, after = self._root_configs, self._configs_in_root()
        self._root_configs = after
        assert self._root is not None
        paths = [os.path.join(self._root, name) for name in sorted(before ^ after)]
        self._watch([path for path in paths if os.path.isfile(path)])
        self._mark(paths)

    def _relevant_entries(self, directory: str) -> set[str] | None:
        """The sources and package directories in `directory`, or None if it is gone."""
        try:
            with os.scandir(directory) as entries:
                return {
                    entry.name
                    for entry in entries
                    if (_is_package_directory if entry.is_dir(follow_symlinks=False) else _is_source)(entry.name)
                }
        except (FileNotFoundError, NotADirectoryError):
            return None

    def _forget_tree(self, top: str) -> list[str]:
        """Stop tracking a removed directory; returns the sources it held."""
        prefix = top + os.sep
        for directory in [d for d in self._listings if d == top or d.startswith(prefix)]:
            del self._listings[directory]
        removed = sorted(path for path in self._sources if path.startswith(prefix))
        self._sources.difference_update(removed)
        return removed

    def _mark(self, paths: list[str]) -> None:
        if paths:
            self._pending.update(paths)
            self._timer.start()  # restarts: the burst lasts until saves pause for the debounce time

    def _report(self) -> None:
        paths, self._pending = sorted(self._pending), set()
        if paths:
            self.changed.emit(paths)
