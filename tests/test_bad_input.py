"""Bad input: one clear message on stderr naming the file, the place and the offending value,
exit code 2, no traceback, and not one of the user's files touched."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

import core
from app.cli import main

REPOSITORY = Path(core.__file__).resolve().parent.parent

PYPROJECT = """
    [project]
    name = "shop"

    [tool.strataview]
    root_packages = ["shop"]

    [[tool.strataview.rules]]
    id = "layers"
    name = "ui over api over core"
    type = "layers"
    layers = ["shop.ui", "shop.api | shop.cli", "(shop.admin)", "shop.core"]
    ignore_imports = ["shop.core.legacy -> shop.ui.**"]

    [[tool.strataview.rules]]
    id = "no-db-in-ui"
    type = "forbidden"
    source_modules = ["shop.ui"]
    forbidden_modules = ["shop.db"]
"""

SOURCES = {
    "shop/__init__.py": "",
    "shop/ui/__init__.py": "",
    "shop/ui/views.py": "from shop.api import orders\n",
    "shop/api/__init__.py": "",
    "shop/api/orders.py": "from shop.core import prices\n",
    "shop/cli/__init__.py": "",
    "shop/core/__init__.py": "",
    "shop/core/prices.py": "PRICE = 1\n",
    "shop/core/legacy.py": "import shop.ui.views\n",
    "shop/db/__init__.py": "",
}


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "project"
    for relative, source in SOURCES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    (root / "pyproject.toml").write_text(textwrap.dedent(PYPROJECT).lstrip(), encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every directory, so that any change or new entry shows."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes() if path.is_file() else None
        for path in sorted(root.rglob("*"))
    }


def edit_pyproject(old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / "pyproject.toml"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def write_file(relative: str, content: str | bytes) -> Callable[[Path], None]:
    def write(root: Path) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return write


def replace_config_with(name: str, text: str) -> Callable[[Path], None]:
    def write(root: Path) -> None:
        (root / "pyproject.toml").unlink()
        (root / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")

    return write


CASES = {
    "toml syntax error": (
        edit_pyproject('name = "ui over api over core"', 'name = "ui over api over core'),
        [],
        "{root}/pyproject.toml:line 9, column 30: TOML syntax error: Illegal character '\\n'",
    ),
    "ini syntax error": (
        replace_config_with(
            ".importlinter",
            """
            [importlinter]
            root_package = shop

            [importlinter:contract:layers]
            name = Layers
            type = layers
            layers
                shop.ui
            """,
        ),
        [],
        "{root}/.importlinter:line 7: INI syntax error: cannot parse 'layers' "
        "(expected 'option = value' or a [section] header)",
    ),
    "unknown rule type": (
        edit_pyproject('type = "forbidden"', 'type = "forbiden"'),
        [],
        "{root}/pyproject.toml:line 14, rule 'no-db-in-ui': unknown rule type 'forbiden' (did you mean "
        "'forbidden'?); known types: layers, forbidden, independence, protected, acyclic_siblings, "
        "private_modules, acyclic, coverage, interface, dependencies, contract_types, contract_stability, external, "
        "ignore_comments",
    ),
    "unknown option": (
        edit_pyproject("forbidden_modules =", "forbiden_modules ="),
        [],
        "{root}/pyproject.toml:line 14, rule 'no-db-in-ui': unknown option 'forbiden_modules' "
        "(did you mean 'forbidden_modules'?)",
    ),
    "unknown session option": (
        edit_pyproject("root_packages =", "root_package ="),
        [],
        "{root}/pyproject.toml:[tool.strataview]: unknown option 'root_package' (did you mean 'root_packages'?)",
    ),
    "layer that does not exist": (
        edit_pyproject('"shop.core"]', '"shop.domain"]'),
        [],
        "{root}/pyproject.toml:line 7, rule 'layers', option 'layers': layer module 'shop.domain' does not exist",
    ),
    "module that does not exist": (
        edit_pyproject('forbidden_modules = ["shop.db"]', 'forbidden_modules = ["shop.database"]'),
        [],
        "{root}/pyproject.toml:line 14, rule 'no-db-in-ui', option 'forbidden_modules': "
        "module 'shop.database' does not exist",
    ),
    "wildcard inside a name": (
        edit_pyproject("shop.ui.**", "shop.foo*"),
        [],
        "{root}/pyproject.toml:line 7, rule 'layers', option 'ignore_imports': "
        "'shop.foo*': a wildcard can only replace a whole module name.",
    ),
    "wildcard after a recursive wildcard": (
        edit_pyproject('source_modules = ["shop.ui"]', 'source_modules = ["shop.**.*"]'),
        [],
        "{root}/pyproject.toml:line 14, rule 'no-db-in-ui', option 'source_modules': "
        "'shop.**.*': a recursive wildcard cannot be followed by a wildcard.",
    ),
    "syntax error in an analysed file": (
        write_file("shop/api/payments.py", "import shop.core\n\ndef pay(amount)\n    return amount\n"),
        [],
        "shop/api/payments.py:line 3: syntax error: def pay(amount)",
    ),
    "root package that cannot be found": (
        edit_pyproject('root_packages = ["shop"]', 'root_packages = ["shop", "shop_plugins"]'),
        [],
        "{root}/pyproject.toml:root_packages: root package 'shop_plugins' cannot be found: "
        "there is no {root}/shop_plugins, nor on the Python path",
    ),
    "analysed file that is not UTF-8": (
        write_file("shop/core/names.py", b"# Prices\nCAFE = 'caf\xe9'\n"),
        [],
        "shop/core/names.py:line 2: file is not UTF-8 (Strataview reads analysed code as UTF-8)",
    ),
    "empty package": (
        lambda root: (
            edit_pyproject('root_packages = ["shop"]', 'root_packages = ["shop", "plugins"]')(root),
            write_file("plugins/README.txt", "nothing here yet\n")(root),
        ),
        [],
        "{root}/pyproject.toml:root_packages: root package 'plugins' is empty: plugins/ holds no Python modules",
    ),
    "config file that does not exist": (
        lambda root: None,
        ["--config", "{root}/architecture.toml"],
        "{root}/architecture.toml: configuration file does not exist",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_input_gives_one_clear_message_and_touches_nothing(project, capsys, case):
    change, extra, expected = CASES[case]
    change(project)
    before = snapshot(project)
    arguments = [argument.format(root=project) for argument in extra]
    code = main(["check", str(project), *arguments])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err == f"strataview: error: {expected.format(root=project.resolve())}\n"
    assert snapshot(project) == before


def test_the_same_configuration_is_fine_when_nothing_is_wrong(project, capsys):
    """The cases above differ from a working project only by the mistake (and `(shop.admin)` is
    an optional layer: its absence is no error)."""
    before = snapshot(project)
    assert main(["check", str(project)]) == 0
    assert capsys.readouterr().err == ""
    assert snapshot(project) == before


def test_an_unknown_format_is_a_usage_error_in_one_line(project, capsys):
    before = snapshot(project)
    assert main(["check", str(project), "--format", "xml"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "strataview check: error: argument --format: invalid choice: 'xml' (choose from 'text', 'json', 'sarif', "
        "'html', 'markdown', 'junit', 'github') "
        "(see 'strataview check --help')\n"
    )
    assert snapshot(project) == before


def test_an_error_leaves_an_earlier_report_in_place(project, tmp_path, capsys):
    report = tmp_path / "report.json"
    report.write_text('{"earlier": true}\n', encoding="utf-8")
    CASES["unknown option"][0](project)
    assert main(["check", str(project), "--format", "json", "--output", str(report)]) == 2
    assert report.read_text(encoding="utf-8") == '{"earlier": true}\n'
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    "case", ["toml syntax error", "syntax error in an analysed file", "analysed file that is not UTF-8"]
)
def test_a_real_process_shows_no_traceback(project, tmp_path, case):
    change, _, expected = CASES[case]
    change(project)
    before = snapshot(project)
    completed = subprocess.run(
        [sys.executable, "-m", "app", "check", str(project)],
        capture_output=True, text=True, cwd=REPOSITORY, timeout=60,
        env=os.environ | {"XDG_CACHE_HOME": str(tmp_path / "user-cache")},
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr == f"strataview: error: {expected.format(root=project.resolve())}\n"
    assert snapshot(project) == before


def test_a_real_process_with_an_unknown_format_shows_no_traceback(project):
    completed = subprocess.run(
        [sys.executable, "-m", "app", "check", str(project), "--format", "xml"],
        capture_output=True, text=True, cwd=REPOSITORY, timeout=60,
    )
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert completed.stderr.count("\n") == 1
    assert "invalid choice: 'xml'" in completed.stderr
