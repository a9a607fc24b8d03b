"""Time `strataview check` against `lint-imports` on the same contracts, cold and warm.

The anchor is import-linter's `lint-imports`: the printed ratio is Strataview's time divided by
lint-imports' time for the same contracts on the same installed package, so at or below 1.0 means
Strataview is at least as fast. "Cold" starts each run with an empty graph cache; "warm" reuses
the cache the previous run left. Each figure is the median of --repeat runs of the whole command
(process start-up included, as a user or CI sees it).

    python benchmarks/bench_check.py                 # moto (1,400+ modules), if installed
    python benchmarks/bench_check.py --package cfnlint --repeat 7
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONTRACTS = {
    "moto": """
[importlinter]
root_package = moto

[importlinter:contract:service-layers]
name = Each service: urls over responses over models over exceptions
type = layers
containers = moto.*
layers =
    (urls)
    (responses)
    (models)
    (exceptions)

[importlinter:contract:services-independent]
name = Core services are independent
type = independence
modules =
    moto.s3
    moto.ec2
    moto.iam
    moto.sqs
    moto.sns
    moto.dynamodb
    moto.awslambda

[importlinter:contract:core-stays-generic]
name = The core does not import services
type = forbidden
source_modules = moto.core
forbidden_modules =
    moto.s3
    moto.ec2
    moto.iam
    moto.sqs

[importlinter:contract:stubber-protected]
name = Only the core uses the botocore stubber
type = protected
protected_modules = moto.core.botocore_stubber
allowed_importers = moto.core

[importlinter:contract:core-acyclic]
name = The core's packages are acyclic
type = acyclic_siblings
ancestors = moto.core
depth = 3

[importlinter:contract:private]
name = Private modules stay private
type = private_modules
""",
    "cfnlint": """
[importlinter]
root_package = cfnlint

[importlinter:contract:layers]
name = Runner over rules over template over helpers
type = layers
layers =
    cfnlint.api
    cfnlint.runner
    cfnlint.rules
    cfnlint.template
    cfnlint.helpers

[importlinter:contract:independent]
name = Formatters and decoding are independent
type = independence
modules =
    cfnlint.formatters
    cfnlint.decode
    cfnlint.graph

[importlinter:contract:forbidden]
name = Helpers do not import rules
type = forbidden
source_modules = cfnlint.helpers
forbidden_modules = cfnlint.rules

[importlinter:contract:acyclic]
name = Top-level packages are acyclic
type = acyclic_siblings
ancestors = cfnlint
depth = 1

[importlinter:contract:private]
name = Private modules stay private
type = private_modules
""",
}


def run(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, int]:
    started = time.perf_counter()
    completed = subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    if completed.returncode not in (0, 1):
        sys.exit(f"{command[0]} failed ({completed.returncode}):\n{completed.stderr.decode()}")
    return elapsed, completed.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--package", default="moto", choices=sorted(CONTRACTS))
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    try:
        __import__(arguments.package)
    except ImportError:
        sys.exit(f"install the package to benchmark first: pip install {arguments.package}")
    lint_imports = shutil.which("lint-imports")
    strataview = shutil.which("strataview")
    if not (lint_imports and strataview):
        sys.exit("needs both `lint-imports` (pip install import-linter) and `strataview` on PATH")

    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        project = work / "project"
        project.mkdir()
        config = project / ".importlinter"
        config.write_text(CONTRACTS[arguments.package])
        commands = {
            "lint-imports": lambda cache: [lint_imports, "--config", str(config), "--cache-dir", str(cache)],
            "strataview": lambda cache: [strataview, "check", str(project), "--config", str(config)],
        }
        timings: dict[tuple[str, str], list[float]] = {}
        verdicts: dict[str, int] = {}
        for _ in range(arguments.repeat):
            for tool, command in commands.items():
                cache = work / f"cache-{tool}"
                shutil.rmtree(cache, ignore_errors=True)
                env = dict(os.environ, XDG_CACHE_HOME=str(cache), NO_COLOR="1")
                for state in ("cold", "warm"):
                    elapsed, verdicts[tool] = run(command(cache), env, project)
                    timings.setdefault((tool, state), []).append(elapsed)

    modules = _module_count(arguments.package)
    print(f"{arguments.package}: {modules} modules, {len(CONTRACTS[arguments.package].split('[importlinter:contract:')) - 1} contracts, "
          f"median of {arguments.repeat} runs (exit codes: lint-imports {verdicts['lint-imports']}, strataview {verdicts['strataview']})")
    print(f"{'':8}{'lint-imports':>14}{'strataview':>14}{'ratio':>8}")
    for state in ("cold", "warm"):
        anchor = statistics.median(timings[("lint-imports", state)])
        ours = statistics.median(timings[("strataview", state)])
        print(f"{state:8}{anchor:>13.3f}s{ours:>13.3f}s{ours / anchor:>8.2f}")
    if verdicts["lint-imports"] != verdicts["strataview"]:
        sys.exit("the two tools disagree on the verdict")


def _module_count(package: str) -> int:
    import grimp

    return len(grimp.build_graph(package, cache_dir=None).modules)


if __name__ == "__main__":
    main()
