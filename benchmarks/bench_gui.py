"""Time the architecture view: open-to-first-paint, and frame times while panning and zooming.

Open-to-first-paint is the time from asking the main window to open a project to the end of the
first complete paint of the architecture view: configuration, graph build, rules, dependency
map, Sugiyama layout, scene items and the paint itself. "cold" builds the import graph from the
source; "warm" reuses grimp's cache, as a second opening does.

A frame is the time to handle one step and paint what it changed: a pan step scrolls by 40 px
(Qt moves the pixels and paints the strip uncovered), a zoom step scales by 1.25 and repaints the
whole view; zoom frames are timed from the fitted view inwards and from 100 % in and out. "repaint"
is a full repaint of the view at 100 % without any change. Medians and 95th percentiles are printed for the drawing at package level,
with every layer's packages expanded, and with the largest package expanded as well.

Expanding a package is timed twice: the rebuild of the scene alone, and with the paint that
follows it ("shown"), both at the zoom the view had; the window is blocked for the second.

    python benchmarks/bench_gui.py                   # synthetic 20,000 modules, and homeassistant if installed
    python benchmarks/bench_gui.py --modules 7000    # a smaller synthetic project
    python benchmarks/bench_gui.py --no-homeassistant

The synthetic project has five layers of ten packages of four subpackages; each module imports
about six others, mostly within its subpackage or below it, and one import in a hundred goes up
a layer (a violation). homeassistant needs only `pip install --no-deps homeassistant`.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.gui.main_window import DEFAULT_SIZE, MainWindow  # noqa: E402
from app.gui.settings import Settings  # noqa: E402
from core.check import CheckOptions  # noqa: E402

LAYERS = ("interface", "application", "domain", "infrastructure", "shared")
PACKAGES_PER_LAYER = 10
SUBPACKAGES = 4
IMPORTS_PER_MODULE = 6
UPWARD_SHARE = 0.01
FRAMES = 40

SYNTHETIC_CONFIG = """\
root_packages = ["synth"]

[[rules]]
id = "layers"
name = "interface over application over domain over infrastructure over shared"
type = "layers"
layers = [{layers}]
ignore_imports = ["synth.shared.** -> synth.infrastructure.**"]

[[rules]]
id = "coverage"
name = "every module has a place"
type = "coverage"
packages = ["synth"]
"""

HOMEASSISTANT_CONFIG = """\
root_packages = ["homeassistant"]

[[rules]]
id = "layers"
name = "components over helpers over the core"
type = "layers"
layers = [
    "homeassistant.scripts",
    "homeassistant.components",
    "homeassistant.helpers | homeassistant.auth",
    "homeassistant.core",
    "homeassistant.util",
]
ignore_imports = ["homeassistant.util.** -> homeassistant.helpers.**"]

[[rules]]
id = "coverage"
name = "every module has a place"
type = "coverage"
packages = ["homeassistant"]
"""


def make_synthetic_project(root: Path, modules: int, seed: int = 1) -> Path:
    """Write a layered project of about `modules` modules under `root`; returns its directory."""
    rng = random.Random(seed)
    per_subpackage = max(1, modules // (len(LAYERS) * PACKAGES_PER_LAYER * SUBPACKAGES))
    names: list[list[list[list[str]]]] = []  # layer -> package -> subpackage -> modules
    for layer in LAYERS:
        packages = []
        for p in range(PACKAGES_PER_LAYER):
            packages.append(
                [[f"synth.{layer}.p{p}.s{s}.m{m}" for m in range(per_subpackage)] for s in range(SUBPACKAGES)]
            )
        names.append(packages)

    def pick(layer: int, package: int, subpackage: int) -> str:
        roll = rng.random()
        if roll < UPWARD_SHARE and layer > 0:
            layer = rng.randrange(layer)
            package, subpackage = rng.randrange(PACKAGES_PER_LAYER), rng.randrange(SUBPACKAGES)
        elif roll < 0.5:
            pass
        elif roll < 0.75:
            package, subpackage = rng.randrange(PACKAGES_PER_LAYER), rng.randrange(SUBPACKAGES)
        elif layer < len(LAYERS) - 1:
            layer = rng.randrange(layer + 1, len(LAYERS))
            package, subpackage = rng.randrange(PACKAGES_PER_LAYER), rng.randrange(SUBPACKAGES)
        return rng.choice(names[layer][package][subpackage])

    project = root / "synthetic"
    for layer_number, packages in enumerate(names):
        for package_number, subpackages in enumerate(packages):
            for subpackage_number, members in enumerate(subpackages):
                directory = project.joinpath(*members[0].split(".")[:-1])
                directory.mkdir(parents=True, exist_ok=True)
                for module in members:
                    imported = {pick(layer_number, package_number, subpackage_number) for _ in range(IMPORTS_PER_MODULE)}
                    imported.discard(module)
                    lines = "".join(f"import {name}\n" for name in sorted(imported))
                    (directory / f"{module.rpartition('.')[2]}.py").write_text(lines)
    for directory in [project / "synth", *(p for p in (project / "synth").rglob("*") if p.is_dir())]:
        (directory / "__init__.py").touch()
    scratch = project / "synth" / "scratch"  # generated modules nobody gave a place
    scratch.mkdir()
    (scratch / "__init__.py").touch()
    for number in range(5):
        (scratch / f"draft{number}.py").write_text(f"import {names[0][0][0][0]}\n")
    layers = ", ".join(f'"synth.{layer}"' for layer in LAYERS)
    (project / "strataview.toml").write_text(SYNTHETIC_CONFIG.format(layers=layers))
    return project


def make_homeassistant_project(root: Path) -> Path | None:
    try:
        import homeassistant
    except ImportError:
        return None
    project = root / "homeassistant-project"
    project.mkdir()
    (project / "homeassistant").symlink_to(Path(homeassistant.__file__).parent, target_is_directory=True)
    (project / "strataview.toml").write_text(HOMEASSISTANT_CONFIG)
    return project


def open_and_paint(window: MainWindow, project: Path) -> tuple[float, float]:
    """Seconds from opening `project` to the end of the architecture view's first full paint, and
    of those the seconds the background analysis took (check and dependency map)."""
    loop = QEventLoop()
    failures: list[Exception] = []
    analysed: list[float] = []

    def on_analysed(*_args: object) -> None:
        analysed.append(time.perf_counter())

    window.runner.failed.connect(failures.append)
    window.runner.analysed.connect(on_analysed)
    window.runner.running_changed.connect(lambda running: running or loop.quit())
    started = time.perf_counter()
    window.open_project(project)
    if window.runner.running:
        loop.exec()
    window.architecture.view.viewport().repaint()
    elapsed = time.perf_counter() - started
    window.runner.failed.disconnect(failures.append)
    window.runner.analysed.disconnect(on_analysed)
    if failures or not analysed:
        sys.exit(f"the analysis of {project} failed: {failures[0] if failures else 'no analysis delivered'}")
    return elapsed, analysed[0] - started


def frame_times(step: Callable[[int], None]) -> list[float]:
    QApplication.processEvents()
    times = []
    for number in range(FRAMES):
        started = time.perf_counter()
        step(number)
        QApplication.processEvents()  # delivers the update: the paint happens here
        times.append((time.perf_counter() - started) * 1000)
    return times


def measure_frames(window: MainWindow, label: str) -> None:
    architecture = window.architecture
    view = architecture.view
    scene = architecture.scene
    architecture.fit()

    def pan(number: int) -> None:
        bar = view.horizontalScrollBar() if number % 2 == 0 else view.verticalScrollBar()
        direction = 1 if (number // 10) % 2 == 0 else -1
        bar.setValue(bar.value() + direction * 40)

    def zoom(number: int) -> None:
        view.zoom_by(1.25 if (number // 6) % 2 == 0 else 0.8)

    boxes, edges = len(scene.boxes), len(scene.edges())
    results = []
    architecture.fit()
    results.append(("zoom", frame_times(zoom)))
    for scale in (0.25, 0.5, 1.0):  # far out (the overview), half size, and close up reading labels
        view.resetTransform()
        view.scale(scale, scale)
        view.after_transform()
        view.centerOn(scene.sceneRect().center())
        if view.horizontalScrollBar().maximum() or view.verticalScrollBar().maximum():
            results.append((f"pan at {scale:.0%}", frame_times(pan)))
    results.append(("repaint 100 %", frame_times(lambda _number: view.viewport().repaint())))
    results.append(("zoom at 100 %", frame_times(zoom)))
    print(f"  {label}: {boxes} boxes, {edges} edges")
    for name, times in results:
        ordered = sorted(times)
        p95 = ordered[int(len(ordered) * 0.95) - 1]
        print(f"    {name:14} median {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms   max {max(times):6.1f} ms")


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def timed_expansion(window: MainWindow, package: str) -> tuple[float, float]:
    """Seconds to expand or collapse `package`: the rebuild, and the rebuild with the paint after it."""
    started = time.perf_counter()
    window.architecture.toggle(package)
    rebuilt = time.perf_counter()
    QApplication.processEvents()
    window.architecture.view.viewport().repaint()
    return rebuilt - started, time.perf_counter() - started


def benchmark(project: Path, name: str, scratch: Path) -> None:
    settings = Settings(QSettings(str(scratch / f"{name}-settings.ini"), QSettings.Format.IniFormat))
    cache = scratch / f"{name}-cache"
    window = MainWindow(settings, options=CheckOptions(cache_dir=cache))
    window.resize(*DEFAULT_SIZE)
    window.show()
    QApplication.processEvents()
    cold, cold_analysis = open_and_paint(window, project)
    window.architecture.set_analysis(None, None)  # a second opening draws from scratch
    warm, warm_analysis = open_and_paint(window, project)
    result = window.result
    assert result is not None
    print(f"{name}: {result.graph.modules} modules, {result.graph.imports} imports, "
          f"{len(result.violations)} violations")
    for state, total, analysis in (("cold", cold, cold_analysis), ("warm", warm, warm_analysis)):
        print(f"  open to first paint, {state}: {total:.2f} s "
              f"(analysis {analysis:.2f} s, tables and drawing {total - analysis:.2f} s)")
    measure_frames(window, "package level")

    scene = window.architecture.scene
    dependency_map = window.dependency_map
    assert dependency_map is not None
    widest = max(
        (package for package, item in scene.boxes.items() if item.box.package),
        key=lambda package: len(dependency_map.children(package)),
        default=None,
    )
    if widest is not None:
        children = len(dependency_map.children(widest))
        for action in ("expanding", "collapsing"):
            rebuild, shown = timed_expansion(window, widest)
            print(f"  {action} {widest} ({children} children) at package level: "
                  f"{rebuild * 1000:.0f} ms, shown {shown * 1000:.0f} ms")

    layer_packages = [module for band in dependency_map.bands for module in band.modules]
    seconds = timed(lambda: [scene.expanded.add(p) for p in layer_packages] and scene.rebuild())
    print(f"  expanding every layer ({len(layer_packages)} packages): {seconds:.2f} s")
    window.architecture.view.viewport().repaint()
    measure_frames(window, "every layer expanded")

    largest = max(
        (box for box in scene.boxes.values() if box.box.package), key=lambda item: item.box.modules, default=None
    )
    if largest is not None:
        seconds = timed(lambda: window.architecture.toggle(largest.name))
        print(f"  expanding {largest.name} ({largest.box.modules} modules): {seconds:.2f} s")
        measure_frames(window, f"{largest.name} expanded too")
    window.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", type=int, default=20_000, help="size of the synthetic project")
    parser.add_argument("--no-homeassistant", action="store_true", help="skip homeassistant even if installed")
    arguments = parser.parse_args()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName("Strataview-benchmark")
    print(f"Qt platform {app.platformName()}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="strataview-bench-") as directory:
        scratch = Path(directory)
        started = time.perf_counter()
        synthetic = make_synthetic_project(scratch, arguments.modules)
        print(f"(generated the synthetic project in {time.perf_counter() - started:.1f} s)")
        benchmark(synthetic, "synthetic", scratch)
        if not arguments.no_homeassistant:
            project = make_homeassistant_project(scratch)
            if project is None:
                print("homeassistant: not installed (pip install --no-deps homeassistant)")
            else:
                benchmark(project, "homeassistant", scratch)


if __name__ == "__main__":
    main()
