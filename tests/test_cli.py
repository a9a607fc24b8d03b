"""`strataview check`: report formats, --output, exit codes, progress, cache and graph options."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import core
from app import cli
from app.cli import main
from fixtures.projects import write_project

REPOSITORY = Path(core.__file__).resolve().parent.parent

SHOP = {
    "shop/ui/views.py": "from shop.api import orders\n",
    "shop/api/orders.py": "from shop.core import prices\n",
    "shop/core/prices.py": "\nfrom shop.ui import views\n",
    "shop/core/legacy.py": "import shop.ui.views\n",
}
LAYERS = {
    "id": "layers",
    "name": "ui over api over core",
    "type": "layers",
    "layers": ["shop.ui", "shop.api", "shop.core"],
    "ignore_imports": ["shop.core.legacy -> shop.ui.**", "shop.cli.** -> shop.core"],
    "unmatched_ignore_imports_alerting": "warn",
}
KEPT = {"id": "ui-alone", "name": "the ui stands alone", "type": "independence", "modules": ["shop.ui"]}
ALSO_KEPT = {"id": "api-alone", "type": "independence", "modules": ["shop.api"]}


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Every run caches under the test's own directory, never in the real user cache."""
    cache = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    return cache


@pytest.fixture
def shop(tmp_path) -> Path:
    return write_project(tmp_path / "shop-project", SHOP, [KEPT, LAYERS, ALSO_KEPT])


def run_json(capsys, *arguments: str) -> tuple[int, dict]:
    code = main(["check", *arguments, "--format", "json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out)


def test_json_report_has_exactly_the_documented_shape(shop, capsys):
    code, report = run_json(capsys, str(shop), "--no-cache")
    assert code == 1
    assert list(report) == ["schema_version", "tool", "project", "graph", "rules", "violations", "errors"]
    assert report["schema_version"] == 1
    assert report["tool"] == {"name": "strataview", "version": core.__version__}
    assert report["project"] == {
        "root": str(shop.resolve()),
        "root_packages": ["shop"],
        "config": "strataview.toml",
        "source_roots": ["."],
    }
    assert report["graph"] == {"modules": 8, "imports": 4}
    assert report["errors"] == []

    rules = {rule["id"]: rule for rule in report["rules"]}
    assert [rule["id"] for rule in report["rules"]] == ["ui-alone", "layers", "api-alone"]
    for rule in report["rules"]:
        assert set(rule) == {"id", "name", "type", "kept", "violations", "ignored", "unmatched_ignores", "warnings", "guidance"}
    assert rules["ui-alone"] | {"ignored": None} == {
        "id": "ui-alone", "name": "the ui stands alone", "type": "independence", "kept": True, "violations": 0,
        "ignored": None, "unmatched_ignores": [], "warnings": [], "guidance": None,
    }
    layers = rules["layers"]
    assert (layers["name"], layers["type"], layers["kept"], layers["violations"]) == (
        "ui over api over core", "layers", False, 1
    )
    assert layers["ignored"] == [
        {"importer": "shop.core.legacy", "imported": "shop.ui.views", "file": "shop/core/legacy.py", "line": 1,
         "line_contents": "import shop.ui.views", "expression": "shop.core.legacy -> shop.ui.**"}
    ]
    assert layers["unmatched_ignores"] == ["shop.cli.** -> shop.core"]
    assert rules["api-alone"]["name"] == "api-alone"

    [violation] = report["violations"]
    assert list(violation) == [
        "fingerprint", "rule", "type", "message", "importer", "imported", "chains", "file", "line", "detail"
    ]
    assert (violation["file"], violation["line"], violation["detail"]) == (None, None, None)
    assert (violation["rule"], violation["type"], violation["importer"], violation["imported"]) == (
        "layers", "layers", "shop.core", "shop.ui"
    )
    assert violation["message"] == "shop.core is not allowed to import shop.ui"
    assert len(violation["fingerprint"]) >= 16
    assert violation["chains"] == [
        [
            {"importer": "shop.core.prices", "imported": "shop.ui.views", "line_numbers": [2],
             "line_contents": ["from shop.ui import views"], "file": "shop/core/prices.py"}
        ]
    ]


def test_text_report_groups_by_rule_with_file_line_steps_and_a_summary(shop, capsys):
    assert main(["check", str(shop), "--no-cache"]) == 1
    captured = capsys.readouterr()
    assert captured.err == ""
    lines = captured.out.splitlines()
    assert lines[0].startswith(f"Strataview {core.__version__} · {shop.resolve()} · root packages: shop")
    assert lines[1] == "8 modules, 4 imports"
    body = "\n".join(lines[2:])
    assert body == "\n".join(
        [
            "",
            "KEPT   the ui stands alone [ui-alone, independence]",
            "",
            "BROKEN ui over api over core [layers, layers] (1 violation)",
            "  - shop.core is not allowed to import shop.ui",
            "      shop/core/prices.py:2  shop.core.prices -> shop.ui.views  from shop.ui import views",
            "  warning: ignore_imports expression 'shop.cli.** -> shop.core' matched no import",
            "  ignored by ignore_imports (1):",
            "      shop/core/legacy.py:1  shop.core.legacy -> shop.ui.views",
            "  ignore_imports that matched nothing (prune them):",
            "      shop.cli.** -> shop.core",
            "",
            "KEPT   api-alone [api-alone, independence]",
            "",
            "3 rules: 2 kept, 1 broken; 1 violation; 1 ignored import",
        ]
    )


def test_consecutive_kept_rules_are_compact(tmp_path, capsys):
    project = write_project(tmp_path / "p", {"shop/a.py": "", "shop/b.py": ""}, [
        {"id": "one", "type": "independence", "modules": ["shop.a", "shop.b"]},
        {"id": "two", "type": "independence", "modules": ["shop.a"]},
        {"id": "three", "type": "acyclic", "packages": ["shop"]},
    ])
    assert main(["check", str(project), "--no-cache"]) == 0
    out = capsys.readouterr().out
    assert out.endswith(
        "\n\nKEPT   one [one, independence]\nKEPT   two [two, independence]\nKEPT   three [three, acyclic]\n\n"
        "3 rules: 3 kept, 0 broken; 0 violations\n"
    )


def test_exit_codes(shop, tmp_path, capsys):
    kept = write_project(tmp_path / "kept", {"shop/a.py": ""}, [KEPT | {"modules": ["shop.a"]}])
    assert main(["check", str(kept), "--no-cache"]) == 0
    assert main(["check", str(shop), "--no-cache"]) == 1
    assert main(["check", str(tmp_path / "nowhere"), "--no-cache"]) == 2
    assert main(["check", str(shop), "--format", "yaml"]) == 2
    assert main([]) == 2
    capsys.readouterr()
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"strataview {core.__version__}\n"


def test_the_default_path_is_the_working_directory(shop, capsys, monkeypatch):
    monkeypatch.chdir(shop)
    assert main(["check", "--no-cache", "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["project"]["root"] == str(shop.resolve())


def test_output_writes_the_report_to_a_file_and_nothing_to_stdout(shop, tmp_path, capsys):
    target = tmp_path / "reports" / "check.json"
    target.parent.mkdir()
    assert main(["check", str(shop), "--no-cache", "--format", "json", "--output", str(target)]) == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "")
    assert json.loads(target.read_text(encoding="utf-8"))["violations"][0]["rule"] == "layers"
    assert [path.name for path in target.parent.iterdir()] == ["check.json"]


def test_output_replaces_a_file_atomically_and_keeps_it_if_writing_fails(shop, tmp_path, capsys, monkeypatch):
    target = tmp_path / "check.txt"
    target.write_text("previous report\n", encoding="utf-8")
    target.chmod(0o640)

    def failing_replace(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    assert main(["check", str(shop), "--no-cache", "--output", str(target)]) == 2
    err = capsys.readouterr().err
    assert err == f"strataview: error: {target}: cannot write the report: No space left on device\n"
    assert target.read_text(encoding="utf-8") == "previous report\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["check.txt", "shop-project"]

    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    assert main(["check", str(shop), "--no-cache", "--output", str(target)]) == 1
    assert target.read_text(encoding="utf-8").splitlines()[-1] == "3 rules: 2 kept, 1 broken; 1 violation; 1 ignored import"
    assert target.stat().st_mode & 0o777 == 0o640


def test_output_through_a_symbolic_link_keeps_the_link(shop, tmp_path, capsys):
    real = tmp_path / "real.json"
    real.write_text("{}", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert main(["check", str(shop), "--no-cache", "--format", "json", "--output", str(link)]) == 1
    assert link.is_symlink()
    assert json.loads(real.read_text(encoding="utf-8"))["schema_version"] == 1


def test_an_error_in_json_format_is_also_a_json_report(tmp_path, capsys):
    project = write_project(tmp_path / "p", {"shop/a.py": ""}, [{"id": "x", "type": "layers", "layers": ["shop.nope"]}])
    assert main(["check", str(project), "--no-cache", "--format", "json"]) == 2
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["errors"] == [
        {"message": "layer module 'shop.nope' does not exist", "file": str(project.resolve() / "strataview.toml"),
         "place": "line 3, rule 'x', option 'layers'"}
    ]
    assert (report["rules"], report["violations"]) == ([], [])
    assert captured.err.count("\n") == 1 and "shop.nope" in captured.err


# Progress ------------------------------------------------------------------------------------


class _PseudoTerminal:
    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        fcntl.fcntl(self.master, fcntl.F_SETFL, fcntl.fcntl(self.master, fcntl.F_GETFL) | os.O_NONBLOCK)
        self.stream = open(self.slave, "w", encoding="utf-8", closefd=False)

    def read(self) -> str:
        chunks = []
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except BlockingIOError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode("utf-8")

    def close(self) -> None:
        self.stream.close()
        os.close(self.slave)
        os.close(self.master)


@pytest.fixture
def terminal(monkeypatch):
    """A pseudo-terminal; `attach()` it in the test body, where capture no longer replaces stderr."""
    tty = _PseudoTerminal()
    tty.attach = lambda: monkeypatch.setattr(sys, "stderr", tty.stream)
    yield tty
    tty.close()


def test_progress_shows_on_a_terminal_once_the_work_is_slow_and_never_on_stdout(shop, terminal, capsys, monkeypatch):
    terminal.attach()
    monkeypatch.setattr(cli._ProgressLine, "DELAY", 0.0)
    assert main(["check", str(shop), "--no-cache"]) == 1
    shown = terminal.read()
    assert "Building the import graph…" in shown
    assert "Checking rule 3 of 3: api-alone…" in shown
    assert shown.endswith("\r\033[K")  # the line is erased at the end
    out = capsys.readouterr().out
    assert "Checking rule" not in out and "\033[K" not in out


def test_progress_appears_during_a_long_step_without_waiting_for_the_next(shop, terminal, capsys, monkeypatch):
    import core.check

    build = core.check.build_project_graph
    shown_while_building: list[str] = []

    def slow_build(*arguments, **options):
        time.sleep(0.5)
        shown_while_building.append(terminal.read())
        return build(*arguments, **options)

    terminal.attach()
    monkeypatch.setattr(cli._ProgressLine, "DELAY", 0.1)
    monkeypatch.setattr(core.check, "build_project_graph", slow_build)
    assert main(["check", str(shop), "--no-cache"]) == 1
    assert shown_while_building == ["\r\033[KBuilding the import graph…"]


def test_no_progress_on_a_fast_run(shop, terminal, capsys):
    terminal.attach()
    assert main(["check", str(shop), "--no-cache"]) == 1
    assert terminal.read() == ""


def test_no_progress_when_stderr_is_not_a_terminal(shop, capsys, monkeypatch):
    monkeypatch.setattr(cli._ProgressLine, "DELAY", 0.0)
    assert main(["check", str(shop), "--no-cache"]) == 1
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "Building" not in captured.out


def test_a_redirected_subprocess_run_shows_no_progress(shop, tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "app", "check", str(shop), "--no-cache"],
        capture_output=True, text=True, cwd=REPOSITORY, timeout=60,
        env=os.environ | {"XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    assert completed.returncode == 1
    assert completed.stderr == ""
    assert completed.stdout.splitlines()[-1] == "3 rules: 2 kept, 1 broken; 1 violation; 1 ignored import"


def test_the_command_line_starts_without_loading_networkx():
    """networkx costs a tenth of a second at every start-up: only the rules that need it load it."""
    completed = subprocess.run(
        [sys.executable, "-c", "import sys, app.cli, core.check, core.config.discovery; print('networkx' in sys.modules)"],
        capture_output=True, text=True, cwd=REPOSITORY, timeout=60, check=False,
    )
    assert completed.stdout.strip() == "False", completed.stderr


# Cache and graph options -----------------------------------------------------------------


def _change_without_touching_mtime(path: Path, text: str) -> None:
    status = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))


def test_the_cache_is_made_in_the_users_cache_dir_and_used_by_the_next_run(tmp_path, private_cache, capsys):
    project = write_project(tmp_path / "p", {"shop/a.py": "", "shop/b.py": ""}, [])
    assert run_json(capsys, str(project))[1]["graph"]["imports"] == 0
    [cache_dir] = (private_cache / "strataview" / "grimp").iterdir()
    assert cache_dir.name.startswith("p-")
    assert any(path.name.endswith(".data.json") for path in cache_dir.rglob("*"))

    # grimp trusts a file's modification time: an unchanged time means the cached imports are used.
    _change_without_touching_mtime(project / "shop" / "a.py", "import shop.b\n")
    assert run_json(capsys, str(project))[1]["graph"]["imports"] == 0
    assert run_json(capsys, str(project), "--no-cache")[1]["graph"]["imports"] == 1


def test_no_cache_writes_no_cache(shop, private_cache, capsys):
    assert main(["check", str(shop), "--no-cache"]) == 1
    assert not private_cache.exists()
    assert sorted(path.name for path in shop.rglob("*") if path.is_file()) == [
        "__init__.py", "__init__.py", "__init__.py", "__init__.py", "legacy.py", "orders.py", "prices.py",
        "strataview.toml", "views.py",
    ]


def test_graph_options_on_the_command_line_override_the_configuration(tmp_path, capsys):
    files = {
        "shop/api.py": "import json\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from shop import models\n",
        "shop/models.py": "",
    }
    rule = {"id": "api-not-models", "type": "forbidden", "source_modules": ["shop.api"],
            "forbidden_modules": ["shop.models"]}
    project = write_project(tmp_path / "p", files, [rule], include_external_packages=True)

    code, report = run_json(capsys, str(project), "--no-cache")
    assert (code, report["graph"]["modules"]) == (1, 5)  # shop, shop.api, shop.models, json, typing
    code, report = run_json(capsys, str(project), "--no-cache", "--no-include-external-packages")
    assert (code, report["graph"]["modules"]) == (1, 3)
    code, report = run_json(capsys, str(project), "--no-cache", "--exclude-type-checking-imports")
    assert (code, report["violations"]) == (0, [])

    (project / "strataview.toml").write_text(
        (project / "strataview.toml").read_text(encoding="utf-8").replace(
            "include_external_packages = true", "exclude_type_checking_imports = true"
        ),
        encoding="utf-8",
    )
    assert run_json(capsys, str(project), "--no-cache")[0] == 0
    assert run_json(capsys, str(project), "--no-cache", "--no-exclude-type-checking-imports")[0] == 1
    assert run_json(capsys, str(project), "--no-cache", "--include-external-packages")[1]["graph"]["modules"] == 5


def test_config_option_picks_an_import_linter_file(tmp_path, capsys):
    project = write_project(tmp_path / "p", SHOP, [KEPT])
    contracts = project / "contracts.ini"
    contracts.write_text(
        "[importlinter]\nroot_package = shop\n\n[importlinter:contract:core-below-ui]\n"
        "name = Core below UI\ntype = layers\nlayers =\n    shop.ui\n    shop.core\n",
        encoding="utf-8",
    )
    code, report = run_json(capsys, str(project), "--no-cache", "--config", str(contracts))
    assert code == 1
    assert [(rule["id"], rule["name"]) for rule in report["rules"]] == [("core-below-ui", "Core below UI")]
    assert report["project"]["config"] == "contracts.ini"
