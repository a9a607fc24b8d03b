"""Random but valid import-linter contracts of every type, drawn from a real package's graph.

The same seed and graph always give the same contracts. Module choices come from the graph
itself (siblings for layers and independence, packages for containers and ancestors, real
imports for `ignore_imports`), with `*` and `**` wildcards mixed in, so most contracts are broken
in interesting ways and some are kept.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import grimp

Contract = dict[str, Any]


def _is_private_name(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


class ContractMaker:
    """Makes contracts for one package's graph; each call continues the same random sequence."""

    def __init__(self, graph: grimp.ImportGraph, root_package: str, seed: int) -> None:
        self.graph = graph
        self.random = random.Random(seed)
        self.internal = sorted(m for m in graph.modules if m == root_package or m.startswith(root_package + "."))
        self.external = sorted(set(graph.modules) - set(self.internal))
        self.packages = [m for m in self.internal if graph.find_children(m)]
        self.imports = [(a, b) for a in self.internal for b in sorted(graph.find_modules_directly_imported_by(a))]
        self.root_package = root_package

    def contracts(self, count: int, prefix: str) -> list[Contract]:
        makers = [
            self._layers,
            self._contained_layers,
            self._forbidden,
            self._independence,
            self._protected,
            self._acyclic_siblings,
            self._private_modules,
        ]
        found = []
        for number in range(count):
            contract = {"id": f"{prefix}-{number}", "name": f"random contract {prefix}-{number}"}
            contract.update(self.random.choice(makers)())
            ignores = self._ignore_imports()
            if ignores:
                # Random expressions may match nothing, which import-linter would treat as an error.
                contract["ignore_imports"] = ignores
                contract["unmatched_ignore_imports_alerting"] = self.random.choice(["none", "warn"])
            found.append(contract)
        return found

    def _sample(self, items: list[str], low: int, high: int) -> list[str]:
        return self.random.sample(items, min(len(items), self.random.randint(low, high)))

    def _wildcarded(self, module: str) -> str:
        parts = module.split(".")
        if len(parts) > 1 and self.random.random() < 0.3:
            parts[self.random.randrange(1, len(parts))] = "*"
            return ".".join(parts)
        if len(parts) > 2 and self.random.random() < 0.2:
            return ".".join(parts[:2]) + ".**"
        return module

    def _ignore_imports(self) -> list[str]:
        chosen = [self.random.choice(self.imports) for _ in range(self.random.choice([0, 0, 1, 2, 3]))]
        expressions = [f"{self._wildcarded(a)} -> {self._wildcarded(b)}" for a, b in chosen]
        if self.random.random() < 0.2:
            expressions.append(f"{self.root_package}.** -> {self.root_package}")
        return expressions

    def _group_layers(self, names: list[str], all_optional: bool) -> list[str]:
        self.random.shuffle(names)
        lines, start = [], 0
        while start < len(names):
            size = self.random.choice([1, 1, 2, 3])
            group = [
                f"({name})" if all_optional or self.random.random() < 0.1 else name
                for name in names[start : start + size]
            ]
            start += size
            lines.append((" | " if self.random.random() < 0.5 else " : ").join(group))
        return lines

    def _layers(self) -> Contract:
        parent = self.random.choice(self.packages)
        names = self._sample(sorted(self.graph.find_children(parent)), 2, 6)
        return {"type": "layers", "layers": self._group_layers(names, all_optional=False)}

    def _contained_layers(self) -> Contract:
        parent = self.random.choice(self.packages)
        tails = sorted(child.rpartition(".")[2] for child in self.graph.find_children(parent))
        containers = [parent]
        unrelated = [
            package
            for package in self.packages
            if not (package == parent or package.startswith(parent + ".") or parent.startswith(package + "."))
        ]
        if unrelated and self.random.random() < 0.4:
            containers.append(self.random.choice(unrelated))
        contract = {
            "type": "layers",
            "containers": containers,
            # With a second container, a tail may be missing from one of them.
            "layers": self._group_layers(self._sample(tails, 2, 6), all_optional=len(containers) > 1),
        }
        if self.random.random() < 0.4:
            contract["exhaustive"] = "true"
            if self.random.random() < 0.5:
                contract["exhaustive_ignores"] = self._sample(tails, 1, 2)
        return contract

    def _forbidden(self) -> Contract:
        forbidden = [self._wildcarded(m) for m in self._sample(self.internal, 1, 3)]
        if self.external and self.random.random() < 0.5:
            forbidden.append(self.random.choice(self.external))
        contract = {
            "type": "forbidden",
            "source_modules": [self._wildcarded(m) for m in self._sample(self.internal, 1, 3)],
            "forbidden_modules": forbidden,
        }
        if self.random.random() < 0.5:
            contract["allow_indirect_imports"] = self.random.choice(["true", "True", "false"])
        if self.random.random() < 0.5:
            contract["as_packages"] = self.random.choice(["true", "false"])
        return contract

    def _independence(self) -> Contract:
        parent = self.random.choice(self.packages)
        if self.random.random() < 0.3:
            return {"type": "independence", "modules": [f"{parent}.*"]}
        return {"type": "independence", "modules": self._sample(sorted(self.graph.find_children(parent)), 2, 5)}

    def _protected(self) -> Contract:
        protected = self._sample(self.internal, 1, 2)
        if self.external and self.random.random() < 0.3:
            protected.append(self.random.choice(self.external))
        contract = {
            "type": "protected",
            "protected_modules": [self._wildcarded(m) for m in protected],
            "allowed_importers": [self._wildcarded(m) for m in self._sample(self.internal, 1, 3)],
        }
        if self.random.random() < 0.5:
            contract["as_packages"] = self.random.choice(["true", "false"])
        return contract

    def _acyclic_siblings(self) -> Contract:
        ancestors = self._sample(self.packages, 1, 2)
        contract = {"type": "acyclic_siblings", "ancestors": ancestors, "depth": str(self.random.randint(0, 3))}
        subpackages = sorted(
            child
            for ancestor in ancestors
            for child in self.graph.find_children(ancestor)
            if self.graph.find_children(child) and child not in ancestors
        )
        if subpackages and self.random.random() < 0.5:
            contract["skip_descendants"] = self._sample(subpackages, 1, 1)
        return contract

    def _private_modules(self) -> Contract:
        public = [p for p in self.packages if not any(_is_private_name(part) for part in p.split("."))]
        if public and self.random.random() < 0.6:
            return {"type": "private_modules", "packages_with_private_modules": self._sample(public, 1, 2)}
        return {"type": "private_modules"}


def write_ini(path: Path, session: dict[str, str], contracts: list[Contract]) -> None:
    """Write an import-linter INI configuration: lists as indented continuation lines."""

    def option(key: str, value: Any) -> str:
        if isinstance(value, list):
            return f"{key} =\n" + "\n".join(f"    {item}" for item in value)
        return f"{key} = {value}"

    sections = ["[importlinter]\n" + "\n".join(option(k, v) for k, v in session.items())]
    for contract in contracts:
        body = "\n".join(option(k, v) for k, v in contract.items() if k != "id")
        sections.append(f"[importlinter:contract:{contract['id']}]\n{body}")
    path.write_text("\n\n".join(sections) + "\n", encoding="utf-8")
