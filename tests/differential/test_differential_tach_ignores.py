"""Strataview against tach on what the import graph holds beyond the import statements grimp reads:
`# tach-ignore` directives with tach's `[rules]` on them, `local_imports`, string imports and
git-ignored files.

Each fixture project under `differential/tach/` (`ignores/`, `strings/`, `gitignored/`) is checked
by the real `tach check --output json` and by Strataview reading the same tach configuration,
with the settings each test varies written into it. They must agree on every error (the
violating imports, as in test_differential_tach, and the directives tach reports as unused or
without a reason, by file and line) and on every warning of those kinds: a directive warned
about, or an import inside a block that `local_imports = "warn"` only warns about.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from baseline.history import History

from differential.test_differential_tach import (
    FIXTURES,
    TACH_KINDS,
    analyse,
    longest_module,
    module_of_file,
    run_tach_check,
    strataview_found,
)

DIRECTIVE_KINDS = {"UnusedIgnoreDirective": "unused", "MissingIgnoreDirectiveReason": "missing-reason"}
_WARNING = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): ")

Finding = tuple  # ("dependency"/"interface", importer, imported, file, line) or (kind, file, line)


def tach_findings(project: Path, analysis) -> tuple[set[Finding], set[Finding]]:
    """tach's errors and warnings, in the terms `strataview_findings` uses."""
    run = run_tach_check(project)
    diagnostics = json.loads(run.stdout)
    assert isinstance(diagnostics, list), f"tach could not check: {run.stdout} {run.stderr}"
    errors: set[Finding] = set()
    warnings: set[Finding] = set()
    for diagnostic in diagnostics:
        assert "Located" in diagnostic, f"tach reported a configuration problem: {diagnostic}"
        located = diagnostic["Located"]
        [(kind, details)] = located["details"]["Code"].items()
        file = located["file_path"]
        found = errors if located["severity"] == "Error" else warnings
        if kind in DIRECTIVE_KINDS:
            found.add((DIRECTIVE_KINDS[kind], file, located["line_number"]))
        elif kind in TACH_KINDS and found is errors:
            importer = module_of_file(project, file, analysis)
            imported = longest_module(details["dependency"], analysis.project.graph.modules)
            errors.add((TACH_KINDS[kind], importer, imported, file, located["original_line_number"]))
        elif kind in TACH_KINDS:
            warnings.add(("import", file, located["original_line_number"]))
    return errors, warnings


def strataview_findings(analysis) -> tuple[set[Finding], set[Finding]]:
    errors: set[Finding] = set(strataview_found(analysis))
    errors |= {
        (_directive_kind(v.message), v.file, v.line) for v in analysis.result.violations if v.type == "ignore_comments"
    }
    warnings: set[Finding] = set()
    for rule in analysis.result.rules:
        for warning in rule.warnings:
            match = _WARNING.match(warning)
            assert match, f"a warning without its place: {warning}"
            kind = _directive_kind(warning) if rule.type == "ignore_comments" else "import"
            warnings.add((kind, match["file"], int(match["line"])))
    return errors, warnings


def _directive_kind(message: str) -> str:
    return "unused" if message.endswith("is unused") else "missing-reason"


def compare(project: Path) -> tuple[set[Finding], set[Finding]]:
    analysis = analyse(project)
    assert analysis.config.format == "tach"
    ours, theirs = strataview_findings(analysis), tach_findings(project, analysis)
    for what, mine, tachs in zip(("errors", "warnings"), ours, theirs, strict=True):
        assert mine == tachs, f"{what}: only Strataview: {sorted(mine - tachs)}\nonly tach: {sorted(tachs - mine)}"
    return ours


def copy_fixture(name: str, target: Path, *, prepend: str = "", rules: str = "") -> Path:
    shutil.copytree(FIXTURES / name, target)
    config = target / "tach.toml"
    config.write_text(prepend + config.read_text() + (f"\n[rules]\n{rules}\n" if rules else ""))
    return target


SERVICE = "desk/orders/service.py"


def test_directives_with_tach_defaults(tmp_path):
    errors, warnings = compare(copy_fixture("ignores", tmp_path / "desk"))

    lines = {f[4] for f in errors if len(f) == 5 and f[3] == SERVICE}
    # Silenced: a blanket directive, one naming the name by the end of its path (also for
    # relative imports), one on the line before, after another comment, on a name of a
    # multi-line import, two directives for one line.
    assert not lines & {7, 9, 10, 13, 23, 27, 29, 31, 32}
    # Still reported: the names a directive does not list, and imports that a malformed
    # directive, or one followed by another comment, does not reach.
    assert {8, 14, 18, 25, 26} <= lines
    # Unused: a directive naming an alias, on an allowed import, on no import, a second one for a
    # line, on an import under TYPE_CHECKING (not judged).
    assert {("unused", SERVICE, line) for line in (11, 24, 29, 30, 33, 36)} <= warnings
    # A directive on an import from outside the project is never unused; nor one that silences.
    assert not {w for w in warnings if w[1:] in {(SERVICE, 5), (SERVICE, 6), (SERVICE, 7)}}
    assert ("unused", "desk/legacy/__init__.py", 1) in warnings  # unchecked code has its directives judged
    assert ("unused", "desk/core/models.py", 10) in warnings  # a first-party package outside the modules
    assert not {w for w in warnings if w[1].startswith("desk/tests/")}  # excluded code does not


def test_directives_as_errors_with_reasons_required(tmp_path):
    rules = 'unused_ignore_directives = "error"\nrequire_ignore_directive_reasons = "error"'
    errors, warnings = compare(copy_fixture("ignores", tmp_path / "desk", rules=rules))

    assert ("unused", SERVICE, 33) in errors
    assert ("missing-reason", SERVICE, 7) in errors and ("missing-reason", SERVICE, 6) not in errors
    assert ("missing-reason", "desk/ui/views.py", 3) in errors  # empty parentheses give no reason
    assert not warnings


def test_directives_are_not_honoured_once_unused_ones_are_off(tmp_path):
    """A quirk of tach 0.35: with `unused_ignore_directives = "off"` no directive takes anything
    out, though their reasons are still checked."""
    rules = 'unused_ignore_directives = "off"\nrequire_ignore_directive_reasons = "warn"'
    errors, warnings = compare(copy_fixture("ignores", tmp_path / "desk", rules=rules))

    assert {7, 9, 10, 13} <= {f[4] for f in errors if len(f) == 5 and f[3] == SERVICE}
    assert ("missing-reason", SERVICE, 7) in warnings


def test_local_imports_off(tmp_path):
    errors, warnings = compare(copy_fixture("ignores", tmp_path / "desk", rules='local_imports = "off"'))

    lines = {f[4] for f in errors if len(f) == 5 and f[3] == SERVICE}
    assert not lines & {36, 40, 41, 47, 50, 56}  # in a function, a class or an if block
    assert ("unused", SERVICE, 40) in warnings  # it silences an import that is not judged


def test_local_imports_warn(tmp_path):
    rules = 'local_imports = "warn"\nunused_ignore_directives = "error"'
    errors, warnings = compare(copy_fixture("ignores", tmp_path / "desk", rules=rules))

    assert {("import", SERVICE, line) for line in (41, 47, 50, 56)} <= warnings
    assert not {f for f in errors if len(f) == 5 and f[4] in (41, 47, 50, 56)}
    assert ("unused", SERVICE, 40) not in errors  # it silences a warning


@pytest.mark.parametrize("rules", ["", 'unused_ignore_directives = "error"'])
def test_string_imports(tmp_path, rules):
    errors, _ = compare(copy_fixture("strings", tmp_path / "hub", rules=rules))

    audio = "hub/plugins/audio.py"
    # Modules, names in modules (an exposed one, a private one), a star, an escaped and a raw
    # string, a string annotation, one in a function; not f-strings, bytes, padded or split ones.
    assert {("dependency", "hub.plugins.audio", "hub.web.routes", audio, line) for line in (6, 7, 24, 35)} <= errors
    assert ("dependency", "hub.plugins.audio", "hub.web", audio, 13) in errors
    assert ("interface", "hub.plugins.audio", "hub.core.registry", audio, 9) in errors
    assert ("dependency", "hub.plugins.audio", "hub.web.views", audio, 30) in errors
    assert not {f for f in errors if f[3:4] == (audio,) and f[4] in (1, 8, 11, 12, 14, 15, 16, 17, 19, 20, 22, 25)}
    assert ("dependency", "hub.web.routes", "hub.plugins.audio", "hub/web/routes.py", 1) in errors


@pytest.mark.parametrize("setting", ["", "respect_gitignore = false\n", 'respect_gitignore = "if_git_repo"\n'])
@pytest.mark.parametrize("repository", ["none", "untracked", "tracked"])
def test_git_ignored_files(tmp_path, setting, repository):
    project = copy_fixture("gitignored", tmp_path / "gen", prepend=setting)
    if repository != "none":
        history = History(project)
        if repository == "tracked":
            history.commit("Everything, generated code included")  # ignored later: tracked, yet ignored
    (project / "gitignore").rename(project / ".gitignore")
    (project / "gen" / "store" / "ignore").rename(project / "gen" / "store" / ".ignore")

    errors, _ = compare(project)

    importers = {f[1] for f in errors}
    gitignore = setting == "" or (setting.startswith('respect_gitignore = "') and repository != "none")
    assert ("gen.api.generated_client" in importers) != gitignore
    assert ("gen.build.keep" in importers) != gitignore  # a file inside an ignored directory stays ignored
    assert ("gen.store.scratch" in importers) == (setting == "respect_gitignore = false\n")  # .ignore files
    # An ignored module may still be imported.
    assert ("dependency", "gen.api.handlers", "gen.build.output", "gen/api/handlers.py", 3) in errors
