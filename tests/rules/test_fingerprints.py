"""A violation's fingerprint survives moved and reformatted lines, and tells violations apart."""

from __future__ import annotations

import re

import pytest

from fixtures.projects import check, violations_of, write_project, write_tree

FILES = {
    "shop/api/handlers.py": "",
    "shop/ui/views.py": "import shop.core.models\nfrom shop.ui import _widgets\n",
    "shop/ui/_widgets.py": "",
    "shop/core/models.py": "from shop.ui import views\nfrom shop.ui.views import render\nfrom shop.ui import _widgets\n",
    "shop/stray.py": "",
}

RULES = {
    "layers": {"type": "layers", "layers": ["shop.ui", "shop.core"]},
    "forbidden": {"type": "forbidden", "source_modules": ["shop.core"], "forbidden_modules": ["shop.ui"]},
    "independence": {"type": "independence", "modules": ["shop.core", "shop.ui"]},
    "protected": {"type": "protected", "protected_modules": ["shop.ui"], "allowed_importers": ["shop.api"]},
    "acyclic_siblings": {"type": "acyclic_siblings", "ancestors": ["shop"]},
    "private_modules": {"type": "private_modules"},
    "acyclic": {"type": "acyclic", "packages": ["shop"]},
    "coverage": {"type": "coverage", "packages": ["shop"]},
}


def moved_and_reformatted(source: str) -> str:
    """The same imports below new lines, each `from a import b` spread over several lines."""
    spread = re.sub(r"^from (\S+) import (\w+)$", r"from \1 import (\n    \2,\n)\n", source, flags=re.MULTILINE)
    header = '"""A docstring that was not there."""\n\nimport os\n# a comment\n\n\n'
    return header + spread.replace("\n", "\n\n")


def fingerprints(result, rule_id: str) -> list[str]:
    return sorted(violation.fingerprint for violation in violations_of(result, rule_id))


def first_lines(result, rule_id: str) -> set[tuple[str, int]]:
    return {
        (link.file, link.line_numbers[0])
        for violation in violations_of(result, rule_id)
        for chain in violation.chains
        for link in chain
        if link.line_numbers
    }


@pytest.mark.parametrize("rule_type", sorted(RULES))
def test_fingerprints_survive_moved_and_reformatted_lines(tmp_path, rule_type):
    rule = {"id": rule_type, **RULES[rule_type]}
    write_project(tmp_path, FILES, [rule])
    before = check(tmp_path)
    assert violations_of(before, rule_type)

    write_tree(tmp_path, {path: moved_and_reformatted(source) for path, source in FILES.items()})
    after = check(tmp_path)

    assert fingerprints(after, rule_type) == fingerprints(before, rule_type)
    if rule_type != "coverage":
        assert first_lines(after, rule_type).isdisjoint(first_lines(before, rule_type))


def test_reformatting_keeps_the_line_of_the_import_statement(tmp_path):
    write_project(tmp_path, FILES, [{"id": "layers", **RULES["layers"]}])
    write_tree(tmp_path, {"shop/core/models.py": moved_and_reformatted(FILES["shop/core/models.py"])})

    [violation] = violations_of(check(tmp_path), "layers")

    [link] = [chain[0] for chain in violation.chains if chain[0].imported == "shop.ui.views"]
    assert link.file == "shop/core/models.py"
    lines = (tmp_path / "shop/core/models.py").read_text().splitlines()
    assert [lines[number - 1] for number in link.line_numbers] == [
        "from shop.ui import (",
        "from shop.ui.views import (",
    ]


def test_renaming_a_rule_keeps_its_fingerprints_but_a_new_id_does_not(tmp_path):
    rule = {"id": "layers", **RULES["layers"]}
    write_project(tmp_path, FILES, [rule])
    original = fingerprints(check(tmp_path), "layers")
    write_project(tmp_path, FILES, [{**rule, "name": "ui over core"}])
    renamed = fingerprints(check(tmp_path), "layers")
    write_project(tmp_path, FILES, [{**rule, "id": "layering"}])
    new_id = fingerprints(check(tmp_path), "layering")

    assert renamed == original
    assert set(new_id).isdisjoint(original)


def test_different_violations_have_different_fingerprints(tmp_path):
    files = {
        **FILES,
        "shop/api/handlers.py": "import shop.ui.views\nimport shop.ui._widgets\n",
        "shop/core/rules.py": "import shop.api.handlers\n",
        "shop/extra.py": "",
    }
    rules = [{"id": rule_type, **options} for rule_type, options in RULES.items()]
    rules[0] = {**rules[0], "layers": ["shop.ui", "shop.api", "shop.core"]}
    write_project(tmp_path, files, rules)

    result = check(tmp_path)

    every = [violation.fingerprint for violation in result.violations]
    assert {violation.rule for violation in result.violations} == set(RULES)
    assert len(every) > len(RULES)
    assert len(set(every)) == len(every)


def test_same_pair_in_two_rules_has_two_fingerprints(tmp_path):
    forbidden = {"id": "no-ui", **RULES["forbidden"]}
    write_project(tmp_path, FILES, [forbidden, {**forbidden, "id": "no-ui-again"}])

    result = check(tmp_path)

    [first] = violations_of(result, "no-ui")
    [second] = violations_of(result, "no-ui-again")
    assert (first.importer, first.imported) == (second.importer, second.imported)
    assert first.fingerprint != second.fingerprint
