"""Strataview against tach on tach configurations as people really write them.

Each directory under `differential/tach/real/` holds a configuration taken from a public
repository (its first line names the repository, the path and the commit): a `tach.toml`, or
`[tool.tach]` in a pyproject.toml, with the `tach.domain.toml` files that came with it. For each,
a skeleton project is built around the configuration: a package for every module path it names
(in its source roots; globs given one concrete match each; the members its interfaces expose),
code outside every module, tests, and imports between them chosen at random with a seed fixed
by the directory's name (absolute, relative, inside functions and under `TYPE_CHECKING`).

Then tach 0.35.3 and Strataview must reach the same verdict on the configuration: both accept it,
or both refuse it (tach: `parse_project_config` raises, or `tach check` reports a configuration
error; Strataview: a ConfigError naming the file and the place). Where both accept it, they must
find the same violating imports, as in test_differential_tach (Strataview's `protected` rules made
of modules' `visibility` aside: a difference the README names). `strict` modules, which tach
migrates to interfaces, are compared on a project of ours: no real configuration tach 0.35.3
accepts has them.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
import tomllib
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from core.check import Analysis
from core.config.discovery import load_config
from core.errors import ConfigError
from differential.test_differential_tach import (
    TACH_KINDS,
    Found,
    analyse,
    longest_module,
    module_of_file,
    run_tach_check,
    strataview_found,
)

FIXTURES = Path(__file__).resolve().parent / "tach" / "real"
CONFIGS = sorted(path.name for path in FIXTURES.iterdir() if path.is_dir())
# The configurations tach 0.35.3 refuses, with what Strataview says of each.
REFUSED = {
    "AgentOps-AI__agentops": "unknown option 'dependency-group'",  # written for tach 0.9
    "GridTools__gt4py": "circular dependencies between the modules gt4py.cartesian, gt4py.storage",
    "gauge-sh__tach": "unknown option 'use_regex_matching'",  # an option older versions read
    "gauge-sh__tach__visibility_error": "'module2' cannot depend on 'module3'",
}
# Configurations whose skeletons break no rule of either tool: they declare no module, or only
# rules that the random imports keep.
QUIET = {"Enforcer__pythoneer.guru-project-template", "Samuel-Harris__discount-analyst", "PennyLaneAI__pennylane"}

PARSE = """
import sys
from pathlib import Path

from tach.parsing import parse_project_config

try:
    config = parse_project_config(Path.cwd())
except Exception as error:
    print(f"refused: {error}")
    sys.exit(0)
print("accepted" if config is not None else "refused: no configuration")
"""


def tach_table(project: Path) -> tuple[dict, list[str]]:
    """The configuration's tach table and the source roots it lists."""
    if (project / "tach.toml").is_file():
        table = tomllib.loads((project / "tach.toml").read_text(encoding="utf-8"))
    else:
        table = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["tach"]
    roots = table.get("source_roots", ["."])
    return table, [root for root in roots if isinstance(root, str)] if isinstance(roots, list) else ["."]


def concrete(pattern: str) -> str | None:
    """One module path that a tach module pattern (`*`, `**`) matches; None for `<root>`."""
    if pattern == "<root>" or not pattern:
        return None
    parts = ["deep" if part == "**" else "any" if part == "*" else part for part in pattern.split(".")]
    name = ".".join(parts)
    return name if all(part.isidentifier() for part in parts) else None


def dependency_paths(entries) -> list[str]:
    paths = []
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, str):
            paths.append(entry)
        elif isinstance(entry, dict) and isinstance(entry.get("path"), str):
            paths.append(entry["path"])
    return paths


def named_in(table: dict, resolve=lambda name: name) -> list[str]:
    """The module paths a tach table names: modules, their dependencies and visibility, the
    modules interfaces apply to, and the members those interfaces expose."""
    names: list[str] = []
    modules = table.get("modules", [])
    entries = [m for m in modules if isinstance(m, dict)] if isinstance(modules, list) else []
    if isinstance(table.get("root"), dict):
        entries.append({**table["root"], "path": "<domain_root>"})
    for module in entries:
        paths = [module.get("path")] if "path" in module else module.get("paths", [])
        for path in paths if isinstance(paths, list) else []:
            if isinstance(path, str):
                names.append(resolve(path))
        for key in ("depends_on", "cannot_depend_on"):
            names += [resolve(path) for path in dependency_paths(module.get(key))]
        names += [resolve(p) for p in module.get("visibility", []) if isinstance(p, str) and set(p) != {"*"}]
    interfaces = table.get("interfaces", [])
    for interface in interfaces if isinstance(interfaces, list) else []:
        if not isinstance(interface, dict):
            continue
        sources = [
            resolve(source)
            for source in interface.get("from", [])
            if isinstance(source, str) and re.fullmatch(r"[\w.<>/]+", source)
        ]
        names += sources
        for pattern in interface.get("expose", []):
            member = re.sub(r"\.\*$", "", pattern.replace("\\.", ".")) if isinstance(pattern, str) else ""
            if re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", member):
                names += [f"{source}.{member}" for source in sources]
    return names


def domain_names(project: Path, source_roots: list[str]) -> list[tuple[str, str]]:
    """(module path, source root) of every path the domain files below the source roots name."""
    found = []
    for root in source_roots:
        directory = (project / root).resolve()
        for domain_file in sorted(directory.rglob("tach.domain.toml")) if directory.is_dir() else []:
            domain = ".".join(domain_file.parent.relative_to(directory).parts)
            table = tomllib.loads(domain_file.read_text(encoding="utf-8"))

            def resolve(name: str, domain: str = domain) -> str:
                if name == "<root>":
                    return name
                if name.startswith("//"):
                    return name[2:]
                return domain if name == "<domain_root>" else f"{domain}.{name}"

            found += [(name, root) for name in named_in(table, resolve)]
    return found


def skeleton(project: Path) -> list[str]:
    """Write the packages the configuration names, code outside them and tests, with seeded random
    imports between them; the module names written."""
    rng = random.Random(zlib.crc32(project.name.encode()))
    table, source_roots = tach_table(project)
    source_roots = [root for root in source_roots if not Path(root).is_absolute()] or ["."]
    placed: dict[str, str] = {}  # top-level package -> source root
    wanted: list[str] = []
    for name, root in domain_names(project, source_roots):
        if (name := concrete(name)) is not None:
            placed.setdefault(name.split(".")[0], root)
            wanted.append(name)
    for name in named_in(table):
        if (name := concrete(name)) is not None:
            wanted.append(name)
    wanted.append("outside_modules")
    tops = sorted({name.split(".")[0] for name in wanted} - set(placed))
    for index, top in enumerate(tops):
        placed[top] = source_roots[index % len(source_roots)]
    first_top = sorted(n for n in wanted if n != "outside_modules")[:1]
    wanted += [f"{first_top[0].split('.')[0]}.tests"] if first_top else []

    packages: set[str] = set()
    for name in wanted:
        parts = name.split(".")
        packages.update(".".join(parts[:end]) for end in range(1, len(parts) + 1))
    names = sorted(packages)
    for package in names:
        directory = project / placed[package.split(".")[0]] / package.replace(".", "/")
        directory.mkdir(parents=True, exist_ok=True)
        imports = [import_line(rng, package, names) for _ in range(rng.randint(1, 4))]
        (directory / "__init__.py").write_text("\n".join(imports[:1]) + "\n\n\ndef thing():\n    pass\n")
        (directory / "impl.py").write_text("\n".join(imports[1:]) + "\n\n\ndef thing():\n    pass\n")
    tests = project / "tests"
    tests.mkdir(exist_ok=True)
    (tests / "test_smoke.py").write_text(import_line(rng, "", names) + "\n")
    return names


def import_line(rng: random.Random, own: str, packages: list[str]) -> str:
    """An import by the package `own` of another package, in one of the forms people write."""
    others = [p for p in packages if p != own and not own.startswith(p + ".")]
    if not others:
        return ""
    target = rng.choice(others)
    forms = [
        f"import {target}",
        f"import {target}.impl",
        f"from {target} import impl",
        f"from {target} import thing",
        f"from {target}.impl import thing",
    ]
    if own and target.startswith(own.rsplit(".", 1)[0] + ".") and "." in own:
        forms.append(f"from ..{target[len(own.rsplit('.', 1)[0]) + 1:]} import thing")
    line = rng.choice(forms)
    roll = rng.random()
    if roll < 0.15:
        return f"def lazy():\n    {line}"
    if roll < 0.25:
        return f"from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    {line}"
    return line


@dataclass
class TachVerdict:
    refused: str | None
    diagnostics: list


def tach_verdict(project: Path) -> TachVerdict:
    """tach's verdict: its Python API parsing the configuration (in a copy: tach rewrites a
    configuration it migrates), then `tach check`."""
    copy = project.with_name(project.name + "-parsed")
    shutil.copytree(project, copy)
    parsed = subprocess.run(
        [sys.executable, "-c", PARSE], cwd=copy, capture_output=True, text=True, timeout=60, check=True
    ).stdout.strip().splitlines()[-1]
    run = run_tach_check(project)
    diagnostics = json_list(run.stdout)
    if parsed != "accepted":
        return TachVerdict(parsed, [])
    if not isinstance(diagnostics, list):
        return TachVerdict(f"tach check: {run.stdout.strip()} {run.stderr.strip()}", [])
    for diagnostic in diagnostics:
        [body] = diagnostic.values()
        if body["severity"] == "Error" and "Configuration" in body["details"]:
            return TachVerdict(f"tach check: {diagnostic}", [])
    return TachVerdict(None, diagnostics)


def json_list(output: str) -> list | None:
    """The JSON list `tach check` prints (after the notices it may print first), or None."""
    for start in [0] + [match.start() + 1 for match in re.finditer(r"\n\[", output)]:
        try:
            value, _ = json.JSONDecoder().raw_decode(output, start)
        except json.JSONDecodeError:
            continue
        return value if isinstance(value, list) else None
    return None


def strataview_found_as_tach(analysis: Analysis) -> set[Found]:
    """The imports behind Strataview's violations, as `strataview_found` takes them, less those of
    the `protected` rules made of modules' `visibility`: they judge every import of the module,
    where tach 0.35.3 checks visibility against declared dependencies only (a difference the
    README names)."""
    kept = tuple(violation for violation in analysis.result.violations if violation.type != "protected")
    return strataview_found(replace(analysis, result=analysis.result.model_copy(update={"violations": kept})))


def tach_found(project: Path, diagnostics: list, analysis: Analysis) -> set[Found]:
    """The imports behind tach's errors, named as Strataview names them."""
    modules = analysis.project.graph.modules
    found = set()
    for diagnostic in diagnostics:
        located = diagnostic.get("Located")
        if located is None or located["severity"] != "Error" or "Code" not in located["details"]:
            continue
        [(kind, details)] = located["details"]["Code"].items()
        if kind not in TACH_KINDS:
            continue
        file = located["file_path"]
        importer = module_of_file(project, file, analysis)
        imported = longest_module(details["dependency"], modules)
        found.add((TACH_KINDS[kind], importer, imported, file, located["original_line_number"]))
    return found


@pytest.mark.parametrize("name", CONFIGS)
def test_real_configuration(tmp_path: Path, name: str):
    project = tmp_path / name
    shutil.copytree(FIXTURES / name, project)
    skeleton(project)

    # Strataview first: tach rewrites a configuration it migrates (`strict` modules).
    try:
        load_config(project)
        analysis, ours = analyse(project), None
    except ConfigError as error:
        analysis, ours = None, error
    theirs = tach_verdict(project)

    if ours is not None or theirs.refused is not None:
        assert ours is not None and theirs.refused is not None, (
            f"Strataview: {ours or 'accepted'}\ntach: {theirs.refused or 'accepted'}"
        )
        assert REFUSED[name] in ours.message, ours
        assert Path(ours.file).name in ("tach.toml", "pyproject.toml", "tach.domain.toml") and ours.place, ours
        return
    assert name not in REFUSED
    mine, tachs = strataview_found_as_tach(analysis), tach_found(project, theirs.diagnostics, analysis)
    assert mine == tachs, f"only Strataview: {sorted(mine - tachs)}\nonly tach: {sorted(tachs - mine)}"
    assert mine or name in QUIET, "the skeleton breaks no rule: the comparison says nothing"


STRICT = """\
[[modules]]
path = "shop.billing"
depends_on = []
strict = true

[[modules]]
path = "shop.orders"
depends_on = ["shop.billing", "shop.ui"]

[[modules]]
path = "shop.ui"
depends_on = []
strict = true

[[interfaces]]
expose = ["api.*"]
from = ["shop.billing"]
"""


def test_strict_modules_as_tach_migrates_them(tmp_path: Path):
    """tach.toml files written for older versions of tach mark modules `strict` (as tach's own did, see
    gauge-sh__tach). tach 0.35.3 reads each as an interface exposing the names of its `__all__`
    list, in place of the file's [[interfaces]], and rewrites the file so."""
    files = {
        "shop/__init__.py": "",
        "shop/billing/__init__.py": 'from shop.billing.api import charge, refund\n__all__ = ["charge"]\n',
        "shop/billing/api.py": "def charge(): pass\ndef refund(): pass\n",
        "shop/billing/tools.py": "from shop.ui import views\n",
        "shop/ui/__init__.py": 'def views(): pass\n__all__ = ("views",)\n',  # not a list: tach reads no name
        "shop/orders/__init__.py": (
            "from shop.billing import charge\nfrom shop.billing import refund\n"
            "from shop.billing.api import charge as direct\nimport shop.billing\nfrom shop.ui import views\n"
        ),
        "tach.toml": STRICT,
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)

    analysis = analyse(tmp_path)
    theirs = tach_verdict(tmp_path)

    assert theirs.refused is None
    found = strataview_found_as_tach(analysis)
    assert found == tach_found(tmp_path, theirs.diagnostics, analysis)
    assert {(kind, importer, imported, line) for kind, importer, imported, _, line in found} == {
        ("interface", "shop.orders", "shop.billing", 2),  # refund is not in __all__
        ("interface", "shop.orders", "shop.billing.api", 3),  # the file's interface is gone
        ("interface", "shop.orders", "shop.ui", 5),
        ("interface", "shop.billing.tools", "shop.ui", 1),
        ("dependency", "shop.billing.tools", "shop.ui", 1),
    }
