"""Session options that change the graph every rule sees (`exclude_type_checking_imports`,
`include_external_packages`, their command-line overrides), and the layout files are reported in."""

from __future__ import annotations

import pytest

from fixtures.projects import check, rule_result, violations_of, write_project

FILES = {
    "shop/ui/views.py": "",
    "shop/ui/widgets.py": "",
    "shop/core/models.py": (
        "from typing import TYPE_CHECKING\n"
        "import typing\n"
        "\n"
        "if TYPE_CHECKING:\n"
        "    from shop.ui import views\n"
        "if typing.TYPE_CHECKING:\n"
        "    import shop.ui.widgets\n"
    ),
}
NO_UI = {"id": "no-ui", "type": "forbidden", "source_modules": ["shop.core"], "forbidden_modules": ["shop.ui"]}


def test_type_checking_imports_count_by_default(run_rules):
    result = run_rules(FILES, NO_UI)

    [violation] = violations_of(result, "no-ui")
    assert sorted((chain[0].imported, chain[0].line_numbers) for chain in violation.chains) == [
        ("shop.ui.views", (5,)),
        ("shop.ui.widgets", (7,)),
    ]


def test_exclude_type_checking_imports_leaves_them_out(run_rules):
    result = run_rules(FILES, NO_UI, exclude_type_checking_imports=True)

    assert rule_result(result, "no-ui").kept


def test_an_import_outside_the_type_checking_block_still_counts(run_rules):
    files = {**FILES, "shop/core/models.py": FILES["shop/core/models.py"] + "from shop.ui import views\n"}

    result = run_rules(files, NO_UI, exclude_type_checking_imports=True)

    [violation] = violations_of(result, "no-ui")
    [[link]] = violation.chains
    assert (link.imported, link.line_numbers) == ("shop.ui.views", (8,))


@pytest.mark.parametrize(("configured", "override", "kept"), [(False, True, True), (True, False, False)])
def test_check_options_override_exclude_type_checking_imports(tmp_path, configured, override, kept):
    write_project(tmp_path, FILES, [NO_UI], exclude_type_checking_imports=configured)

    result = check(tmp_path, exclude_type_checking_imports=override)

    assert rule_result(result, "no-ui").kept is kept


def test_check_options_override_include_external_packages(tmp_path):
    files = {"shop/core/models.py": "import requests\n", "shop/ui/views.py": ""}
    rule = {"id": "no-http", "type": "forbidden", "source_modules": ["shop.core"], "forbidden_modules": ["requests"]}
    write_project(tmp_path, files, [rule], include_external_packages=False)

    result = check(tmp_path, include_external_packages=True)

    [violation] = violations_of(result, "no-http")
    assert (violation.importer, violation.imported) == ("shop.core", "requests")


def test_chain_files_are_relative_to_the_project_root_in_a_src_layout(run_rules):
    files = {"src/shop/ui/views.py": "", "src/shop/core/models.py": "import shop.ui.views\n"}

    result = run_rules(files, NO_UI, root_packages=["shop"])

    [violation] = violations_of(result, "no-ui")
    [[link]] = violation.chains
    assert link.file == "src/shop/core/models.py"
