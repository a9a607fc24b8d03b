"""Time every report format on a large synthetic project with thousands of violations.

The project is the synthetic one of bench_baseline.py (7 layers of 10 packages of `--modules`
modules) plus `--stray` generated modules dropped outside the layers (each a coverage
violation) and `--upward` imports from the domain layer up to the api layer (layers violations
with many import chains). It is analysed once; each format is then rendered from that analysis
(the median of --repeat runs) and its size printed. The HTML report includes the architecture
drawing, laid out and drawn from the analysis. Last, the whole `strataview check --format html
--output FILE` command is timed with grimp's cache warm, as a CI run with a cache has it.

    python benchmarks/bench_reports.py                        # ~10,000 modules, ~3,000 violations
    python benchmarks/bench_reports.py --modules 30 --stray 500
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.check import Analysis, CheckOptions, run_analysis  # noqa: E402
from core.reports import REPORT_FORMATS  # noqa: E402
from synthetic import write_module, write_project  # noqa: E402


def make_project(root: Path, modules_per_package: int, stray: int, upward: int) -> None:
    rng = random.Random(7)
    imports = write_project(root, modules_per_package, rng, upward_imports=upward)
    lower = [module for module in imports if module.startswith(("big.storage.", "big.util."))]
    for number in range(stray):
        write_module(root, f"big.generated.g{number // 100}.m{number}", set(rng.sample(lower, 2)))
    for directory in (root / "big" / "generated").rglob("*"):
        if directory.is_dir():
            (directory / "__init__.py").touch()
    (root / "big" / "generated" / "__init__.py").touch()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", type=int, default=100, help="modules per package (7 layers of 10 packages)")
    parser.add_argument("--stray", type=int, default=3000, help="generated modules outside the layers")
    parser.add_argument("--upward", type=int, default=300, help="imports from the domain layer up to the api layer")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (the median is printed)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="strataview-bench-") as scratch:
        os.environ["XDG_CACHE_HOME"] = str(Path(scratch) / "cache")
        root = Path(scratch) / "project"
        root.mkdir()
        make_project(root, arguments.modules, arguments.stray, arguments.upward)
        started = time.perf_counter()
        analysis = next(e for e in run_analysis(root, CheckOptions()) if isinstance(e, Analysis))
        result = analysis.result
        chains = sum(len(violation.chains) for violation in result.violations)
        print(
            f"project: {result.graph.modules} modules, {result.graph.imports} imports; "
            f"{len(result.violations)} violations with {chains} import chains; analysed in "
            f"{time.perf_counter() - started:.1f} s"
        )
        for name, module in REPORT_FORMATS.items():
            times = []
            for _ in range(arguments.repeat):
                started = time.perf_counter()
                text = module.render(result, analysis=analysis)
                times.append(time.perf_counter() - started)
            print(f"{name:9} {statistics.median(times):6.2f} s  {len(text.encode('utf-8')) / 1e6:7.2f} MB")
        target = Path(scratch) / "report.html"
        times = []
        for _ in range(arguments.repeat):
            started = time.perf_counter()
            command = [sys.executable, "-m", "app", "check", str(root), "--format", "html", "--output", str(target)]
            subprocess.run(command, capture_output=True, check=False)
            times.append(time.perf_counter() - started)
        print(f"command  strataview check --format html --output FILE  {statistics.median(times):6.2f} s")


if __name__ == "__main__":
    main()
