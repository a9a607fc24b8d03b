"""Strataview against tach's `exact` (unused dependencies) and `check-external` (third-party
dependencies): the same tach configuration, the same findings.

tach 0.35.3 reports neither in JSON (`tach check --output json` stops before `exact`, and
`check-external` has no JSON output), so the oracle is tach's own Python API, which its command
line calls: `detect_unused_dependencies` and `check_external_dependencies`, run in a separate
process on the fixture projects under `differential/tach/external/` (a package declaring real
distributions installed here, with module restrictions, renames, exclusions, root code, tests and
scripts; a monorepo of two packages, one declared by requirements.txt) and on seeded random
projects. Strataview reads the same configuration: `exact` becomes `dependencies` rules with
`exact`, `check-external` the `external` rules.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.check import Analysis
from differential.test_differential_tach import RandomProject, analyse, compare

FIXTURES = Path(__file__).resolve().parent / "tach" / "external"

ORACLE = """
import json
from pathlib import Path

from tach import extension
from tach.parsing import parse_project_config

root = Path.cwd()
config = parse_project_config(root)
unused = extension.detect_unused_dependencies(project_root=root, project_config=config) if config.exact else []
external = extension.check_external_dependencies(project_root=root, project_config=config)
print(json.dumps({
    "unused": {found.path: [dependency.path for dependency in found.dependencies] for found in unused},
    "external": json.loads(extension.serialize_diagnostics_json(external, pretty_print=False)),
}))
"""

TACH_KINDS = {
    "UndeclaredExternalDependency": "undeclared",
    "ModuleUndeclaredExternalDependency": "not-allowed",
    "ModuleForbiddenExternalDependency": "forbidden",
}
UNUSED_DEPENDENCY = re.compile(r"(?P<module>\S+) declares a dependency on (?P<name>\S+) that none of its imports needs")
UNUSED_DISTRIBUTION = re.compile(r"(?P<name>\S+) is declared in \S+ but never imported")

Found = tuple[str, ...]


def tach_findings(project: Path) -> dict:
    run = subprocess.run(
        [sys.executable, "-c", ORACLE], cwd=project, capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def normalised(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


def tach_unused(findings: dict) -> set[tuple[str, str]]:
    return {(module, name) for module, names in findings["unused"].items() for name in names}


def strataview_unused(analysis: Analysis) -> set[tuple[str, str]]:
    """(tach module, dependency) of each unused dependency; the root module's rules are per package."""
    found = set()
    for violation in analysis.result.violations:
        match = UNUSED_DEPENDENCY.fullmatch(violation.message)
        if violation.type == "dependencies" and match:
            module = violation.rule.removesuffix(".depends_on")
            found.add(("<root>" if module.startswith("<root>.") else module, match["name"]))
    return found


def tach_external(findings: dict) -> set[Found]:
    found = set()
    for diagnostic in findings["external"]:
        if "Global" in diagnostic:
            [(kind, details)] = diagnostic["Global"]["details"]["Code"].items()
            assert kind == "UnusedExternalDependency", diagnostic
            found.add(("unused", normalised(details["package_module_name"]), diagnostic["Global"]["severity"]))
            continue
        located = diagnostic["Located"]
        [(kind, details)] = located["details"]["Code"].items()
        assert located["severity"] == "Error", diagnostic
        found.add((TACH_KINDS[kind], located["file_path"], str(located["original_line_number"]), details["dependency"]))
    return found


def strataview_external(analysis: Analysis) -> set[Found]:
    found = set()
    for violation in analysis.result.violations:
        if violation.type != "external":
            continue
        match = UNUSED_DISTRIBUTION.fullmatch(violation.message)
        if match:
            found.add(("unused", normalised(match["name"]), "Error"))
            continue
        detail = violation.detail or ""
        kind = "forbidden" if "must not import" in detail else "not-allowed" if "may import" in detail else "undeclared"
        [[link]] = violation.chains
        found.update((kind, link.file, str(line), link.imported) for line in link.line_numbers)
    for rule in analysis.result.rules:
        for warning in rule.warnings if rule.type == "external" else ():
            match = UNUSED_DISTRIBUTION.fullmatch(warning)
            assert match, warning
            found.add(("unused", normalised(match["name"]), "Warning"))
    return found


def compare_with_tach(project: Path) -> tuple[set[tuple[str, str]], set[Found]]:
    analysis = analyse(project)
    findings = tach_findings(project)
    ours, theirs = strataview_unused(analysis), tach_unused(findings)
    assert ours == theirs, (
        f"unused dependencies, only Strataview: {sorted(ours - theirs)}; only tach: {sorted(theirs - ours)}"
    )
    ours_external, theirs_external = strataview_external(analysis), tach_external(findings)
    assert ours_external == theirs_external, (
        f"check-external, only Strataview: {sorted(ours_external - theirs_external)}\n"
        f"only tach: {sorted(theirs_external - ours_external)}"
    )
    return ours, ours_external


@pytest.fixture
def fixture_project(tmp_path: Path):
    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target)
        return target

    return copy


def test_store_unused_and_third_party_dependencies(fixture_project):
    project = fixture_project("store")
    compare(project)  # tach check's own verdicts agree as well
    unused, external = compare_with_tach(project)

    # Lower layers and utilities need no declaration, so declaring them is never used; a module
    # that does not exist is not either; a deprecated dependency in use is used.
    assert unused == {
        ("store.web", "store.core"),
        ("store.web", "store.util"),
        ("store.web", "store.missing"),
        ("store.web", "store.orders"),
        ("store.orders", "store.core"),
        ("<root>", "store.catalog"),
    }
    assert external == {
        ("undeclared", "store/catalog/items.py", "2", "numpy"),
        ("undeclared", "store/orders/__init__.py", "4", "requests"),  # an optional dependency only
        ("undeclared", "tests/web_checks.py", "3", "requests"),  # tests outside the package are judged
        ("forbidden", "store/orders/__init__.py", "1", "networkx"),
        ("not-allowed", "store/web/__init__.py", "3", "pygments"),
        ("not-allowed", "store/web/views.py", "2", "networkx"),  # inside a function
        ("not-allowed", "manage.py", "2", "pygments"),  # the root module's restriction
        ("unused", "idna", "Error"),
    }


def test_a_monorepo_of_packages_each_declaring_its_own(fixture_project):
    project = fixture_project("workspace")
    _, external = compare_with_tach(project)

    # beta's requirements.txt does not declare alpha, its sibling package; unused ones are warnings.
    assert ("undeclared", "libs/beta/beta/__init__.py", "3", "alpha") in external
    assert ("undeclared", "libs/beta/scripts/run.py", "1", "networkx") in external
    assert {f for f in external if f[0] == "unused"} == {
        ("unused", "idna", "Warning"),
        ("unused", "pygments", "Warning"),
    }
    assert sorted(rule.id for rule in analyse(project).result.rules if not rule.kept) == ["external.1", "external.2"]


class RandomExternalProject:
    """A package of a few subpackages importing installed distributions (some by a name other than
    the distribution's, one by two names), a name no distribution provides, the standard library
    and each other, at module level, in functions and under TYPE_CHECKING; a pyproject.toml
    declaring some of them in various spellings; tach's configuration with renames, exclusions,
    restrictions by module (the root module's too), and the unused rule's severity."""

    IMPORTS = (
        "yaml", "attr", "attrs", "pygments", "jinja2", "networkx", "idna", "dateutil", "six",
        "sortedcontainers", "markupsafe", "PIL", "os", "json", "typing_extensions",
    )  # fmt: skip
    EXCLUDABLE = ["pyyaml", "PyYAML", "six", "networkx", "python_dateutil"]
    DECLARABLE = (
        "PyYAML>=6", "pyyaml", "attrs[tests]", "Pygments", "Jinja2>=3", "networkx", "idna", "python_dateutil",
        "python-dateutil", "six ; python_version > '3'", "sortedcontainers", "MarkupSafe", "Pillow", "requests",
    )  # fmt: skip

    def __init__(self, seed: int, packages: int = 4) -> None:
        self.random = random.Random(seed)
        self.names = [f"p{index}" for index in range(packages)]

    def write(self, root: Path) -> None:
        for name in self.names:
            package = root / "proj" / name
            package.mkdir(parents=True)
            (package / "__init__.py").write_text(self.source())
            (package / "m.py").write_text(self.source())
        (root / "proj" / "__init__.py").write_text(self.source())
        declared = self.random.sample(self.DECLARABLE, self.random.randint(3, 9))
        (root / "pyproject.toml").write_text(
            '[project]\nname = "proj"\nversion = "1"\ndependencies = ' + json.dumps(declared) + "\n"
        )
        (root / "tach.toml").write_text(self.config())

    def source(self) -> str:
        lines = []
        for _ in range(self.random.randint(1, 5)):
            name = self.random.choice(self.IMPORTS)
            statement = self.random.choice(
                [f"import {name}", f"from {name} import thing", f"from proj.{self.random.choice(self.names)} import m"]
            )
            where = self.random.random()
            if where < 0.15:
                lines.append(f"def lazy():\n    {statement}")
            elif where < 0.25:
                lines.append(f"from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    {statement}")
            else:
                lines.append(statement)
        return "\n".join(lines) + "\n"

    def config(self) -> str:
        names = [n for n in self.IMPORTS if n not in ("os", "json")]
        lines = [
            f"ignore_type_checking_imports = {self.random.choice(['true', 'false'])}",
            "[rules]",
            f'unused_external_dependencies = "{self.random.choice(["error", "warn", "off"])}"',
            "[external]",
            f"exclude = {json.dumps(self.random.sample(self.EXCLUDABLE, 2))}",
            f"rename = {json.dumps(self.random.sample(['PIL:pillow', 'attr:attrs', 'sortedcontainers:idna'], 2))}",
        ]
        for path in ["<root>", *(f"proj.{name}" for name in self.names)]:
            lines += ["", "[[modules]]", f'path = "{path}"', "depends_on = []"]
            if self.random.random() < 0.5:
                lines.append(f"depends_on_external = {json.dumps(self.random.sample(names, 4))}")
            if self.random.random() < 0.4:
                lines.append(f"cannot_depend_on_external = {json.dumps(self.random.sample(names, 2))}")
        return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(12))
def test_random_third_party_dependencies_agree(tmp_path: Path, seed: int):
    RandomExternalProject(seed).write(tmp_path)

    compare_with_tach(tmp_path)


@pytest.mark.parametrize("seed", range(16))
def test_random_unused_dependencies_agree(tmp_path: Path, seed: int):
    """tach check's random projects (layers with a closed one, utilities, deprecated dependencies,
    nested modules, the root module), with `exact`."""
    RandomProject(seed).write(tmp_path)
    config = tmp_path / "tach.toml"
    config.write_text("exact = true\n" + config.read_text())

    compare_with_tach(tmp_path)


def test_random_projects_find_something_of_every_kind(tmp_path: Path):
    unused, external = set(), set()
    for seed in range(12):
        RandomExternalProject(seed).write(tmp_path / f"external-{seed}")
        findings = tach_findings(tmp_path / f"external-{seed}")
        external |= {found[0] if found[0] != "unused" else found[2] for found in tach_external(findings)}
    for seed in range(16):
        root = tmp_path / f"exact-{seed}"
        RandomProject(seed).write(root)
        (root / "tach.toml").write_text("exact = true\n" + (root / "tach.toml").read_text())
        unused |= tach_unused(tach_findings(root))
    assert external == {"undeclared", "not-allowed", "forbidden", "Error", "Warning"}
    assert len(unused) > 10
