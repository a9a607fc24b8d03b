"""Baselines in the desktop app: the picker, new violations in the table, detail pane and drawing,
and the drift timeline that filters the views to what one commit brought."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from gui_support import EXAMPLE, TIMEOUT_MS, analyse
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QTextDocumentFragment

from app.gui import baseline_picker as picker_module
from app.gui import launch
from app.gui.baseline_picker import HEADING, REF, SNAPSHOT, BaselinePicker, generated_icon
from app.gui.main_window import MainWindow
from app.gui.models.violations import STATUS, STATUS_ROLE, UNCOMMITTED, VIOLATION_ROLE
from app.gui.theme import current_theme
from app.gui.timeline import timeline_of
from app.gui.worker import AnalysisRunner
from core.check import Analysis, CheckOptions, Progress, run_analysis
from core.model import BaselineInfo, CheckResult, Drift, Provenance, Violation

HUMAN = Provenance(
    commit="a" * 40, author="Alice Ng", date="2025-02-03T09:00:00+05:00", summary="Let the api start admin jobs"
)
ASSISTED = Provenance(
    commit="b" * 40,
    author="Bob Ortiz",
    date="2025-02-03T06:00:00+00:00",  # later than HUMAN's, though its clock reads earlier
    summary="Add recommendations",
    generated=True,
    signals=("Co-authored-by: Claude <noreply@anthropic.com>",),
)
UNCOMMITTED_CHANGE = Provenance(commit=None)
# (rule, importer) of each violation of resources/example -> what brought it (None: also in the baseline).
BROUGHT_BY = {
    ("layers", "shop.api"): HUMAN,
    ("layers", "shop.core"): None,
    ("adapters-stay-out-of-core", "shop.core"): ASSISTED,
    ("no-cycles", "shop.api.orders"): UNCOMMITTED_CHANGE,
    ("everything-has-a-place", "shop.recommendations"): ASSISTED,
}


def with_baseline(result: CheckResult, ref: str) -> CheckResult:
    """The example's result as a comparison with a baseline would make it."""
    violations = []
    for violation in result.violations:
        origin = BROUGHT_BY[(violation.rule, violation.importer)]
        status = "existing" if origin is None else "new"
        violations.append(violation.model_copy(update={"status": status, "provenance": origin}))
    return result.model_copy(
        update={
            "violations": tuple(violations),
            "baseline": BaselineInfo(ref=ref, kind="git", commit="c" * 40),
            "drift": Drift(modules_added=("shop.recommendations",)),
            "module_provenance": {"shop.recommendations": ASSISTED},
        }
    )


class ComparedAnalysis:
    """The real analysis of the project, its result dressed as compared with the baseline asked for."""

    def __init__(self) -> None:
        self.options: list[CheckOptions] = []

    def __call__(self, path: Path, options: CheckOptions) -> Iterator[Progress | Analysis]:
        self.options.append(options)
        for event in run_analysis(path, replace(options, baseline=None)):
            if isinstance(event, Analysis) and options.baseline is not None:
                yield replace(event, result=with_baseline(event.result, options.baseline))
            else:
                yield event


class RecordedAnalysis:
    """The real analysis, baseline and all, with the options of every run kept."""

    def __init__(self) -> None:
        self.options: list[CheckOptions] = []

    def __call__(self, path: Path, options: CheckOptions) -> Iterator[Progress | Analysis]:
        self.options.append(options)
        yield from run_analysis(path, options)


def shown(window: MainWindow) -> list[Violation]:
    proxy = window.violations.filter
    return [proxy.index(row, 0).data(VIOLATION_ROLE) for row in range(proxy.rowCount())]


def keyed(violations: list[Violation]) -> set[tuple[str, str | None]]:
    return {(v.rule, v.importer) for v in violations}


def compared_window(qtbot, make_window, project: Path) -> tuple[MainWindow, ComparedAnalysis]:
    analysis = ComparedAnalysis()
    window = make_window(AnalysisRunner(analysis))
    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        window.open_project(project, baseline="main")
    return window, analysis


def plain(html: str) -> str:
    return QTextDocumentFragment.fromHtml(html).toPlainText()


# The table.


def test_the_status_column_and_the_new_only_filter(qtbot, make_window, example: Path):
    window, analysis = compared_window(qtbot, make_window, example)
    assert analysis.options[-1].baseline == "main"
    panel = window.violations
    assert not panel.table.isColumnHidden(STATUS) and panel.new_only_box.isVisible()
    statuses = {(v.rule, v.importer): panel.filter.index(row, STATUS).data() for row, v in enumerate(shown(window))}
    assert statuses == {key: "existing" if origin is None else "new" for key, origin in BROUGHT_BY.items()}
    new_row = next(row for row, v in enumerate(shown(window)) if v.status == "new")
    assert panel.filter.index(new_row, STATUS).data(STATUS_ROLE) == "new"
    assert panel.filter.index(new_row, 1).data(Qt.ItemDataRole.BackgroundRole) is not None  # the row is tinted
    assert "· 5 violations (4 new) ·" in window.summary_label.text()

    panel.new_only_box.setChecked(True)
    assert keyed(shown(window)) == {key for key, origin in BROUGHT_BY.items() if origin is not None}
    assert panel.count_label.text() == "4 of 5 violations"
    panel.table.sortByColumn(STATUS, Qt.SortOrder.DescendingOrder)
    panel.new_only_box.setChecked(False)
    assert [v.status for v in shown(window)] == ["existing", "new", "new", "new", "new"]

    # Without a baseline there is nothing to be new against: no column, no filter.
    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        window.set_baseline(None)
    assert analysis.options[-1].baseline is None and window.result.baseline is None
    assert panel.table.isColumnHidden(STATUS) and not panel.new_only_box.isVisible()
    assert len(shown(window)) == 5 and not panel.filter.new_only
    assert window.baseline_picker.combo.currentText() == "No baseline"


# The detail pane.


def test_the_detail_pane_shows_who_and_what_brought_a_new_violation(qtbot, make_window, example: Path):
    window, _ = compared_window(qtbot, make_window, example)
    found = {(v.rule, v.importer): v for v in window.result.violations}

    window.select_violation(found[("adapters-stay-out-of-core", "shop.core")].fingerprint)
    text = plain(window.detail.provenance.text())
    assert text.splitlines() == [
        "NEW since the baseline, brought by bbbbbbb · Bob Ortiz · 2025-02-03 06:00",
        "“Add recommendations”",
        "AI-assisted: Co-authored-by: Claude <noreply@anthropic.com>",
    ]
    window.select_violation(found[("layers", "shop.api")].fingerprint)
    assert plain(window.detail.provenance.text()).splitlines() == [
        "NEW since the baseline, brought by aaaaaaa · Alice Ng · 2025-02-03 09:00",
        "“Let the api start admin jobs”",
    ]
    window.select_violation(found[("no-cycles", "shop.api.orders")].fingerprint)
    assert plain(window.detail.provenance.text()) == "NEW since the baseline, in an uncommitted change."
    window.select_violation(found[("layers", "shop.core")].fingerprint)
    assert plain(window.detail.provenance.text()) == "Existing: also broken in the baseline."

    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        window.set_baseline(None)
    assert window.detail.provenance.isHidden()


# The architecture view.


def test_new_violations_and_added_modules_stand_out_in_the_architecture_view(qtbot, make_window, example: Path):
    window, _ = compared_window(qtbot, make_window, example)
    scene = window.architecture.scene
    # The edges of new violations; shop.core -> shop.ui was broken in the baseline already.
    new_pairs = {(e.importer, e.imported) for e in scene.new_edges()}
    assert new_pairs == {("shop.api", "shop.cli"), ("shop.core", "shop.adapters")}
    assert [item.halo for item in scene.new_edges_items] == [True, False]
    assert all(item.edges == scene.new_edges() for item in scene.new_edges_items)
    red = next(e for e in scene.edges("illegal") if (e.importer, e.imported) == ("shop.core", "shop.adapters"))
    assert "1 violation new since the baseline" in scene.describe_edge(red)
    added = {name: item.added for name, item in scene.boxes.items() if item.added}
    assert added == {"shop.recommendations": 1}
    tooltip = scene.describe_box("shop.recommendations")
    assert "added since the baseline in bbbbbbb by Bob Ortiz (AI-assisted)" in tooltip
    assert "new since the baseline" in window.architecture.legend.text()

    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        window.set_baseline(None)
    assert scene.new_edges() == [] and not any(item.added for item in scene.boxes.values())
    assert "new since the baseline" not in window.architecture.legend.text()


# The timeline.


def test_timeline_orders_commits_by_time_and_marks_generated_ones(qtbot, make_window, example: Path):
    window, _ = compared_window(qtbot, make_window, example)
    commits = window.timeline.commits
    assert [c.key for c in commits] == ["a" * 40, "b" * 40, UNCOMMITTED]  # 04:00 UTC, 06:00 UTC, then now
    assert [c.short for c in commits] == ["aaaaaaa", "bbbbbbb", "uncommitted"]
    assert [c.generated for c in commits] == [False, True, False]
    assert [c.modules for c in commits] == [(), ("shop.recommendations",), ()]
    assert [keyed(list(c.violations)) for c in commits] == [
        {("layers", "shop.api")},
        {("adapters-stay-out-of-core", "shop.core"), ("everything-has-a-place", "shop.recommendations")},
        {("no-cycles", "shop.api.orders")},
    ]
    summary = window.timeline.summary.text()
    assert summary.startswith(
        "2 commits since the baseline main (ccccccc) brought modules or violations, 1 of them AI-assisted"
    )
    assert "AI-assisted: Co-authored-by: Claude" in window.timeline.axis.tooltip(1)
    assert timeline_of(window.result.model_copy(update={"baseline": None})) == []


def test_clicking_a_commit_filters_the_table_and_marks_the_drawing(qtbot, make_window, example: Path):
    window, _ = compared_window(qtbot, make_window, example)
    window.views.setCurrentWidget(window.timeline)
    axis = window.timeline.axis
    qtbot.waitExposed(axis)
    scene = window.architecture.scene

    qtbot.mouseClick(axis, Qt.MouseButton.LeftButton, pos=axis.commit_rect(1).center().toPoint())
    assert window.timeline.selected_commit.key == "b" * 40
    assert keyed(shown(window)) == {
        ("adapters-stay-out-of-core", "shop.core"), ("everything-has-a-place", "shop.recommendations")
    }
    assert window.violations.count_label.text() == "2 of 5 violations"
    chip = window.violations.commit_chip
    assert chip.isVisible() and chip.text().startswith("Brought by bbbbbbb")
    assert set(scene.focused_boxes()) == {"shop.recommendations", "shop.core", "shop.adapters"}
    assert [(e.importer, e.imported) for e in scene.focused_edges()] == [("shop.core", "shop.adapters")]
    assert len(scene.focus_item.boxes) == 3

    # Another commit replaces the filter; clicking the selected one again clears it.
    qtbot.mouseClick(axis, Qt.MouseButton.LeftButton, pos=axis.commit_rect(2).center().toPoint())
    assert keyed(shown(window)) == {("no-cycles", "shop.api.orders")}
    assert window.violations.commit_chip.text().startswith("Brought by uncommitted changes")
    qtbot.mouseClick(axis, Qt.MouseButton.LeftButton, pos=axis.commit_rect(2).center().toPoint())
    assert window.timeline.selected_commit is None and len(shown(window)) == 5
    assert not window.violations.commit_chip.isVisible() and scene.focused_boxes() == []

    # The chip over the table clears the timeline's choice too.
    qtbot.mouseClick(axis, Qt.MouseButton.LeftButton, pos=axis.commit_rect(0).center().toPoint())
    assert keyed(shown(window)) == {("layers", "shop.api")}
    window.violations.commit_chip.click()
    assert window.timeline.selected_commit is None and len(shown(window)) == 5 and scene.focused_boxes() == []

    # A selected commit stays selected through a re-analysis, and the filter with it.
    window.timeline.select("b" * 40)
    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        window.reanalyse()
    assert window.timeline.selected_commit.key == "b" * 40 and len(shown(window)) == 2
    # Without a baseline there is no timeline, and so no filter.
    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        window.set_baseline(None)
    assert window.timeline.commits == [] and len(shown(window)) == 5 and scene.focused_boxes() == []


# The picker, on a real repository.


def _git(repo: Path, *arguments: str, date: str = "2025-01-01T10:00:00+00:00") -> str:
    environment = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    environment.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Ada Lovelace",
        GIT_AUTHOR_EMAIL="ada@example.com",
        GIT_COMMITTER_NAME="Ada Lovelace",
        GIT_COMMITTER_EMAIL="ada@example.com",
        GIT_AUTHOR_DATE=date,
        GIT_COMMITTER_DATE=date,
    )
    completed = subprocess.run(
        ["git", *arguments], cwd=repo, env=environment, capture_output=True, text=True, check=True
    )
    return completed.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> dict[str, str]:
    """The example project as a repository of three commits (the second co-authored by an AI), a tag and a branch."""
    root = Path(shutil.copytree(EXAMPLE, tmp_path / "shop-repo"))
    _git(root, "init", "--quiet", "--initial-branch=main")
    _git(root, "add", "--all")
    _git(root, "commit", "--quiet", "-m", "Layered shop")
    _git(root, "tag", "v1.0")
    _git(root, "branch", "release")
    models = root / "shop" / "core" / "models.py"
    models.write_text(models.read_text() + "\nfrom shop.api import catalogue  # noqa\n")
    message = "Models know the catalogue\n\nCo-authored-by: Claude <noreply@anthropic.com>"
    _git(root, "commit", "--quiet", "-am", message, date="2025-01-02T10:00:00+00:00")
    (root / "shop" / "core" / "notes.py").write_text('"""Notes."""\n')
    _git(root, "add", "--all")
    _git(root, "commit", "--quiet", "-m", "Add notes", date="2025-01-03T10:00:00+00:00")
    return {"root": str(root), **{subject: sha for sha, subject in (
        line.split(" ", 1) for line in _git(root, "log", "--format=%H %s").splitlines()
    )}}


def test_the_picker_lists_the_history_and_choosing_a_commit_compares_with_it(qtbot, make_window, repo):
    analysis = RecordedAnalysis()
    window = make_window(AnalysisRunner(analysis))
    root = Path(repo["root"])
    analyse(qtbot, window, root)
    picker = window.baseline_picker
    qtbot.waitUntil(lambda: not picker.loading, timeout=TIMEOUT_MS)
    first, assisted, last = repo["Layered shop"], repo["Models know the catalogue"], repo["Add notes"]
    texts = [(text, kind) for text, kind, _ref in picker.entries()]
    assert texts == [
        ("No baseline", "none"),
        ("Recent commits", HEADING),
        (f"{last[:7]}  2025-01-03  Add notes", REF),
        (f"{assisted[:7]}  2025-01-02  Models know the catalogue", REF),
        (f"{first[:7]}  2025-01-01  Layered shop", REF),
        ("Tags", HEADING),
        ("v1.0", REF),
        ("Branches", HEADING),
        ("main", REF),  # newest first
        ("release", REF),
        ("", None),  # the separator
        ("Snapshot file…", SNAPSHOT),
    ]
    combo = picker.combo
    row_of = {ref: row for row, (_text, _kind, ref) in enumerate(picker.entries()) if ref}
    ai_icon = generated_icon(current_theme().dark).cacheKey()
    marked = [combo.itemIcon(row_of[sha]).cacheKey() == ai_icon for sha in (last, assisted, first)]
    assert marked == [False, True, False]
    tooltip = combo.itemData(row_of[assisted], Qt.ItemDataRole.ToolTipRole)
    assert "AI-assisted: Co-authored-by: Claude <noreply@anthropic.com>" in tooltip
    assert window.result.baseline is None and combo.currentText() == "No baseline"

    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        combo.setCurrentIndex(row_of[first])
    assert analysis.options[-1].baseline == first and window.baseline == first
    result = window.result
    assert result.baseline is not None and result.baseline.commit == first
    new = [v for v in result.violations if v.status == "new"]
    # The import added to the core's models breaks the layers and closes a cycle.
    assert {(v.rule, v.importer, v.imported) for v in new} == {
        ("layers", "shop.core", "shop.api"), ("no-cycles", "shop.core.models", "shop.api.catalogue")
    }
    assert {(v.provenance.commit, v.provenance.generated) for v in new if v.provenance} == {(assisted, True)}
    assert [c.key for c in window.timeline.commits] == [assisted, last]  # the module shop.core.notes came last
    assert combo.currentIndex() == row_of[first]

    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        combo.setCurrentIndex(row_of["v1.0"])
    assert analysis.options[-1].baseline == "v1.0" and window.result.baseline.commit == first
    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        combo.setCurrentIndex(0)
    assert analysis.options[-1].baseline is None and window.result.baseline is None


def test_the_picker_lists_tags_and_branches(qtbot, make_window, repo):
    window = make_window(AnalysisRunner(RecordedAnalysis()))
    analyse(qtbot, window, Path(repo["root"]))
    qtbot.waitUntil(lambda: not window.baseline_picker.loading, timeout=TIMEOUT_MS)
    revisions = window.baseline_picker.revisions
    assert revisions.tags == ("v1.0",) and sorted(revisions.branches) == ["main", "release"]
    assert [c.generated for c in revisions.commits] == [False, True, False]


def test_a_baseline_given_at_launch_is_shown_chosen(qtbot, make_window, repo):
    analysis = RecordedAnalysis()
    window = make_window(AnalysisRunner(analysis))
    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        window.open_project(Path(repo["root"]), baseline=repo["Layered shop"][:9])
    assert analysis.options[-1].baseline == repo["Layered shop"][:9]
    qtbot.waitUntil(lambda: not window.baseline_picker.loading, timeout=TIMEOUT_MS)
    # A short hash selects the commit it names once the history is read.
    assert window.baseline_picker.combo.currentText().endswith("Layered shop")
    summary = plain(window.baseline_picker.summary.text())
    assert summary == f"2 new · 5 existing · 0 fixed · +1 module since {repo['Layered shop'][:7]}"


def snapshot_row(picker: BaselinePicker) -> int:
    return next(row for row, (_text, kind, _ref) in enumerate(picker.entries()) if kind == SNAPSHOT)


def test_a_revision_not_in_the_list_and_a_snapshot_file_are_listed_as_given(
    qtbot, make_window, example: Path, tmp_path: Path, monkeypatch
):
    window, analysis = compared_window(qtbot, make_window, example)
    picker = window.baseline_picker
    qtbot.waitUntil(lambda: not picker.loading, timeout=TIMEOUT_MS)
    # The project is in no repository, so "main" names nothing listed: it is listed as it was given.
    assert picker.revisions.problem == "not in a git repository"
    assert picker.combo.currentText() == "main" and picker.combo.currentIndex() == 1

    snapshot = tmp_path / "architecture-baseline.json"
    monkeypatch.setattr(picker_module.QFileDialog, "getOpenFileName", lambda *args: (str(snapshot), ""))
    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        picker.combo.setCurrentIndex(snapshot_row(picker))
    assert analysis.options[-1].baseline == str(snapshot)
    assert picker.combo.currentText() == "Snapshot architecture-baseline.json"

    # A cancelled file dialog keeps the baseline that was chosen.
    monkeypatch.setattr(picker_module.QFileDialog, "getOpenFileName", lambda *args: ("", ""))
    with qtbot.assertNotEmitted(window.runner.running_changed, wait=200):
        picker.combo.setCurrentIndex(snapshot_row(picker))
    assert picker.combo.currentText() == "Snapshot architecture-baseline.json" and window.baseline == str(snapshot)


def test_launch_with_a_baseline_renders_the_comparison(qtbot, repo, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shot = tmp_path / "main.png"
    assert launch(Path(repo["root"]), None, shot, baseline="v1.0") == 0
    assert QImage(str(shot)).width() == 1400
    assert launch(Path(repo["root"]), None, tmp_path / "bad.png", baseline="no-such-revision") == 2
