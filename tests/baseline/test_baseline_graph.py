"""The baseline graph patched from the current one equals the graph grimp builds from the revision's tree."""

from __future__ import annotations

import io
import random
import subprocess
import tarfile
from pathlib import Path

import pytest

from baseline.history import History, git_environment
from core import git
from core.baseline_graph import patched_baseline_graph
from core.graph import ProjectGraph, build_project_graph
from core.import_adjustments import AdjustmentOptions

PACKAGES = ["a", "b", "c"]
EXTERNALS = ["os", "json.decoder", "requests.adapters", "yaml"]


def names(rng: random.Random) -> list[str]:
    """Module names a file may mention: ones that exist at some point, and ones that never do."""
    return [f"{package}.m{number}" for package in PACKAGES for number in range(6)] + ["a.sub.s0", "a.sub.s1", "b.ghost"]


def import_lines(module: str, rng: random.Random) -> list[str]:
    """Imports in the styles people write, of modules that may or may not exist."""
    package = module.rsplit(".", 1)[0]
    lines = []
    for target in rng.sample(names(rng), 4):
        parent, _, leaf = target.rpartition(".")
        style = rng.randrange(6)
        if style == 0:
            lines.append(f"import shop.{target}")
        elif style == 1:
            lines.append(f"from shop.{parent} import {leaf}")
        elif style == 2:
            lines.append(f"from shop.{target} import thing")
        elif style == 3 and parent == package.removeprefix("shop."):
            lines.append(f"from . import {leaf}")
        elif style == 4:
            lines.append(f"from ..{parent.split('.')[0]} import {leaf}" if package.count(".") == 1 else f"import shop.{target}")
        else:
            lines.append(f"import {rng.choice(EXTERNALS)}")
    if rng.random() < 0.3:
        lines.append("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import shop.c.m1")
    return lines


def adjusted_lines(module: str, rng: random.Random) -> list[str]:
    """Imports as `import_lines` writes them, some silenced by `# tach-ignore` comments (all of a line,
    or some names) or made inside a function, and string literals naming modules and their names."""
    lines = []
    for number, line in enumerate(import_lines(module, rng)):
        leaf = line.split()[-1]
        if "\n" not in line and rng.random() < 0.4:
            line += rng.choice(["  # tach-ignore", f"  # tach-ignore {leaf}", "  # tach-ignore(why) thing", "  # tach-ignore b"])
        if "\n" not in line and rng.random() < 0.2:
            line = f"def later{number}():\n    {line}"
        lines.append(line)
    for target in rng.sample(names(rng), 2):
        lines.append(f'NAME = "shop.{target}"' + rng.choice(["", ".thing", "  # tach-ignore"]))
    return lines


def module_file(module: str, is_package: bool = False) -> str:
    path = "shop/" + module.replace(".", "/")
    return f"{path}/__init__.py" if is_package else f"{path}.py"


class Evolution:
    """A project changed at random: modules edited, added and deleted, whole packages coming and going."""

    def __init__(self, history: History, rng: random.Random, lines=import_lines) -> None:
        self.history, self.rng, self.lines = history, rng, lines
        self.modules = {f"{package}.m{number}" for package in PACKAGES for number in range(4)}
        self.history.write({"shop/__init__.py": "", **{module_file(p, True): "" for p in PACKAGES}})
        for module in sorted(self.modules):
            self.write(module)

    def write(self, module: str) -> None:
        self.history.write({module_file(module): "\n".join(self.lines(module, self.rng)) + "\n"})

    def step(self) -> None:
        rng = self.rng
        action = rng.randrange(6)
        if action <= 1 and self.modules:
            self.write(rng.choice(sorted(self.modules)))
        elif action == 2:
            candidates = [name for name in names(rng) if name not in self.modules and not name.startswith(("a.sub", "b.ghost"))]
            if candidates:
                module = rng.choice(candidates)
                self.modules.add(module)
                self.write(module)
        elif action == 3 and len(self.modules) > 3:
            module = rng.choice(sorted(m for m in self.modules if not m.startswith("a.sub")))
            self.modules.discard(module)
            self.history.remove(module_file(module))
        elif action == 4:
            # A whole package comes, or goes.
            if "a.sub.s0" in self.modules:
                for module in ("a.sub.s0", "a.sub.s1"):
                    self.modules.discard(module)
                    self.history.remove(module_file(module))
                self.history.remove(module_file("a.sub", True))
            else:
                self.history.write({module_file("a.sub", True): "from . import s1\n"})
                for module in ("a.sub.s0", "a.sub.s1"):
                    self.modules.add(module)
                    self.write(module)
        else:
            # An unchanged-looking edit: the same imports, moved and reformatted.
            module = rng.choice(sorted(self.modules))
            path = self.history.root / module_file(module)
            path.write_text("\n\n" + path.read_text().replace("import", "import ", 1) + "\n# end\n")


def revision_tree(history: History, commit: str, destination: Path) -> Path:
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit], cwd=history.root, env=git_environment(), capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(destination, filter="data")
    return destination


def graph_facts(project: ProjectGraph) -> tuple[set, set]:
    graph = project.graph
    modules = {(module, graph.is_module_squashed(module)) for module in graph.modules}
    imports = set()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            details = graph.get_import_details(importer=module, imported=imported)
            imports.add(
                (module, imported, tuple(sorted((d["line_number"], d["line_contents"]) for d in details)))
            )
    return modules, imports


@pytest.mark.parametrize("external", [False, True])
@pytest.mark.parametrize("seed", range(int(__import__("os").environ.get("SEEDS", 12))))
def test_the_patched_graph_is_the_graph_of_the_revision(tmp_path, seed, external):
    rng = random.Random(seed)
    history = History(tmp_path / "project")
    evolution = Evolution(history, rng)
    history.write({"pyproject.toml": "[tool.strataview]\nroot_packages = ['shop']\n"})
    baseline = history.commit("Baseline")
    for number in range(rng.randrange(2, 5)):
        for _ in range(rng.randrange(1, 6)):
            evolution.step()
        history.write({"CHANGES.txt": f"change {number}\n"})  # never an empty commit
        history.commit("Change")
    for _ in range(rng.randrange(0, 3)):
        evolution.step()  # uncommitted changes and untracked files

    options = {"include_external_packages": external, "exclude_type_checking_imports": bool(seed % 2)}
    current = build_project_graph(history.root, ["shop"], **options)
    repository = git.repository_of(history.root)
    patched = patched_baseline_graph(current, repository, baseline)
    assert patched is not None
    oracle = build_project_graph(revision_tree(history, baseline, tmp_path / "tree"), ["shop"], **options)
    assert graph_facts(patched) == graph_facts(oracle)
    for module in oracle.graph.modules:
        if not oracle.graph.is_module_squashed(module) and oracle.file_of(module):
            assert patched.source_of(module) == (oracle.root / oracle.file_of(module)).read_text()


def test_a_directory_that_becomes_a_package_is_left_to_a_build_of_the_revision(tmp_path):
    history = History(tmp_path / "project")
    history.write(
        {"shop/__init__.py": "", "shop/a/__init__.py": "", "shop/a/m.py": "", "shop/a/tools/helper.py": "import shop.a.m\n"}
    )
    baseline = history.commit("Baseline")
    history.write({"shop/a/tools/__init__.py": ""})
    current = build_project_graph(history.root, ["shop"])
    assert "shop.a.tools.helper" in current.graph.modules
    assert patched_baseline_graph(current, git.repository_of(history.root), baseline) is None


def test_nothing_changed_gives_the_project_graph_itself(tmp_path):
    history = History(tmp_path / "project")
    history.write({"shop/__init__.py": "", "shop/m.py": "import os\n"})
    baseline = history.commit("Baseline")
    current = build_project_graph(history.root, ["shop"])
    assert patched_baseline_graph(current, git.repository_of(history.root), baseline) is current


def test_a_src_layout_project_in_a_subdirectory_of_its_repository(tmp_path):
    history = History(tmp_path / "repository")
    history.write(
        {
            "service/src/shop/__init__.py": "",
            "service/src/shop/a.py": "from shop import b\n",
            "service/src/shop/b.py": "import os\n",
            "service/src/shop/c.py": "from shop.b import thing\n",
        }
    )
    baseline = history.commit("Baseline")
    history.remove("service/src/shop/b.py")
    history.write({"service/src/shop/a.py": "from shop import c\n", "service/src/shop/d.py": "from . import a\n"})
    history.commit("Change")
    root = history.root / "service"
    current = build_project_graph(root, ["shop"])
    patched = patched_baseline_graph(current, git.repository_of(root), baseline)
    assert patched is not None
    oracle = build_project_graph(revision_tree(history, baseline, tmp_path / "tree") / "service", ["shop"])
    assert graph_facts(patched) == graph_facts(oracle)
    assert patched.file_of("shop.b") == "src/shop/b.py" and patched.source_of("shop.b") == "import os\n"


@pytest.mark.parametrize("local_imports", ["none", "warn"])
@pytest.mark.parametrize("seed", range(int(__import__("os").environ.get("SEEDS", 6))))
def test_the_patched_graph_is_adjusted_as_the_revision_is(tmp_path, seed, local_imports):
    """Ignore comments, imports inside functions, string imports and a git-ignored file, added,
    changed and removed in the history: the patched graph and what it records of them are those
    of the revision, read from the revision's sources."""
    rng = random.Random(seed)
    history = History(tmp_path / "project")
    evolution = Evolution(history, rng, adjusted_lines)
    history.write({"pyproject.toml": "[tool.strataview]\nroot_packages = ['shop']\n", "shop/c/generated.py": "import shop.a.m0\n"})
    history.commit("Generated code, before git was told to ignore it")
    history.write({".gitignore": "shop/c/generated.py\n"})
    baseline = history.commit("Baseline")
    for number in range(rng.randrange(2, 5)):
        for _ in range(rng.randrange(1, 6)):
            evolution.step()
        history.write({"CHANGES.txt": f"change {number}\n"})
        history.commit("Change")
    for _ in range(rng.randrange(0, 3)):
        evolution.step()

    adjustments = AdjustmentOptions(
        ignore_comments=("tach-ignore",), local_imports=local_imports, include_string_imports=True, respect_gitignore=True
    )
    options = {"include_external_packages": bool(seed % 2), "adjustments": adjustments}
    current = build_project_graph(history.root, ["shop"], **options)
    patched = patched_baseline_graph(current, git.repository_of(history.root), baseline)
    assert patched is not None
    tree = revision_tree(history, baseline, tmp_path / "tree")
    oracle = build_project_graph(tree, ["shop"], **options, gitignored=current.adjusted.gitignored)
    assert graph_facts(patched) == graph_facts(oracle)
    assert patched.adjusted.modules == oracle.adjusted.modules
    assert any(record.taken_out for record in oracle.adjusted.modules.values())
    assert any(record.string_imports for record in oracle.adjusted.modules.values())
    assert current.adjusted.gitignored == {"shop.c.generated"}
