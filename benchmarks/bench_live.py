"""Time live mode's loop on a large project: a file is saved, the watcher reports it, the check runs again.

The project is synthetic by default: 7 layers of 10 packages of 100 modules (7,000 modules, about
40,000 imports, a few of them breaking the layers), checked by a layers, a forbidden, an
independence, an acyclic and a coverage rule. `--package moto` copies the installed package
instead and checks it with the contracts of bench_check.py. The grimp cache is warmed by a first check;
then each round saves one module, alternately adding and removing an import that breaks the
layers, and measures:

- report: from the save to the watcher's `changed` signal (its debounce time included);
- re-check: the check that follows, with the grimp cache warm (only the saved file is parsed again);
- total: from the save to the new result, what a user waits for in live mode.

The check runs here on the watcher's thread, as one task; the app runs it on a worker thread.

    python benchmarks/bench_live.py                    # synthetic, 7,000 modules
    python benchmarks/bench_live.py --modules 100      # per package: 70 packages of 100 modules
    python benchmarks/bench_live.py --package moto --rounds 10
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer  # noqa: E402

from app.gui.live import ProjectWatcher  # noqa: E402
from core.check import Analysis, CheckOptions, run_analysis  # noqa: E402
from synthetic import LAYERS, write_project  # noqa: E402

UPWARD_IMPORTS = 7  # imports from the domain layer up to the api layer, breaking the layers
# For a copied package: the module saved in each round, and a module it must not import.
SAVES = {"moto": ("moto.s3.models", "moto.core.botocore_stubber")}
TIMEOUT_S = 30


def write_synthetic_project(root: Path, modules_per_package: int, seed: int = 7) -> tuple[str, str]:
    """Write the synthetic project; returns the module to save in each round and the upward import to add."""
    write_project(root, modules_per_package, random.Random(seed), UPWARD_IMPORTS)
    return f"big.{LAYERS[-1]}.p0.m0", f"big.{LAYERS[0]}.p0.m0"


def copy_package(root: Path, package: str) -> tuple[str, str]:
    """Copy an installed package and bench_check.py's contracts for it; returns what write_synthetic_project does."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_check import CONTRACTS

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"install the package to benchmark first: pip install {package}")
    if package not in CONTRACTS or package not in SAVES:
        sys.exit(f"no contracts for {package}; choose one of {', '.join(sorted(SAVES))}")
    shutil.copytree(spec.submodule_search_locations[0], root / package, ignore=shutil.ignore_patterns("__pycache__"))
    (root / ".importlinter").write_text(CONTRACTS[package])
    return SAVES[package]


def check(root: Path, options: CheckOptions, stages: dict[str, list[float]] | None = None) -> Analysis:
    """Run the check; with `stages`, add the time spent in each stage (config, graph, rules) to its list."""
    stage, started = None, time.perf_counter()
    spent: dict[str, float] = {}
    for event in run_analysis(root, options):
        now = time.perf_counter()
        if stage is not None:
            spent[stage] = spent.get(stage, 0.0) + now - started
        if isinstance(event, Analysis):
            for name, seconds in spent.items():
                if stages is not None:
                    stages.setdefault(name, []).append(seconds)
            return event
        stage, started = event.stage, now
    raise AssertionError("the check ended without a result")


def wait_for_report(watcher: ProjectWatcher) -> list[str]:
    reported: list[list[str]] = []
    loop = QEventLoop()
    watcher.changed.connect(reported.append)
    watcher.changed.connect(loop.quit)
    QTimer.singleShot(TIMEOUT_S * 1000, loop.quit)
    loop.exec()
    watcher.changed.disconnect(reported.append)
    watcher.changed.disconnect(loop.quit)
    if not reported:
        sys.exit(f"the watcher reported nothing within {TIMEOUT_S} s")
    return reported[0]


def module_file(root: Path, module: str) -> Path:
    base = root.joinpath(*module.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", type=int, default=100, help="modules per package of the synthetic project")
    parser.add_argument("--package", choices=sorted(SAVES), help="copy this installed package instead")
    parser.add_argument("--rounds", type=int, default=6)
    arguments = parser.parse_args()
    app = QCoreApplication.instance() or QCoreApplication([sys.argv[0]])

    with tempfile.TemporaryDirectory(prefix="strataview-bench-live-") as scratch:
        root = Path(scratch) / "project"
        root.mkdir()
        if arguments.package:
            saved_module, upward_target = copy_package(root, arguments.package)
        else:
            saved_module, upward_target = write_synthetic_project(root, arguments.modules)
        options = CheckOptions(cache_dir=Path(scratch) / "grimp-cache")

        started = time.perf_counter()
        analysis = check(root, options)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        check(root, options)
        warm = time.perf_counter() - started
        summary = analysis.result.graph
        print(f"{root.name}: {summary.modules} modules, {summary.imports} imports, {len(analysis.result.rules)} rules")
        print(f"first check (cold cache) {cold:.2f} s, again unchanged (warm cache) {warm:.2f} s")

        watcher = ProjectWatcher()
        started = time.perf_counter()
        watcher.start(root, [path for paths in analysis.project.package_dirs.values() for path in paths])
        print(f"watcher start {time.perf_counter() - started:.2f} s, unwatched paths: {len(watcher.unwatched)}")

        saved = module_file(root, saved_module)
        original = saved.read_text()
        timings: dict[str, list[float]] = {"report": [], "re-check": [], "total": []}
        stages: dict[str, list[float]] = {}
        for round_number in range(arguments.rounds):
            breaking = round_number % 2 == 0
            saved_at = time.perf_counter()
            saved.write_text(original + (f"\nimport {upward_target}\n" if breaking else ""))
            reported = wait_for_report(watcher)
            reported_at = time.perf_counter()
            graph = check(root, options, stages).project.graph
            done_at = time.perf_counter()
            assert reported == [str(saved)], reported
            if graph.direct_import_exists(importer=saved_module, imported=upward_target) != breaking:
                sys.exit(f"round {round_number + 1}: the re-check did not see the save")
            timings["report"].append(reported_at - saved_at)
            timings["re-check"].append(done_at - reported_at)
            timings["total"].append(done_at - saved_at)
        watcher.stop()
        app.processEvents()

    print(f"one module saved, {arguments.rounds} rounds (median, min-max):")
    for name, values in timings.items():
        print(f"  {name:9} {statistics.median(values):.2f} s  ({min(values):.2f}-{max(values):.2f})")
    by_stage = ", ".join(f"{name} {statistics.median(values):.2f} s" for name, values in stages.items())
    print(f"re-check by stage (median): {by_stage}")


if __name__ == "__main__":
    main()
