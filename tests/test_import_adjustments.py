"""What the graph holds beyond grimp's scan, with native options: ignore comments (and the
`ignore_comments` rule keeping them honest), imports inside blocks, string imports and git-ignored
files; and what a check costs while they are off."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from baseline.history import History
from core import git, import_adjustments
from core.baseline_graph import patched_baseline_graph
from core.check import CheckOptions, check_project
from core.config import load_config
from core.errors import ConfigError
from core.graph import ProjectGraph, build_project_graph
from core.import_adjustments import AdjustmentOptions, find_ignore_comments
from fixtures.projects import check, rule_result, violations_of, write_project

LAYERS = {"id": "layers", "type": "layers", "layers": ["shop.ui", "shop.core"]}
UI = {"shop/ui/views.py": "def render():\n    pass\n", "shop/ui/widgets.py": "VALUE = 1\n"}


def lines_of(result, rule_id: str = "layers") -> dict[tuple[str, str], tuple[int, ...]]:
    """Each violating direct import of the rule, with its lines."""
    return {
        (link.importer, link.imported): link.line_numbers
        for violation in violations_of(result, rule_id)
        for chain in violation.chains
        for link in chain
    }


def test_an_ignore_comment_takes_out_its_lines_import_only(tmp_path):
    core = """\
        import shop.ui.views  # strataview-ignore(wired by the plugin loader)
        from shop.ui import views
        # strataview-ignore
        from shop.ui import (
            widgets,
        )
        from shop.ui import (
            views,  # strataview-ignore
        )
        import shop.ui.widgets  # strataview-ignore shop.ui.views
        import shop.ui.views  # strataview-ignore, but not with a comma
    """
    write_project(tmp_path, {**UI, "shop/core/models.py": core}, [LAYERS], ignore_comments=["strataview-ignore"])

    result = check(tmp_path)

    assert lines_of(result) == {
        ("shop.core.models", "shop.ui.views"): (2, 11),
        ("shop.core.models", "shop.ui.widgets"): (10,),
    }
    assert rule_result(result, "layers").ignored == ()  # not the rule's ignore_imports


def test_a_comment_naming_names_takes_out_only_those_names(tmp_path):
    files = {
        "shop/billing/__init__.py": "from shop.billing.api import charge\nfrom shop.billing.ledger import Ledger\n",
        "shop/billing/api.py": "def charge():\n    pass\n",
        "shop/billing/ledger.py": "class Ledger:\n    pass\n",
        "shop/orders/service.py": "from shop.billing import charge, Ledger  # strataview-ignore Ledger\n"
        "from shop.billing import Ledger  # strataview-ignore billing.Ledger\n"
        "from shop.billing import Ledger as Book  # strataview-ignore Book\n",
    }
    surface = {"id": "billing", "type": "interface", "boundary": "shop.billing", "public": ["shop.billing.api"]}

    result = write_and_check(tmp_path, files, [surface], ignore_comments=["strataview-ignore"])

    # The name a comment lists by the end of its path is taken out; an alias is no name.
    [violation] = violations_of(result, "billing")
    assert violation.message == "shop.orders.service imports shop.billing.Ledger from inside shop.billing"
    assert violation.chains[0][0].line_numbers == (3,)


def write_and_check(root: Path, files, rules, **session):
    write_project(root, files, rules, **session)
    return check(root)


def test_an_ignore_comments_word_is_a_plain_word(tmp_path):
    write_project(tmp_path, UI, [LAYERS], root_packages=["shop"], ignore_comments=["tach ignore"])

    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)

    assert raised.value.file == str(tmp_path / "strataview.toml")
    assert "ignore_comments" in raised.value.place and "no spaces" in raised.value.message


def test_comments_that_take_out_nothing_or_give_no_reason(tmp_path):
    core = """\
        import shop.ui.views  # strataview-ignore(the old renderer)
        import shop.ui.widgets  # strataview-ignore
        import shop.core.other  # strataview-ignore
        VALUE = 1  # strataview-ignore(nothing here)
        # strataview-ignore
        import shop.ui.views  # strataview-ignore(a second one for the line)
        import json  # strataview-ignore
    """
    rule = {"id": "comments", "type": "ignore_comments", "comment": "strataview-ignore", "missing_reason": "warn"}
    files = {**UI, "shop/core/models.py": core, "shop/core/other.py": ""}
    result = write_and_check(tmp_path, files, [LAYERS, rule], ignore_comments=["strataview-ignore"])

    unused = violations_of(result, "comments")
    assert [(v.file, v.line) for v in unused] == [("shop/core/models.py", line) for line in (3, 4, 6)]
    assert unused[0].message == "ignore comment '# strataview-ignore' in shop.core.models is unused"
    assert "takes out no import that a rule would report" in unused[0].detail
    assert "already covers the same line" in unused[2].detail
    # Without a reason: lines 2, 3 and 5; never on an import from outside the project (line 7).
    assert rule_result(result, "comments").warnings == tuple(
        f"shop/core/models.py:{line}: ignore comment '# strataview-ignore' in shop.core.models gives no reason"
        for line in (2, 3, 5)
    )
    assert rule_result(result, "layers").kept

    # Fingerprints rest on the module and the comment, not on lines.
    (tmp_path / "shop/core/models.py").write_text("\n\n" + textwrap.dedent(core))
    moved = violations_of(check(tmp_path), "comments")
    assert [v.fingerprint for v in moved] == [v.fingerprint for v in unused]
    assert [v.line for v in moved] == [5, 6, 8]


def test_a_comment_silencing_one_name_of_a_multi_line_import_is_used(tmp_path):
    core = """\
        from shop.ui import (
            views,  # strataview-ignore
            widgets,
        )
    """
    rule = {"id": "comments", "type": "ignore_comments", "comment": "strataview-ignore"}
    result = write_and_check(tmp_path, {**UI, "shop/core/models.py": core}, [LAYERS, rule], ignore_comments=["strataview-ignore"])

    assert lines_of(result) == {("shop.core.models", "shop.ui.widgets"): (1,)}
    assert rule_result(result, "comments").kept


def test_the_rule_needs_its_word_honoured_to_find_unused_comments(tmp_path):
    rule = {"id": "comments", "type": "ignore_comments", "comment": "tach-ignore"}
    write_project(tmp_path, {**UI, "shop/core/models.py": ""}, [LAYERS, rule], ignore_comments=["strataview-ignore"])

    with pytest.raises(ConfigError) as raised:
        check(tmp_path)

    assert raised.value.file == str(tmp_path / "strataview.toml")
    assert "rule 'comments'" in raised.value.place and "option 'comment'" in raised.value.place
    assert "not among the session's ignore_comments" in raised.value.message


LOCAL = """\
    import shop.ui.widgets


    def render():
        import shop.ui.views
        return shop.ui.views


    if True:
        from shop.ui import views
"""


@pytest.mark.parametrize("setting", ["error", "warn", "none"])
def test_imports_inside_blocks(tmp_path, setting):
    result = write_and_check(tmp_path, {**UI, "shop/core/models.py": LOCAL}, [LAYERS], local_imports=setting)

    expected = {("shop.core.models", "shop.ui.widgets"): (1,)}
    if setting == "error":
        expected[("shop.core.models", "shop.ui.views")] = (5, 10)
    assert lines_of(result) == expected
    warnings = rule_result(result, "layers").warnings
    if setting == "warn":
        assert warnings == tuple(
            f"shop/core/models.py:{line}: shop.core is not allowed to import shop.ui "
            "(an import inside a block; such imports only warn)"
            for line in (5, 10)
        )
    else:
        assert warnings == ()


def test_string_imports(tmp_path):
    files = {
        **UI,
        "shop/billing/__init__.py": "from shop.billing.api import charge\n",
        "shop/billing/api.py": "def charge():\n    pass\n",
        "shop/billing/ledger.py": "class Ledger:\n    pass\n",
        "shop/core/plugins.py": 'RENDERER = "shop.ui.views.render"\nNAMES = ["shop.ui", f"shop.ui.views"]\n'
        'LEDGER = "shop.billing.ledger.Ledger"\nCHARGE = "shop.billing.charge"\n',
    }
    surface = {"id": "billing", "type": "interface", "boundary": "shop.billing", "public": ["shop.billing.api"]}

    result = write_and_check(tmp_path, files, [LAYERS, surface], include_string_imports=True)

    assert lines_of(result) == {("shop.core.plugins", "shop.ui.views"): (1,)}
    [link] = violations_of(result, "layers")[0].chains[0]
    assert link.line_contents == ('RENDERER = "shop.ui.views.render"',)
    # The interface judges the name a string takes, as it judges an imported one.
    [private] = violations_of(result, "billing")
    assert (private.importer, private.imported, private.line) == ("shop.core.plugins", "shop.billing.ledger", 3)


GENERATED = {**UI, "shop/core/generated.py": "import shop.ui.views\n", "shop/core/models.py": "import shop.core.generated\n"}


@pytest.mark.parametrize(
    ("setting", "in_repository", "ignored"),
    [
        (True, False, True),
        (True, True, True),
        ("if_git_repo", True, True),
        ("if_git_repo", False, False),
        (False, True, False),
    ],
)
def test_git_ignored_files_import_nothing(tmp_path, setting, in_repository, ignored):
    if in_repository:
        History(tmp_path)
    write_project(tmp_path, {**GENERATED, ".gitignore": "generated.py\n"}, [LAYERS], respect_gitignore=setting)

    result = check(tmp_path)

    assert bool(lines_of(result)) != ignored
    assert result.graph.modules == 7  # the ignored module stays, and may be imported


def test_ignore_files_count_outside_a_repository_too(tmp_path):
    write_project(tmp_path, {**GENERATED, "shop/core/.ignore": "generated.py\n"}, [LAYERS], respect_gitignore="if_git_repo")

    assert lines_of(check(tmp_path)) == {}


def test_a_file_ignored_after_it_was_committed_is_ignored(tmp_path):
    history = History(tmp_path)
    write_project(tmp_path, GENERATED, [LAYERS], respect_gitignore=True)
    history.commit("Generated code")
    (tmp_path / ".gitignore").write_text("shop/core/generated.py\n")

    assert lines_of(check(tmp_path)) == {}


@pytest.mark.parametrize("in_repository", [True, False])
def test_the_users_global_excludes_file_is_not_consulted(tmp_path, monkeypatch, in_repository):
    """git's default global excludes file (`$XDG_CONFIG_HOME/git/ignore`) is the user's own: a
    check must not depend on it."""
    (tmp_path / "config" / "git").mkdir(parents=True)
    (tmp_path / "config" / "git" / "ignore").write_text("generated.py\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    project = tmp_path / "project"
    if in_repository:
        History(project)
    write_project(project, GENERATED, [LAYERS], respect_gitignore=True)

    assert lines_of(check(project)) == {("shop.core.generated", "shop.ui.views"): (1,)}


def test_while_every_option_is_off_no_source_is_read(tmp_path, monkeypatch):
    write_project(tmp_path, {**UI, "shop/core/models.py": "import shop.ui.views  # tach-ignore\n"}, [LAYERS])

    def never(*_):
        raise AssertionError("a source was read")

    monkeypatch.setattr(ProjectGraph, "source_bytes_of", never)
    result = check(tmp_path)

    assert lines_of(result) == {("shop.core.models", "shop.ui.views"): (1,)}


def test_only_files_holding_what_is_looked_for_are_parsed(tmp_path, monkeypatch):
    files = {
        **UI,
        "shop/core/a.py": "import shop.ui.views  # tach-ignore\n",
        "shop/core/b.py": "import shop.ui.views\n",
        "shop/core/c.py": "def f():\n    import shop.ui.views\n",
        "shop/core/d.py": 'NAME = "shop.ui.views"\n',
        "shop/core/e.py": "import shop.ui.widgets  # other words\nNAME = 'elsewhere.ui.views'\n",
    }
    write_project(tmp_path, files, [LAYERS])
    parsed = []
    adjuster = import_adjustments._ModuleAdjuster

    class Counting(adjuster):
        def adjust(self, *arguments):
            parsed.append(self.module)
            return super().adjust(*arguments)

    monkeypatch.setattr(import_adjustments, "_ModuleAdjuster", Counting)
    options = AdjustmentOptions(ignore_comments=("tach-ignore",), local_imports="none", include_string_imports=True)
    project = build_project_graph(tmp_path, ["shop"], adjustments=options)

    assert sorted(parsed) == ["shop.core.a", "shop.core.c", "shop.core.d"]
    assert set(project.graph.find_modules_that_directly_import("shop.ui.views")) == {"shop.core.b", "shop.core.d"}


def test_tach_comment_grammar():
    text = textwrap.dedent(
        """\
        import a  # tach-ignore(why not) a.b  c
        #tach-ignore
        import b  ## tach-ignore
        x = "# tach-ignore"
        import c  # tach-ignore()
        """
    )
    found = find_ignore_comments(text, "tach-ignore")

    assert [(c.line, c.applies_to, c.names, c.reason, c.redundant) for c in found] == [
        (1, 1, ("a.b", "c"), "why not", False),
        (2, 3, (), "", False),
        (3, 3, (), "", True),
        (5, 5, (), "", False),
    ]


def test_a_comment_added_since_the_baseline_fixes_the_violation(tmp_path):
    history = History(tmp_path)
    rule = {"id": "comments", "type": "ignore_comments", "comment": "tach-ignore"}
    files = {**UI, "shop/core/models.py": "import shop.ui.views\n", "shop/core/other.py": "import shop.ui.widgets\n"}
    write_project(tmp_path, files, [LAYERS, rule], ignore_comments=["tach-ignore"])
    baseline = history.commit("Baseline")
    (tmp_path / "shop/core/models.py").write_text("import shop.ui.views  # tach-ignore(rendering moves to ui)\n")
    (tmp_path / "shop/core/other.py").write_text("import shop.ui.widgets  # tach-ignore\nimport json  # tach-ignore\n")

    result = check_project(tmp_path, CheckOptions(use_cache=False, baseline=baseline))

    assert result.violations == ()
    assert [(v.rule, v.importer, v.imported) for v in result.fixed] == [("layers", "shop.core", "shop.ui")]
    assert rule_result(result, "comments").kept


def test_a_baseline_built_from_the_revisions_tree_is_adjusted_too(tmp_path):
    history = History(tmp_path)
    models = "import shop.ui.views  # tach-ignore(rendering moves to ui)\n"
    write_project(tmp_path, {**UI, "shop/core/models.py": models}, [LAYERS], ignore_comments=["tach-ignore"])
    history.write({"shop/core/tools/helper.py": "VALUE = 1\n"})
    baseline = history.commit("Baseline")
    history.write({"shop/core/tools/__init__.py": "import shop.ui.widgets  # tach-ignore\n"})
    current = build_project_graph(tmp_path, ["shop"], adjustments=AdjustmentOptions(ignore_comments=("tach-ignore",)))
    assert patched_baseline_graph(current, git.repository_of(tmp_path), baseline) is None  # a package now

    result = check_project(tmp_path, CheckOptions(use_cache=False, baseline=baseline))

    assert (result.violations, result.fixed) == ((), ())


def test_tach_settings_become_the_session_options_and_a_rule(tmp_path):
    write_project(tmp_path, {**UI, "shop/core/models.py": ""}, [])
    (tmp_path / "strataview.toml").unlink()
    (tmp_path / "tach.toml").write_text(
        'include_string_imports = true\nrespect_gitignore = "if_git_repo"\nexclude = ["shop/core"]\n\n'
        '[[modules]]\npath = "shop.ui"\ndepends_on = []\n\n[[modules]]\npath = "shop.core"\ndepends_on = []\n\n'
        '[rules]\nlocal_imports = "off"\nrequire_ignore_directive_reasons = "error"\nsomething_newer = "warn"\n'
    )

    loaded = load_config(tmp_path)

    config = loaded.config
    assert (config.ignore_comments, config.local_imports, config.include_string_imports) == (("tach-ignore",), "none", True)
    assert config.respect_gitignore == "if_git_repo"
    [rule] = [rule for rule in config.rules if rule.type == "ignore_comments"]
    assert (rule.id, rule.comment, rule.unused, rule.missing_reason) == ("tach-ignore", "tach-ignore", "warn", "error")
    assert rule.exclude == ("shop.core",)
    assert loaded.rule_lines["tach-ignore"] == 13  # the [rules] table
