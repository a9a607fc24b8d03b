"""Strataview against tach itself: the same tach configuration, the same violations.

Each fixture project under `differential/tach/` (dependencies, interfaces, visibility and nested
modules; layers with a closed one in a src layout configured in pyproject.toml; the root module,
globs and explicit layers; domains in `tach.domain.toml` files) is checked by the real `tach check --output json`
and by Strataview reading the project's tach configuration. For what both check (declared
dependencies, forbidden dependencies, layers, closed layers and interfaces) they must find the
same imports: the same importing module, imported module, file and line. tach names an import by
what it takes (`shop.billing.Ledger`), Strataview by the module grimp records (`shop.billing`);
the name is mapped to the longest module of the graph it starts with. tach's warnings (deprecated
dependencies) are not violations for either tool.

Seeded random projects and configurations widen the comparison.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.check import Analysis, CheckOptions, run_analysis

FIXTURES = Path(__file__).resolve().parent / "tach"

# tach's diagnostics and Strataview's rule types, by what they judge.
TACH_KINDS = {
    "UndeclaredDependency": "dependency",
    "ForbiddenDependency": "dependency",
    "LayerViolation": "dependency",
    "ClosedLayerViolation": "dependency",
    "PrivateDependency": "interface",
}
STRATAVIEW_KINDS = {
    "dependencies": "dependency",
    "layers": "dependency",
    "forbidden": "dependency",
    "protected": "dependency",
    "interface": "interface",
}

Found = tuple[str, str, str, str, int]  # kind, importer, imported, file, line


def analyse(project: Path) -> Analysis:
    for event in run_analysis(project, CheckOptions(use_cache=False)):
        if isinstance(event, Analysis):
            return event
    raise AssertionError("the analysis ended without a result")


def strataview_found(analysis: Analysis) -> set[Found]:
    """The direct imports behind Strataview's violations (a layers rule's indirect chains aside;
    the `external` rule's are tach check-external's, compared in test_differential_tach_external)."""
    found = set()
    for violation in analysis.result.violations:
        if violation.type == "external":
            continue
        for chain in violation.chains:
            if len(chain) != 1:
                continue
            [link] = chain
            for line in link.line_numbers:
                found.add((STRATAVIEW_KINDS[violation.type], link.importer, link.imported, link.file, line))
    return found


def run_tach_check(project: Path) -> subprocess.CompletedProcess[str]:
    """tach's own `tach check --output json` on the project."""
    return subprocess.run(
        [sys.executable, "-m", "tach", "check", "--output", "json"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def tach_found(project: Path, analysis: Analysis) -> set[Found]:
    run = run_tach_check(project)
    diagnostics = json.loads(run.stdout)
    assert isinstance(diagnostics, list), f"tach could not check: {run.stdout} {run.stderr}"
    modules = analysis.project.graph.modules
    found = set()
    for diagnostic in diagnostics:
        assert "Located" in diagnostic, f"tach reported a configuration problem: {diagnostic}"
        located = diagnostic["Located"]
        [(kind, details)] = located["details"]["Code"].items()
        if located["severity"] != "Error" or kind not in TACH_KINDS:
            continue
        file = located["file_path"]
        importer = module_of_file(project, file, analysis)
        imported = longest_module(details["dependency"], modules)
        found.add((TACH_KINDS[kind], importer, imported, file, located["original_line_number"]))
    return found


def module_of_file(project: Path, file: str, analysis: Analysis) -> str:
    return next(module for module in analysis.project.graph.modules if analysis.project.file_of(module) == file)


def longest_module(name: str, modules: set[str]) -> str:
    parts = name.split(".")
    return next(".".join(parts[:end]) for end in range(len(parts), 0, -1) if ".".join(parts[:end]) in modules)


def compare(project: Path) -> set[Found]:
    analysis = analyse(project)
    assert analysis.config.format == "tach"
    ours, theirs = strataview_found(analysis), tach_found(project, analysis)
    assert ours == theirs, f"only Strataview: {sorted(ours - theirs)}\nonly tach: {sorted(theirs - ours)}"
    return ours


@pytest.fixture
def fixture_project(tmp_path: Path):
    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target)
        return target

    return copy


def test_shop_dependencies_interfaces_visibility_and_nesting(fixture_project):
    found = compare(fixture_project("shop"))

    kinds = {kind for kind, *_ in found}
    assert kinds == {"dependency", "interface"}
    # A name re-exported from an internal module, a nested module of its own, a forbidden
    # dependency, a function-level import and a line of a multi-line import are all among them.
    assert ("interface", "shop.orders.service", "shop.billing", "shop/orders/service.py", 8) in found
    assert ("dependency", "shop.orders.service", "shop.billing.ledger", "shop/orders/service.py", 10) in found
    assert ("dependency", "shop.orders.service", "shop.admin", "shop/orders/service.py", 16) in found
    assert ("dependency", "shop.orders.service", "shop.admin.panel", "shop/orders/service.py", 25) in found
    assert ("interface", "shop.orders.service", "shop.catalog", "shop/orders/service.py", 11) in found
    # Excluded tests, root code, unchecked modules and TYPE_CHECKING imports are judged by neither.
    assert not {f for f in found if f[1].startswith(("shop.orders.tests", "shop.main", "shop.legacy"))}
    assert not {f for f in found if f[3:] == ("shop/orders/service.py", 21)}


def test_layered_src_project_configured_in_pyproject(fixture_project):
    found = compare(fixture_project("layered"))

    assert ("dependency", "app.domain.order", "app.services.checkout", "src/app/domain/order.py", 1) in found
    assert ("dependency", "app.ui.views", "app.infra.db", "src/app/ui/views.py", 3) in found  # past the closed layer
    assert not {f for f in found if f[1] == "app.domain.order" and f[2].startswith("app.infra")}


def test_root_module_globs_bulk_paths_and_explicit_layers(fixture_project):
    found = compare(fixture_project("rooted"))

    assert ("dependency", "kit.main", "kit.cli.app", "kit/main.py", 3) in found
    assert ("dependency", "kit.cli.app", "kit.engine", "kit/cli/app.py", 2) in found  # explicit layers
    assert ("interface", "kit.plugins.gamma", "kit.engine.internals", "kit/plugins/gamma.py", 1) in found


def test_domains_configured_next_to_their_code(fixture_project):
    found = compare(fixture_project("domains"))

    # A relative dependency, an interface with `from` left out (the domain's modules below its
    # root) and one on the domain root.
    assert ("interface", "corp.payments.cards", "corp.auth.tokens", "corp/payments/cards.py", 2) in found
    assert ("interface", "corp.payments.cards", "corp.auth", "corp/payments/cards.py", 1) in found
    assert ("dependency", "corp.auth.tokens.store", "corp.auth", "corp/auth/tokens/store.py", 1) in found


class RandomProject:
    """A package of a few subpackages importing each other's modules and names at random (absolute
    and relative imports, some inside functions), with a random tach configuration over them:
    dependencies (some left out, some deprecated), forbidden dependencies, a utility, a nested
    module, layers with a closed one and sometimes explicit declarations, the root module
    allowed or ignored, and interfaces, some only for some importers."""

    PATTERNS = ("f0", "f.*", "m0", "m0\\..*", "m1\\.f1", "g")

    def __init__(self, seed: int, packages: int = 6) -> None:
        self.random = random.Random(seed)
        self.names = [f"p{index}" for index in range(packages)]

    def write(self, root: Path) -> None:
        for name in self.names:
            package = root / "proj" / name
            package.mkdir(parents=True)
            (package / "__init__.py").write_text("from .m0 import f0\n\n\ndef g():\n    pass\n")
            for module in ("m0", "m1"):
                lines = [self.import_line(name) for _ in range(self.random.randint(0, 4))]
                body = f"def f{module[-1]}():\n    pass\n"
                (package / f"{module}.py").write_text("\n".join(lines) + "\n\n\n" + body)
        (root / "proj" / "__init__.py").write_text(self.import_line("") + "\n")
        (root / "proj" / "main.py").write_text(self.import_line("") + "\n")
        (root / "tach.toml").write_text(self.config())

    def import_line(self, own: str) -> str:
        other = self.random.choice([n for n in self.names if n != own])
        module = self.random.choice(["m0", "m1"])
        line = self.random.choice(
            [
                f"from proj.{other}.{module} import f{module[-1]}",
                f"from proj.{other} import f0",
                f"from proj.{other} import g",
                f"import proj.{other}.{module}",
                f"from proj.{other} import {module}",
                f"from ..{other}.{module} import f{module[-1]}" if own else f"from .{other} import g",
            ]
        )
        if self.random.random() < 0.15:
            return f"def lazy():\n    {line}"
        return line

    def config(self) -> str:
        layer_names = ["top", "middle", "bottom"]
        closed = self.random.choice([None, "middle"])
        utility = self.random.choice(self.names)
        nested = self.random.choice(self.names)
        lines = [
            f'root_module = "{self.random.choice(["ignore", "allow"])}"',
            f"layers_explicit_depends_on = {self.random.choice(['true', 'false'])}",
            "layers = ["
            + ", ".join(f'{{ name = "{n}", closed = true }}' if n == closed else f'"{n}"' for n in layer_names)
            + "]",
        ]
        modules = [f"proj.{name}" for name in self.names] + [f"proj.{nested}.m1"]
        for path in modules:
            lines += ["", "[[modules]]", f'path = "{path}"']
            others = [m for m in modules if m != path]
            if self.random.random() < 0.8:
                chosen = self.random.sample(others, self.random.randint(0, 3))
                entries = [
                    f'{{ path = "{m}", deprecated = true }}' if self.random.random() < 0.2 else f'"{m}"' for m in chosen
                ]
                lines.append(f"depends_on = [{', '.join(entries)}]")
            if self.random.random() < 0.3:
                lines.append(f'cannot_depend_on = ["{self.random.choice(others)}"]')
            if self.random.random() < 0.5 and path.count(".") == 1:
                lines.append(f'layer = "{self.random.choice(layer_names)}"')
            if path == f"proj.{utility}":
                lines.append("utility = true")
        for name in self.random.sample(self.names, 2):
            expose = self.random.sample(self.PATTERNS, self.random.randint(1, 3))
            lines += ["", "[[interfaces]]", f"expose = {json.dumps(expose)}", f'from = ["proj\\\\.{name}"]']
            if self.random.random() < 0.4:
                importers = self.random.sample([f"proj.{n}" for n in self.names if n != name], 2)
                exclusive = self.random.choice(["true", "false"])
                lines += [
                    "",
                    "[[interfaces]]",
                    f"expose = {json.dumps(self.random.sample(self.PATTERNS, 2))}",
                    f'from = ["proj.{name}"]',
                    f"visibility = {json.dumps(importers)}",
                    f"exclusive = {exclusive}",
                ]
        return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(16))
def test_random_projects_agree(tmp_path: Path, seed: int):
    project = RandomProject(seed)
    project.write(tmp_path)

    compare(tmp_path)


def test_random_projects_break_rules_of_every_kind(tmp_path: Path):
    """The random projects are not trivially clean: together they break every kind of rule."""
    kinds = set()
    for seed in range(16):
        root = tmp_path / str(seed)
        RandomProject(seed).write(root)
        kinds |= {violation.type for violation in analyse(root).result.violations}
    assert {"dependencies", "layers", "interface"} <= kinds

