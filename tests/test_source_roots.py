"""Root packages found in configured source roots: monorepo layouts with several roots, roots
outside the project, namespace packages split across roots, a missing root, and git baselines
of such a project (the patched graph and the build of the revision's tree)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from baseline.history import History
from fixtures.projects import check, violations_of, write_config, write_tree

import core.baseline_graph
from app.cli import main
from core.check import CheckOptions, check_project
from core.config import load_config
from core.errors import AnalysedCodeError, ConfigError
from core.graph import build_project_graph, project_source_roots, source_root_paths
from core.reports import REPORT_FORMATS

ROOTS = ["libs/core/src", "libs/api/src", "services/web"]
LAYERS = {"id": "layers", "type": "layers", "layers": ["web", "api", "corelib"]}
MONOREPO = {
    "libs/core/src/corelib/money.py": "def add(a, b):\n    return a + b\n",
    "libs/core/src/corelib/audit.py": "import api.routes\n",  # upwards: a violation
    "libs/api/src/api/routes.py": "from corelib.money import add\n",
    "services/web/web/views.py": "import api.routes\nfrom corelib import money\n",
}


def write_monorepo(root: Path, rules=(LAYERS,), **session) -> Path:
    write_tree(root, MONOREPO)
    session.setdefault("source_roots", ROOTS)
    write_config(root, list(rules), root_packages=["corelib", "api", "web"], **session)
    return root


def test_packages_in_several_roots_import_each_other(tmp_path):
    result = check(write_monorepo(tmp_path))

    assert result.graph.modules == 7
    [violation] = violations_of(result, "layers")
    assert (violation.importer, violation.imported) == ("corelib", "api")
    [[link]] = violation.chains
    assert (link.importer, link.imported, link.file, link.line_numbers) == (
        "corelib.audit",
        "api.routes",
        "libs/core/src/corelib/audit.py",
        (1,),
    )
    assert result.project.source_roots == tuple(ROOTS)


def test_files_in_every_root_are_named_relative_to_the_project_root(tmp_path):
    project = build_project_graph(write_monorepo(tmp_path), ["corelib", "api", "web"], source_roots=ROOTS)

    modules = sorted(project.graph.modules)
    project.locate(modules)
    assert project.file_of("web.views") == "services/web/web/views.py"
    assert project.file_of("api") == "libs/api/src/api/__init__.py"
    assert project.package_locations() == {
        "libs/core/src/corelib": "corelib",
        "libs/api/src/api": "api",
        "services/web/web": "web",
    }
    assert all((tmp_path / project.file_of(module)).is_file() for module in modules)


def test_one_root_is_searched_in_order_and_the_default_is_the_root_and_its_src(tmp_path):
    write_tree(tmp_path, {"first/shop/a.py": "", "second/shop/b.py": "", "src/shop/c.py": "", "shop/d.py": ""})

    assert sorted(build_project_graph(tmp_path, ["shop"], source_roots=["second", "first"]).graph.modules) == [
        "shop",
        "shop.b",
    ]
    assert sorted(build_project_graph(tmp_path, ["shop"]).graph.modules) == ["shop", "shop.d"]
    assert source_root_paths(tmp_path) == [tmp_path, tmp_path / "src"]
    assert project_source_roots(tmp_path) == [".", "src"]
    assert project_source_roots(tmp_path, ["libs/../first", "./second/", "../outside"]) == ["first", "second"]


def test_a_root_outside_the_project_is_searched_and_its_files_keep_absolute_paths(tmp_path):
    project_root = tmp_path / "service"
    write_tree(tmp_path, {"shared/common/util.py": "", "service/app/main.py": "import common.util\n"})
    write_config(project_root, [], root_packages=["app", "common"], source_roots=[".", "../shared"])

    result = check(project_root)

    assert result.project.source_roots == (".", str(tmp_path / "shared"))
    project = build_project_graph(project_root, ["app", "common"], source_roots=[".", "../shared"])
    assert project.graph.find_modules_directly_imported_by("app.main") == {"common.util"}
    assert project.file_of("app.main") == "app/main.py"
    assert project.file_of("common.util") == str(tmp_path / "shared" / "common" / "util.py")
    assert project.package_locations() == {"app": "app"}


@pytest.mark.parametrize("root_packages", [["corp"], ["corp.alpha", "corp.beta"]])
def test_a_namespace_package_split_across_roots_is_one_package(tmp_path, root_packages):
    write_tree(
        tmp_path,
        {
            "a/src/corp/alpha/__init__.py": "from corp.beta import thing\n",
            "b/src/corp/beta/__init__.py": "thing = 1\n",
            "b/src/corp/beta/uses.py": "import corp.alpha\n",
        },
    )
    for namespace in ("a/src/corp/__init__.py", "b/src/corp/__init__.py"):
        (tmp_path / namespace).unlink()
    rule = {"id": "apart", "type": "independence", "modules": ["corp.alpha", "corp.beta"]}
    write_config(tmp_path, [rule], root_packages=root_packages, source_roots=["a/src", "b/src"])

    result = check(tmp_path)

    found = {(link.importer, link.imported, link.file) for v in result.violations for chain in v.chains for link in chain}
    assert found == {
        ("corp.alpha", "corp.beta", "a/src/corp/alpha/__init__.py"),
        ("corp.beta.uses", "corp.alpha", "b/src/corp/beta/uses.py"),
    }


def test_a_missing_root_names_the_file_line_and_option(tmp_path):
    config = write_monorepo(tmp_path, source_roots=[*ROOTS, "services/mobile"]) / "strataview.toml"

    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)

    assert caught.value.file == str(config)
    assert caught.value.place == "line 2, option 'source_roots'"
    assert caught.value.message == (
        f"source root 'services/mobile' does not exist ({tmp_path.resolve() / 'services' / 'mobile'})"
    )


def test_a_root_that_is_a_file_and_an_empty_list_are_refused_in_pyproject(tmp_path):
    write_tree(tmp_path, {"shop/a.py": "", "notes.txt": "not a directory\n"})
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\nname = "shop"\n\n[tool.strataview]\nroot_packages = ["shop"]\nsource_roots = ["notes.txt"]\n'
    )

    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert (caught.value.file, caught.value.place) == (str(pyproject), "line 6, option 'source_roots'")
    assert "source root 'notes.txt' is not a directory" in caught.value.message

    pyproject.write_text('[tool.strataview]\nroot_packages = ["shop"]\nsource_roots = []\n')
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.place == "[tool.strataview], option 'source_roots'"
    assert caught.value.message.startswith("must not be empty")


def test_a_package_in_no_root_is_not_found_and_the_message_lists_the_roots(tmp_path):
    write_monorepo(tmp_path)
    write_tree(tmp_path, {"tools/cli/run.py": ""})

    with pytest.raises(AnalysedCodeError) as caught:
        build_project_graph(tmp_path, ["cli"], source_roots=ROOTS, config_file=tmp_path / "strataview.toml")

    places = " or ".join(f"{tmp_path.resolve() / root}/cli" for root in ROOTS)
    assert caught.value.message == f"root package 'cli' cannot be found: there is no {places}, nor on the Python path"
    assert caught.value.place == "root_packages"


def test_cli_check_reports_files_in_the_roots(tmp_path, capsys):
    write_monorepo(tmp_path)

    assert main(["check", str(tmp_path), "--no-cache", "--format", "json"]) == 1

    report = json.loads(capsys.readouterr().out)
    assert report["project"]["source_roots"] == ROOTS
    [violation] = report["violations"]
    assert violation["chains"][0][0]["file"] == "libs/core/src/corelib/audit.py"


def test_a_report_without_the_analysis_finds_files_through_the_recorded_roots(tmp_path):
    result = check(write_monorepo(tmp_path))
    [violation] = result.violations
    chains = tuple(tuple(link.model_copy(update={"file": None}) for link in chain) for chain in violation.chains)
    without_files = violation.model_copy(update={"chains": chains})

    markdown = REPORT_FORMATS["markdown"].render(result.model_copy(update={"violations": (without_files,)}))

    assert "libs/core/src/corelib/audit.py" in markdown


# Git baselines of a monorepo.


class Monorepo:
    """A monorepo's history: the baseline has one upward import; since then a second one was added."""

    def __init__(self, root: Path, roots: list[str] = ROOTS) -> None:
        self.history = History(root)
        write_monorepo(root, source_roots=roots)
        self.baseline = self.history.commit("Baseline")
        self.history.write({"libs/core/src/corelib/report.py": "from web import views\n"})
        self.change = self.history.commit("Corelib reports for the web")

    def check(self, root: Path, **options) -> object:
        return check_project(root, CheckOptions(use_cache=False, baseline=self.baseline, **options))


def statuses(result) -> dict[tuple[str, str], str]:
    return {(v.importer, v.imported): v.status for v in result.violations}


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """The user's cache and temporary folders stay untouched."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "temp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    return tmp_path


@pytest.fixture
def patches(monkeypatch):
    """What each baseline's patch returned: the patched graph, or None for a build of the revision."""
    returned = []
    original = core.baseline_graph.patched_baseline_graph

    def recording(*arguments):
        returned.append(original(*arguments))
        return returned[-1]

    monkeypatch.setattr(core.baseline_graph, "patched_baseline_graph", recording)
    return returned


def test_a_git_baseline_of_a_monorepo_is_patched_from_the_current_graph(isolated, patches):
    repo = Monorepo(isolated / "project")

    result = repo.check(repo.history.root)

    assert len(patches) == 1 and patches[0] is not None
    assert statuses(result) == {("corelib", "api"): "existing", ("corelib", "web"): "new"}
    new = next(v for v in result.violations if v.status == "new")
    assert new.provenance is not None and new.provenance.commit == repo.change
    assert result.drift.modules_added == ("corelib.report",)


def test_the_build_of_the_revision_finds_the_packages_in_the_same_roots(isolated, monkeypatch):
    repo = Monorepo(isolated / "project")
    patched = repo.check(repo.history.root)
    monkeypatch.setattr(core.baseline_graph, "patched_baseline_graph", lambda *arguments: None)

    built = repo.check(repo.history.root)

    assert statuses(built) == statuses(patched) == {("corelib", "api"): "existing", ("corelib", "web"): "new"}
    assert built.drift == patched.drift
    assert built.baseline.warnings == ()


def test_a_root_package_added_since_in_a_new_root_makes_the_baseline_a_build_of_the_revision(isolated, patches):
    repo = Monorepo(isolated / "project")
    write_tree(repo.history.root, {"services/admin/admin/panel.py": "import web.views\n"})
    rules = [LAYERS, {"id": "admin-apart", "type": "forbidden", "source_modules": ["corelib"], "forbidden_modules": ["admin"]}]
    write_config(
        repo.history.root, rules, root_packages=["corelib", "api", "web", "admin"], source_roots=[*ROOTS, "services/admin"]
    )
    repo.history.write({"libs/core/src/corelib/hooks.py": "import admin.panel\n"})

    result = repo.check(repo.history.root)

    assert patches == [None]
    assert statuses(result) == {("corelib", "api"): "existing", ("corelib", "web"): "new", ("corelib", "admin"): "new"}
    assert "root package 'admin' does not exist at the baseline; all its modules count as added" in result.baseline.warnings
    assert "admin.panel" in result.drift.modules_added
    uncommitted = next(v for v in result.violations if v.imported == "admin")
    assert uncommitted.provenance is not None and uncommitted.provenance.commit is None


def test_a_baseline_of_a_project_in_a_subdirectory_with_a_root_outside_it(isolated, patches):
    history = History(isolated / "repository")
    write_tree(history.root, {"shared/common/util.py": "", "service/app/main.py": "import common.util\n"})
    rule = {"id": "app-apart", "type": "forbidden", "source_modules": ["common"], "forbidden_modules": ["app"]}
    write_config(history.root / "service", [rule], root_packages=["app", "common"], source_roots=[".", "../shared"])
    baseline = history.commit("Baseline")
    history.write({"shared/common/late.py": "import app.main\n"})
    history.commit("Common reaches into the app")

    result = check_project(history.root / "service", CheckOptions(use_cache=False, baseline=baseline))

    # A root outside the project is read as it is now, at the baseline too: its import is not new.
    assert patches == [None]
    assert statuses(result) == {("common", "app"): "existing"}
    assert result.violations[0].chains[0][0].file == str(history.root / "shared" / "common" / "late.py")
