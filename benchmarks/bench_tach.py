"""Time `strataview check` against `tach check` on the same tach.toml, cold and warm.

The anchor is tach 0.35's `tach check`: the printed ratio is Strataview's time divided by tach's
for the same configuration on the same project, so at or below 1.0 means Strataview is at least as
fast. The project is the synthetic layered one of bench_baseline.py (7 layers of 10 packages of
--modules modules), configured for tach: each package a tach module that depends on the packages
of the layers below it, the seven layers as tach layers, and an interface for each package of the
domain layer exposing its first module only. A few imports break the layers and the interfaces.

"Cold" starts each run with empty caches; "warm" reuses what the previous run left. Each figure is
the median of --repeat runs of the whole command (process start-up included, as CI sees it).
Both tools must find the same number of errors, or the benchmark fails.

    python benchmarks/bench_tach.py                  # 7,000 modules
    python benchmarks/bench_tach.py --modules 30     # 2,100 modules
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import LAYERS, PACKAGES_PER_LAYER, write_project


def tach_config() -> str:
    packages = {layer: [f"big.{layer}.p{package}" for package in range(PACKAGES_PER_LAYER)] for layer in LAYERS}
    lines = [
        'source_roots = ["."]',
        f"layers = {list(LAYERS)!r}",
        "",
    ]
    for layer in LAYERS:
        for path in packages[layer]:
            lines += ["[[modules]]", f'path = "{path}"', f'layer = "{layer}"', "depends_on = []", ""]
    lines += ["[[interfaces]]", 'expose = ["m0"]', f"from = {packages['domain']!r}".replace("'", '"'), ""]
    return "\n".join(lines)


def run(command: list[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    completed = subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    if completed.returncode not in (0, 1):
        sys.exit(f"{command[0]} failed ({completed.returncode}):\n{completed.stderr.decode()}")
    return elapsed


def errors_found(project: Path, env: dict[str, str]) -> dict[str, set[tuple[str, int]]]:
    """The imports (file, line) each tool reports as errors."""
    tach = subprocess.run(
        [sys.executable, "-m", "tach", "check", "--output", "json"], cwd=project, env=env, capture_output=True, text=True
    )
    diagnostics = [d["Located"] for d in json.loads(tach.stdout) if "Located" in d]
    strataview = subprocess.run(
        ["strataview", "check", str(project), "--format", "json"], env=env, capture_output=True, text=True
    )
    violations = json.loads(strataview.stdout)["violations"]
    direct = {
        (link["file"], line)
        for violation in violations
        for chain in violation["chains"]
        if len(chain) == 1
        for link in chain
        for line in link["line_numbers"]
    }
    errors = {(d["file_path"], d["original_line_number"]) for d in diagnostics if d["severity"] == "Error"}
    return {"tach": errors, "strataview": direct}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", type=int, default=100, help="modules per package (70 packages)")
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    if shutil.which("strataview") is None:
        sys.exit("needs `strataview` on PATH (pip install -e .)")
    try:
        __import__("tach")
    except ImportError:
        sys.exit("install tach first: pip install tach==0.35.3")

    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        project = work / "project"
        project.mkdir()
        imports = write_project(project, arguments.modules, random.Random(7), upward_imports=20)
        (project / "strataview.toml").unlink()
        (project / "tach.toml").write_text(tach_config())
        commands = {
            "tach": [sys.executable, "-m", "tach", "check"],
            "strataview": ["strataview", "check", str(project)],
        }
        timings: dict[tuple[str, str], list[float]] = {}
        for _ in range(arguments.repeat):
            for tool, command in commands.items():
                cache = work / f"cache-{tool}"
                shutil.rmtree(cache, ignore_errors=True)
                shutil.rmtree(project / ".tach", ignore_errors=True)
                env = dict(os.environ, XDG_CACHE_HOME=str(cache), NO_COLOR="1")
                for state in ("cold", "warm"):
                    timings.setdefault((tool, state), []).append(run(command, env, project))
        found = errors_found(project, dict(os.environ, NO_COLOR="1"))

    edges = sum(len(imported) for imported in imports.values())
    print(
        f"{len(imports)} modules, {edges} imports, {PACKAGES_PER_LAYER * len(LAYERS)} tach modules; "
        f"median of {arguments.repeat} runs; imports in error: tach {len(found['tach'])}, strataview {len(found['strataview'])}"
    )
    print(f"{'':8}{'tach':>12}{'strataview':>14}{'ratio':>8}")
    for state in ("cold", "warm"):
        anchor = statistics.median(timings[("tach", state)])
        ours = statistics.median(timings[("strataview", state)])
        print(f"{state:8}{anchor:>11.3f}s{ours:>13.3f}s{ours / anchor:>8.2f}")
    if found["tach"] != found["strataview"]:
        sys.exit("the two tools disagree on the errors")


if __name__ == "__main__":
    main()
