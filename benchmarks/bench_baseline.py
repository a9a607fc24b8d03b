"""Time `check` against `check --baseline` on a large synthetic git repository.

The project has 7 layers of 10 packages of 100 modules (7,000 modules, about 40,000 imports)
checked by a layers, a forbidden, an independence, an acyclic and a coverage rule. Its history
is a baseline commit, then a commit that adds a package of 100 generated modules and edits 50
old ones (some edits break the layers), and an uncommitted edit on top.

Measured in this process (the median of --repeat runs where a figure can be repeated), each
with its ratio to the plain check of the same kind (the goal is at most 2):

- warm: grimp's cache filled by an earlier plain check, as a developer or a CI cache has it.
  `check --baseline` first: the baseline commit was never analysed; then: again, with the
  baseline's analysis cached (a commit's files never change), what every later run costs.
- cold: an empty cache for each run, as a CI without a cache has it.
- command: the same as whole `strataview check` commands (process start-up included), warm.

    python benchmarks/bench_baseline.py                  # 7,000 modules
    python benchmarks/bench_baseline.py --modules 30     # 2,100 modules
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import git  # noqa: E402
from core.check import CheckOptions, check_project  # noqa: E402
from core.graph import default_cache_dir  # noqa: E402
from synthetic import module_path, write_module, write_project  # noqa: E402


def commit(root: Path, message: str, date: str) -> None:
    identity = {
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "bench@example.com",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }
    environment = git.isolated_environment() | identity
    git.run(root, "add", "--all", environment=environment)
    git.run(root, "commit", "--quiet", "--no-verify", "-m", message, environment=environment)


def make_repository(root: Path, modules_per_package: int) -> None:
    rng = random.Random(5)
    root.mkdir()
    git.run(root, "init", "--quiet", "--initial-branch=main")
    imports = write_project(root, modules_per_package, rng)
    commit(root, "Baseline", "2025-01-01T10:00:00+00:00")
    # A burst: a new package of generated modules, and edits to old modules, some breaking the layers.
    domain = [m for m in imports if m.startswith("big.domain.")]
    api = [m for m in imports if m.startswith("big.api.")]
    for number in range(100):
        write_module(root, f"big.services.generated.g{number}", set(rng.sample(domain, 3)))
    (root / "big" / "services" / "generated" / "__init__.py").touch()
    for module in rng.sample(domain, 50):
        upward = {rng.choice(api)} if rng.random() < 0.2 else set()
        write_module(root, module, imports[module] | upward | {"big.util.p0.m0"})
    commit(root, "Generated services\n\nCo-authored-by: Claude <noreply@anthropic.com>", "2025-01-02T10:00:00+00:00")
    dirty = module_path(root, domain[0])
    dirty.write_text(dirty.read_text() + f"import {api[0]}\n")


def command(root: Path, *arguments: str, forget_baselines: bool = False) -> float:
    """Time one `strataview check` process; `forget_baselines` drops the kept baseline analyses first."""
    if forget_baselines:
        shutil.rmtree(default_cache_dir(root) / "baselines", ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "app", "check", str(root), *arguments], capture_output=True, check=False)
    return time.perf_counter() - started


def cold(root: Path, options: CheckOptions, cache: Path) -> float:
    shutil.rmtree(cache, ignore_errors=True)
    return timed(root, options)[0]


def timed(root: Path, options: CheckOptions) -> tuple[float, int]:
    started = time.perf_counter()
    result = check_project(root, options)
    return time.perf_counter() - started, sum(v.status == "new" for v in result.violations)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", type=int, default=100, help="modules per package (7 layers of 10 packages)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (the median is printed)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="strataview-bench-") as scratch:
        os.environ["XDG_CACHE_HOME"] = str(Path(scratch) / "cache")
        root = Path(scratch) / "project"
        started = time.perf_counter()
        make_repository(root, arguments.modules)
        count = subprocess.run(["git", "ls-files", "*.py"], cwd=root, capture_output=True, text=True).stdout.count("\n")
        print(f"repository: {count} Python files, made in {time.perf_counter() - started:.1f} s")

        plain, baseline = CheckOptions(), CheckOptions(baseline="HEAD~1")
        cache = Path(scratch) / "cache"
        cold_check = statistics.median(cold(root, plain, cache) for _ in range(arguments.repeat))
        cold_baseline = statistics.median(cold(root, baseline, cache) for _ in range(arguments.repeat))
        shutil.rmtree(cache, ignore_errors=True)
        timed(root, plain)  # warms grimp's cache
        first, new = timed(root, baseline)
        check_time = statistics.median(timed(root, plain)[0] for _ in range(arguments.repeat))
        again = statistics.median(timed(root, baseline)[0] for _ in range(arguments.repeat))
        print(f"new violations since the baseline: {new}")
        print(f"warm  check                      {check_time:6.2f} s")
        print(f"warm  check --baseline, first    {first:6.2f} s   {first / check_time:4.2f}x")
        print(f"warm  check --baseline, then     {again:6.2f} s   {again / check_time:4.2f}x")
        print(f"cold  check                      {cold_check:6.2f} s")
        print(f"cold  check --baseline           {cold_baseline:6.2f} s   {cold_baseline / cold_check:4.2f}x")

        runs = range(arguments.repeat)
        plain_command = statistics.median(command(root) for _ in runs)
        first_command = statistics.median(command(root, "--baseline", "HEAD~1", forget_baselines=True) for _ in runs)
        again_command = statistics.median(command(root, "--baseline", "HEAD~1") for _ in runs)
        print(f"command  strataview check                      {plain_command:6.2f} s")
        print(
            f"command  strataview check --baseline, first    {first_command:6.2f} s   "
            f"{first_command / plain_command:4.2f}x"
        )
        print(
            f"command  strataview check --baseline, then     {again_command:6.2f} s   "
            f"{again_command / plain_command:4.2f}x"
        )


if __name__ == "__main__":
    main()
