"""The demo project in the main window: the rules panel and the architecture view agree with the check."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

import pytest
from gui_support import NO_CACHE, analyse
from PySide6.QtCore import Qt

from app.gui.main_window import MainWindow
from app.gui.models.rules import KEPT_ROLE, NAME, RULE_ID_ROLE, STATUS, VIOLATIONS
from core.check import check_project
from core.demo import DemoProject, create_demo_project
from core.layout import ILLEGAL
from core.model import CheckResult


def top_package(module: str) -> str:
    """The box a module is drawn in before anything is expanded: its package right under `shop`."""
    return ".".join(module.split(".")[:2])


def first_commit(project: DemoProject, destination: Path) -> Path:
    """The files of the demo's first commit, which keeps every rule."""
    archive = subprocess.run(
        ["git", "-C", str(project.root), "archive", "--format=tar", project.commits[0].sha],
        check=True, capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(destination, filter="data")
    return destination


@pytest.fixture
def demo_project(tmp_path: Path) -> DemoProject:
    return create_demo_project(tmp_path / "demo")


@pytest.fixture
def demo(qtbot, make_window, demo_project: DemoProject) -> tuple[MainWindow, CheckResult]:
    expected = check_project(demo_project.root, NO_CACHE)
    window = make_window()
    shown = analyse(qtbot, window, demo_project.root)
    assert shown.project.root == expected.project.root
    return window, expected


def rules_panel_rows(window: MainWindow) -> list[tuple]:
    model = window.rules.model
    return [
        (
            model.index(row, NAME).data(RULE_ID_ROLE),
            model.index(row, NAME).data(),
            model.index(row, STATUS).data(),
            model.index(row, NAME).data(KEPT_ROLE),
            model.index(row, VIOLATIONS).data(),
        )
        for row in range(1, model.rowCount())
    ]


def expected_rows(result: CheckResult) -> list[tuple]:
    return [
        (rule.id, rule.name, "kept" if rule.kept else "broken", rule.kept, str(rule.violations))
        for rule in result.rules
    ]


def test_the_rules_panel_shows_the_kept_and_broken_rules_of_the_check(demo):
    window, expected = demo
    assert any(not rule.kept for rule in expected.rules)
    model = window.rules.model
    assert rules_panel_rows(window) == expected_rows(expected)
    for rule in expected.rules:
        assert rule.violations == sum(violation.rule == rule.id for violation in expected.violations)
    broken = sum(not rule.kept for rule in expected.rules)
    assert model.index(0, STATUS).data() == f"{broken} broken"
    assert model.index(0, VIOLATIONS).data() == str(len(expected.violations))
    assert model.index(0, NAME).data(KEPT_ROLE) is False
    # Selecting a broken rule narrows the table to its violations.
    rule = next(rule for rule in expected.rules if not rule.kept)
    window.rules.select_rule(rule.id)
    table = window.violations.table.model()
    assert table.rowCount() == rule.violations
    assert window.rules.view.currentIndex().siblingAtColumn(STATUS).data() == "broken"
    assert window.rules.view.currentIndex().data(Qt.ItemDataRole.DecorationRole) is not None


def test_the_first_commit_of_the_demo_keeps_every_rule_in_the_panel(qtbot, make_window, demo_project, tmp_path):
    layered = first_commit(demo_project, tmp_path / "first")
    expected = check_project(layered, NO_CACHE)
    assert expected.rules and all(rule.kept for rule in expected.rules)
    window = make_window()
    analyse(qtbot, window, layered)
    assert rules_panel_rows(window) == expected_rows(expected)
    model = window.rules.model
    assert (model.index(0, STATUS).data(), model.index(0, VIOLATIONS).data()) == ("all kept", "0")
    assert window.architecture.scene.edges(ILLEGAL) == []


def test_every_broken_layer_pair_is_drawn_with_red_edges_in_the_architecture_view(demo):
    window, expected = demo
    layer_rules = [rule for rule in expected.rules if rule.type == "layers"]
    assert layer_rules and any(not rule.kept for rule in layer_rules)
    scene = window.architecture.scene
    for rule in layer_rules:
        window.rules.select_rule(rule.id)
        violations = [violation for violation in expected.violations if violation.rule == rule.id]
        broken_pairs = {(violation.importer, violation.imported) for violation in violations}
        assert broken_pairs, f"{rule.id} has no broken layer pair"
        red = {(edge.importer, edge.imported) for edge in scene.edge_items[ILLEGAL].edges}
        assert any(pair in red for pair in broken_pairs)  # shop.core imports shop.ui directly
        for violation in violations:
            # A direct import is one red edge from layer to layer; an indirect one, red edges along its chain.
            for chain in violation.chains:
                steps = [(top_package(link.importer), top_package(link.imported)) for link in chain]
                assert steps[0][0] == violation.importer and steps[-1][1] == violation.imported
                assert {step for step in steps if step[0] != step[1]} <= red
        # And nothing else is red.
        links = {
            (top_package(link.importer), top_package(link.imported))
            for violation in violations
            for chain in violation.chains
            for link in chain
        }
        assert red == {pair for pair in links if pair[0] != pair[1]}
        for importer, imported in red:
            [edge] = [e for e in scene.edges(ILLEGAL) if (e.importer, e.imported) == (importer, imported)]
            assert edge.dependency.illegal_imports >= 1 and edge.dependency.rules == (rule.id,)
    window.rules.select_rule(None)
    red_for_all = {(edge.importer, edge.imported) for edge in scene.edge_items[ILLEGAL].edges}
    assert red <= red_for_all
