"""Time what ignore comments, local imports, string imports and git-ignored files cost a check.

The synthetic layered project of bench_baseline.py (7 layers of 10 packages of 100 modules: 7,000
modules, about 40,000 imports), as a git repository, where one module in 20 has an import
silenced by `# tach-ignore`, one in 20 an import inside a function, one in 20 a string naming a
module, and one package is git-ignored. Each setting is checked with grimp's cache warm (an earlier
check filled it), the median of --repeat runs, and compared with all options off; an
`ignore_comments` rule judging the comments is added where comments are honoured.

    python benchmarks/bench_import_adjustments.py                  # 7,000 modules
    python benchmarks/bench_import_adjustments.py --modules 30     # 2,100 modules
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import git  # noqa: E402
from core.check import CheckOptions, check_project  # noqa: E402
from synthetic import module_path, write_project  # noqa: E402

SETTINGS = {
    "all off": "",
    "ignore_comments": 'ignore_comments = ["tach-ignore"]\n',
    "ignore_comments + rule": 'ignore_comments = ["tach-ignore"]\n',
    "local_imports = none": 'local_imports = "none"\n',
    "include_string_imports": "include_string_imports = true\n",
    "respect_gitignore": "respect_gitignore = true\n",
    "all on + rule": 'ignore_comments = ["tach-ignore"]\nlocal_imports = "warn"\n'
    "include_string_imports = true\nrespect_gitignore = true\n",
}
COMMENTS_RULE = '\n[[rules]]\nid = "comments"\ntype = "ignore_comments"\ncomment = "tach-ignore"\n'


def make_project(root: Path, modules_per_package: int) -> None:
    rng = random.Random(7)
    root.mkdir()
    git.run(root, "init", "--quiet", "--initial-branch=main")
    imports = write_project(root, modules_per_package, rng)
    for number, (module, imported) in enumerate(sorted(imports.items())):
        if not imported:
            continue
        path = module_path(root, module)
        text = path.read_text()
        target = min(imported)
        if number % 60 == 0:
            text = text.replace(f"import {target}\n", f"import {target}  # tach-ignore(generated wiring)\n")
        elif number % 60 == 20:
            text = text.replace(f"import {target}\n", "") + f"\n\ndef later():\n    import {target}\n"
        elif number % 60 == 40:
            text += f'\nHANDLER = "{target}.run"\n'
        path.write_text(text)
    (root / ".gitignore").write_text("big/util/p9/\n")


def timed(root: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        check_project(root, CheckOptions())
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", type=int, default=100, help="modules per package (default 100)")
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="strataview-bench-") as scratch:
        root = Path(scratch) / "project"
        make_project(root, arguments.modules)
        config = root / "strataview.toml"
        rules = config.read_text()
        check_project(root, CheckOptions())  # fills grimp's cache
        base = None
        for name, setting in SETTINGS.items():
            config.write_text(setting + rules + (COMMENTS_RULE if "rule" in name else ""))
            median = timed(root, arguments.repeat)
            base = base or median
            print(f"{name:26} {median:7.2f} s  x{median / base:.2f}")


if __name__ == "__main__":
    main()
