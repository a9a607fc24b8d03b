"""Live mode's watcher: one `changed` per burst of saves, new subpackages seen, caches and other files ignored."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.gui.live import ProjectWatcher

DEBOUNCE_MS = 150
SETTLE_MS = DEBOUNCE_MS * 3  # long enough for a burst to have been reported
TIMEOUT_MS = 5_000


class Recorder:
    """Every `changed` the watcher emits, in order."""

    def __init__(self, watcher: ProjectWatcher) -> None:
        self.reports: list[list[str]] = []
        watcher.changed.connect(self.reports.append)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for relative, text in {
        "pyproject.toml": "[tool.strataview]\n",
        "shop/__init__.py": "",
        "shop/api/__init__.py": "",
        "shop/api/orders.py": "from shop.core import models\n",
        "shop/core/__init__.py": "",
        "shop/core/models.py": "PRICE = 1\n",
    }.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@pytest.fixture
def watcher(qtbot, project: Path) -> Iterator[ProjectWatcher]:
    watcher = ProjectWatcher(debounce_ms=DEBOUNCE_MS)
    watcher.start(project, [project / "shop"])
    yield watcher
    watcher.stop()


@pytest.fixture
def recorder(watcher: ProjectWatcher) -> Recorder:
    return Recorder(watcher)


def settled(qtbot, recorder: Recorder, count: int = 1) -> list[list[str]]:
    """Wait for `count` reports, then long enough that a further one would have come."""
    qtbot.waitUntil(lambda: len(recorder.reports) >= count, timeout=TIMEOUT_MS)
    qtbot.wait(SETTLE_MS)
    return recorder.reports


def nothing_reported(qtbot, recorder: Recorder) -> bool:
    qtbot.wait(SETTLE_MS)
    return recorder.reports == []


def test_a_burst_of_saves_is_reported_once_with_the_files_saved(qtbot, project, recorder):
    models = project / "shop" / "core" / "models.py"
    orders = project / "shop" / "api" / "orders.py"
    for count in range(5):
        models.write_text(f"PRICE = {count}\n")
        qtbot.wait(DEBOUNCE_MS // 5)
    orders.write_text("from shop.core import models, pricing\n")
    assert settled(qtbot, recorder) == [[str(orders), str(models)]]


def test_separate_bursts_are_reported_separately(qtbot, project, recorder):
    models = project / "shop" / "core" / "models.py"
    models.write_text("PRICE = 2\n")
    settled(qtbot, recorder)
    models.write_text("PRICE = 3\n")
    assert settled(qtbot, recorder, 2) == [[str(models)], [str(models)]]


def test_a_save_by_renaming_a_new_file_over_the_old_one_is_seen_and_the_file_stays_watched(qtbot, project, recorder):
    models = project / "shop" / "core" / "models.py"
    temporary = models.with_name(".models.py.swp")
    temporary.write_text("PRICE = 4\n")
    os.replace(temporary, models)
    settled(qtbot, recorder)
    models.write_text("PRICE = 5\n")  # in place, as other editors save
    assert settled(qtbot, recorder, 2) == [[str(models)], [str(models)]]


def test_new_files_in_a_new_subpackage_are_seen_and_then_watched(qtbot, project, recorder):
    package = project / "shop" / "core" / "discounts"
    (package / "rules").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "rules" / "__init__.py").write_text("")
    (package / "rules" / "seasonal.py").write_text("from shop.core import models\n")
    reported = settled(qtbot, recorder)
    created = (package / "__init__.py", package / "rules" / "__init__.py", package / "rules" / "seasonal.py")
    assert sorted(path for report in reported for path in report) == sorted(str(path) for path in created)
    recorder.reports.clear()
    (package / "rules" / "seasonal.py").write_text("from shop.api import orders\n")
    (package / "rules" / "clearance.py").write_text("")
    assert settled(qtbot, recorder) == [
        [str(package / "rules" / "clearance.py"), str(package / "rules" / "seasonal.py")]
    ]


def test_removed_modules_and_packages_are_reported(qtbot, project, recorder):
    (project / "shop" / "api" / "orders.py").unlink()
    shutil.rmtree(project / "shop" / "core")
    reported = settled(qtbot, recorder)
    assert sorted(path for report in reported for path in report) == sorted(
        str(project / "shop" / relative)
        for relative in ("api/orders.py", "core/__init__.py", "core/models.py")
    )


def test_pycache_and_other_files_are_ignored(qtbot, project, recorder):
    cache = project / "shop" / "core" / "__pycache__"
    cache.mkdir()
    (cache / "models.cpython-311.pyc").write_bytes(b"\x00" * 16)
    (cache / "stray.py").write_text("")
    (project / "shop" / "core" / "notes.txt").write_text("not Python")
    (project / "shop" / "core" / ".models.py.swp").write_text("editor state")
    (project / "shop" / ".hidden").mkdir()
    (project / "shop" / ".hidden" / "module.py").write_text("")
    (project / "README.md").write_text("not configuration")
    assert nothing_reported(qtbot, recorder)
    (cache / "models.cpython-311.pyc").write_bytes(b"\x01" * 16)
    (cache / "stray.py").write_text("x = 1\n")
    assert nothing_reported(qtbot, recorder)


def test_configuration_files_in_the_root_are_watched(qtbot, project, recorder):
    (project / "pyproject.toml").write_text("[tool.strataview]\nroot_packages = ['shop']\n")
    assert settled(qtbot, recorder) == [[str(project / "pyproject.toml")]]
    (project / "strataview.toml").write_text("root_packages = ['shop']\n")
    assert settled(qtbot, recorder, 2)[1] == [str(project / "strataview.toml")]
    (project / "strataview.toml").write_text("root_packages = ['shop', 'extra']\n")
    assert settled(qtbot, recorder, 3)[2] == [str(project / "strataview.toml")]


def test_a_configuration_file_given_elsewhere_is_watched(qtbot, project, tmp_path):
    config = tmp_path / "rules" / "architecture.toml"
    config.parent.mkdir()
    config.write_text("root_packages = ['shop']\n")
    watcher = ProjectWatcher(debounce_ms=DEBOUNCE_MS)
    recorder = Recorder(watcher)
    watcher.start(project, [project / "shop"], config_file=config)
    config.write_text("root_packages = ['shop', 'extra']\n")
    assert settled(qtbot, recorder) == [[str(config)]]
    watcher.stop()


def test_stop_stops_reporting_even_a_burst_in_progress(qtbot, project, watcher, recorder):
    models = project / "shop" / "core" / "models.py"
    models.write_text("PRICE = 6\n")
    qtbot.waitUntil(lambda: watcher._timer.isActive(), timeout=TIMEOUT_MS)
    watcher.stop()
    assert not watcher.watching
    models.write_text("PRICE = 7\n")
    (project / "shop" / "core" / "new.py").write_text("")
    assert nothing_reported(qtbot, recorder)


def test_start_again_watches_the_new_project_only(qtbot, project, tmp_path, watcher, recorder):
    other = tmp_path / "other"
    (other / "pkg").mkdir(parents=True)
    (other / "pkg" / "__init__.py").write_text("")
    watcher.start(other, [other / "pkg"])
    (project / "shop" / "core" / "models.py").write_text("PRICE = 8\n")
    assert nothing_reported(qtbot, recorder)
    (other / "pkg" / "__init__.py").write_text("VERSION = 2\n")
    assert settled(qtbot, recorder) == [[str(other / "pkg" / "__init__.py")]]
    assert watcher.unwatched == []
