"""The synthetic layered project of bench_baseline.py and bench_live.py.

7 layers of 10 packages of `modules_per_package` modules under the package `big`, each module
importing a few earlier modules of its own package or modules of lower layers, checked by a
layers, a forbidden, an independence, an acyclic and a coverage rule.
"""

from __future__ import annotations

import random
from pathlib import Path

LAYERS = ("ui", "api", "services", "domain", "adapters", "storage", "util")
PACKAGES_PER_LAYER = 10
IMPORTS_PER_MODULE = 6
RULES = f"""root_packages = ["big"]

[[rules]]
id = "layers"
type = "layers"
layers = {[f"big.{layer}" for layer in LAYERS]!r}

[[rules]]
id = "storage-without-domain"
type = "forbidden"
source_modules = ["big.storage", "big.util"]
forbidden_modules = ["big.domain"]

[[rules]]
id = "ui-packages-independent"
type = "independence"
modules = {[f"big.ui.p{package}" for package in range(PACKAGES_PER_LAYER)]!r}

[[rules]]
id = "no-cycles"
type = "acyclic"
packages = ["big"]

[[rules]]
id = "everything-has-a-place"
type = "coverage"
packages = ["big"]
"""


def module_path(root: Path, module: str) -> Path:
    return root.joinpath(*module.split(".")).with_suffix(".py")


def write_module(root: Path, module: str, imported: set[str]) -> None:
    path = module_path(root, module)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(f"import {name}\n" for name in sorted(imported))
    path.write_text(f'"""{module}."""\n\n{lines}\n\ndef run():\n    return 1\n')


def write_project(
    root: Path, modules_per_package: int, rng: random.Random, upward_imports: int = 0
) -> dict[str, set[str]]:
    """Write the project and its strataview.toml; returns each module's imports.

    `upward_imports` imports from the domain layer up to the api layer are added, breaking the layers.
    """
    layered = [  # the modules of each layer, top first
        [
            f"big.{layer}.p{package}.m{module}"
            for package in range(PACKAGES_PER_LAYER)
            for module in range(modules_per_package)
        ]
        for layer in LAYERS
    ]
    lower = [sum(layered[index + 1 :], []) for index in range(len(LAYERS))]
    domain, api = layered[LAYERS.index("domain")], layered[LAYERS.index("api")]
    upward = {(rng.choice(domain), rng.choice(api)) for _ in range(upward_imports)}
    imports: dict[str, set[str]] = {}
    for index, modules in enumerate(layered):
        for position, module in enumerate(modules):
            # Within a layer only earlier modules of the same package (no cycles); otherwise lower layers.
            package = module.rsplit(".", 1)[0]
            siblings = [m for m in modules[max(0, position - 20) : position] if m.startswith(package + ".")]
            candidates = siblings + lower[index]
            imports[module] = set(rng.sample(candidates, min(IMPORTS_PER_MODULE, len(candidates))))
    for importer, imported in upward:
        imports[importer].add(imported)
    for module, imported in imports.items():
        write_module(root, module, imported)
    for directory in [root / "big", *(p for p in (root / "big").rglob("*") if p.is_dir())]:
        (directory / "__init__.py").touch()
    (root / "strataview.toml").write_text(RULES)
    return imports
