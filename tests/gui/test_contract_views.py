"""Contract violations in the desktop app: the offending line in the source view, the detail text,
and the schema-change view of a contract model against the baseline."""

from __future__ import annotations

from pathlib import Path

import pytest
from contracts.projects import shop
from contracts.test_contract_stability import (
    ADDED_DUE,
    CONFIG,
    LOST_PAID,
    LOST_USD,
    RENAMED,
    TIGHTENED,
    UNCOMMITTED,
    files,
    line_of,
)
from fixtures.projects import write_project
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QTreeWidgetItem

from app.cli import main
from app.gui.detail_pane import DetailPane
from app.gui.graph.scene import is_public
from app.gui.graph.view import ArchitectureView
from app.gui.schema_changes import (
    BASELINE_COLUMN,
    CHANGES_COLUMN,
    COLUMNS,
    CURRENT_COLUMN,
    DEFAULT_SIZE,
    MAX_COLUMN_WIDTH,
    SchemaChangesDialog,
    SchemaChangesView,
)
from core.architecture import DependencyMap
from core.check import Analysis, CheckOptions, check_project, run_analysis
from core.contracts.changes import compare_schemas
from core.model import CheckResult, ContractField, ContractSchema, Violation

INVOICE = "shop.billing.contracts.Invoice"


@pytest.fixture(scope="module")
def changed(tmp_path_factory) -> CheckResult:
    """The shop's contracts broken since a snapshot of them."""
    root = tmp_path_factory.mktemp("contracts")
    project = root / "project"
    write_project(project, files(), [])
    (project / "strataview.toml").write_text(CONFIG.format(direction="both"))
    snapshot = root / "baseline.json"
    assert (
        main(["snapshot", str(project), "--output", str(snapshot), "--no-cache"]) == 0
    )
    (project / "shop/billing/contracts.py").write_text(UNCOMMITTED)
    return check_project(
        project, CheckOptions(baseline=str(snapshot), use_cache=False, provenance=False)
    )


def violation(result: CheckResult, message: str) -> Violation:
    return next(v for v in result.violations if v.message == message)


def unwrapped(item: QTreeWidgetItem) -> str:
    """The changes of a row as one line: the view wraps them to the width of their column."""
    return " ".join(item.text(CHANGES_COLUMN).split())


def test_a_violation_about_code_shows_its_file_with_the_line_highlighted_and_its_detail(
    qtbot, changed, capsys
):
    capsys.readouterr()
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.set_result(changed)
    due = violation(changed, ADDED_DUE)
    assert not due.chains and due.detail

    pane.show_violation(due)

    line = line_of(UNCOMMITTED, "    due: datetime")
    assert pane.source.file == Path(changed.project.root) / "shop/billing/contracts.py"
    assert pane.source.highlighted_lines == (line,)
    assert pane.source.textCursor().blockNumber() == line - 1
    assert (
        pane.source.document().findBlockByNumber(line - 1).text() == "    due: datetime"
    )
    assert pane.source_title.text() == f"shop/billing/contracts.py — line {line}"
    assert (
        pane.steps.topLevelItem(0).text(0) == f"shop/billing/contracts.py — line {line}"
    )
    assert pane.detail.text() == due.detail and not pane.detail.isHidden()

    # Another contract violation moves the highlight; nothing selected hides the detail.
    pane.show_violation(violation(changed, TIGHTENED))
    assert pane.source.highlighted_lines == (
        line_of(UNCOMMITTED, "amount: Decimal = Field(ge=1"),
    )
    pane.show_violation(None)
    assert (
        pane.detail.isHidden()
        and pane.source.file is None
        and pane.schema_button.isHidden()
    )


def test_an_import_violation_has_no_detail_and_no_schema_button(qtbot, changed):
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.set_result(changed)
    imports = Violation(
        fingerprint="f",
        rule="layers",
        type="layers",
        message="a imports b",
        importer="a",
        imported="b",
    )
    pane.show_violation(imports)
    assert pane.detail.isHidden() and pane.schema_button.isHidden()
    assert pane.steps.topLevelItem(0).text(0).startswith("No import chain")


def test_the_schema_change_view_puts_baseline_and_current_fields_side_by_side(
    qtbot, changed, tmp_path
):
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.set_result(changed)
    pane.show_violation(violation(changed, RENAMED))
    assert not pane.schema_button.isHidden()

    pane.schema_button.click()

    dialog = pane.schema_dialog
    assert dialog is not None and dialog.isVisible() and INVOICE in dialog.windowTitle()
    table = dialog.view.table
    rows = {
        (
            table.topLevelItem(i).text(BASELINE_COLUMN),
            table.topLevelItem(i).text(CURRENT_COLUMN),
        ): table.topLevelItem(i)
        for i in range(table.topLevelItemCount())
    }
    # The renamed field sits on one row: its baseline name on the left, its new name on the right.
    renamed = rows[("number", "invoice_number")]
    assert (
        renamed.text(BASELINE_COLUMN + 3) == "alias invoiceNumber"
        and renamed.text(CURRENT_COLUMN + 3) == "alias invoiceNumber"
    )
    assert unwrapped(renamed).startswith("⚠ field 'number' was renamed")
    # A new required field has nothing on the baseline side and is breaking.
    due = rows[("—", "due")]
    assert due.text(CURRENT_COLUMN + 1) == "datetime.datetime" and due.text(CURRENT_COLUMN + 2) == "required"
    assert due.text(CHANGES_COLUMN) == "⚠ required field 'due' was added"
    # A Literal value lost: both types shown, breaking.
    status = rows[("status", "status")]
    assert (status.text(BASELINE_COLUMN + 1), status.text(CURRENT_COLUMN + 1)) == (
        "Literal['open', 'paid']",
        "Literal['open']",
    )
    assert status.text(BASELINE_COLUMN + 2) == status.text(CURRENT_COLUMN + 2) == "default 'open'"
    assert f"{INVOICE}: {unwrapped(status).removeprefix('⚠ ')}" == LOST_PAID
    # An unchanged field has no change and no mark.
    unchanged = [item for key, item in rows.items() if not item.text(CHANGES_COLUMN)]
    assert unchanged and all(
        item.background(0).style() == Qt.BrushStyle.NoBrush for item in unchanged
    )
    assert renamed.background(0).style() != Qt.BrushStyle.NoBrush
    assert dialog.view.summary.text().endswith("breaking")
    dialog.view.resize(1300, 300)
    dialog.view.grab().save(str(tmp_path / "schema-changes.png"))


def test_compatible_changes_are_listed_but_not_marked_and_enum_members_are_rows(
    qtbot, changed
):
    view = SchemaChangesView()
    qtbot.addWidget(view)
    money = "shop.billing.contracts.Money"
    view.show_schemas(
        changed.baseline_contract_schemas[money], changed.contract_schemas[money], set()
    )
    amount = view.table.topLevelItem(0)
    assert (
        amount.text(BASELINE_COLUMN) == "amount"
        and amount.text(BASELINE_COLUMN + 4) == "gt=0"
        and amount.text(CURRENT_COLUMN + 4) == "ge=1"
    )
    assert "tightened" in amount.text(CHANGES_COLUMN) and not amount.text(
        CHANGES_COLUMN
    ).startswith("⚠")
    assert "description of field 'amount' changed" in unwrapped(amount)
    assert view.summary.text().endswith(", 0 breaking")

    currency = "shop.billing.contracts.Currency"
    view.show_schemas(
        changed.baseline_contract_schemas[currency],
        changed.contract_schemas[currency],
        {LOST_USD},
    )
    members = {
        view.table.topLevelItem(i).text(BASELINE_COLUMN): view.table.topLevelItem(i)
        for i in range(view.table.topLevelItemCount())
    }
    assert (
        members["USD"].text(CURRENT_COLUMN) == "—"
        and members["USD"].text(CHANGES_COLUMN) == "⚠ member USD was removed"
    )
    assert members["EUR"].text(CURRENT_COLUMN) == "EUR" and not members["EUR"].text(CHANGES_COLUMN)
    assert len(COLUMNS) == 11


def test_boundaries_are_framed_groups_with_their_public_modules_marked(qtbot, tmp_path):
    files = shop(
        **{"shop/orders/checkout.py": "from shop.billing.ledger import Ledger\n"}
    )
    rule = {
        "id": "billing-surface",
        "type": "interface",
        "boundary": "shop.billing",
        "public": ["shop.billing.api", "shop.billing.contracts"],
    }
    write_project(tmp_path, files, [rule])
    analysis = list(run_analysis(tmp_path, CheckOptions(use_cache=False)))[-1]
    assert isinstance(analysis, Analysis)
    view = ArchitectureView()
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.set_analysis(analysis, DependencyMap(analysis))
    scene = view.scene

    # Collapsed, the boundary frames the package's box.
    boundary = scene.boundary_items["shop.billing"]
    assert boundary.boundingRect().contains(scene.boxes["shop.billing"].boundingRect())
    assert scene.public_marks == {}

    # Expanded, it frames the package's frame, and only the public modules carry the mark.
    assert scene.toggle("shop.billing")
    boundary = scene.boundary_items["shop.billing"]
    assert boundary.boundingRect().contains(scene.frames["shop.billing"].boundingRect())
    assert sorted(scene.public_marks) == ["shop.billing.api", "shop.billing.contracts"]
    for name, mark in scene.public_marks.items():
        assert mark.boundingRect().intersects(scene.boxes[name].boundingRect())
    view.show()
    qtbot.waitExposed(view)
    view.grab().save(str(tmp_path / "boundaries.png"))

    # Without an interface rule nothing is framed.
    write_project(tmp_path, files, [])
    plain = list(run_analysis(tmp_path, CheckOptions(use_cache=False)))[-1]
    view.set_analysis(plain, DependencyMap(plain))
    assert scene.boundary_items == {} and scene.public_marks == {}


def test_public_modules_include_those_inside_a_public_package_and_wildcards():
    assert is_public("shop.billing.api", ("shop.billing.api",))
    assert is_public("shop.billing.api.v1", ("shop.billing.api",))
    assert is_public("shop.billing.contracts", ("shop.billing.*",))
    assert not is_public(
        "shop.billing.ledger", ("shop.billing.api", "shop.billing.contracts")
    )
    assert not is_public("shop.billing.api_private", ("shop.billing.api",))


def test_with_long_types_the_breaking_changes_are_in_view_at_the_default_size(qtbot, tmp_path):
    def field(name: str, type_: str, **options) -> ContractField:
        return ContractField(name=name, type=type_, required=options.pop("required", True), line=1, **options)

    before_type = "dict[str, list[shop.billing.contracts.Money | shop.billing.contracts.Refund | None]]"
    after_type = "dict[str, list[shop.billing.contracts.Money | shop.billing.contracts.Refund]]"
    period = "tuple[datetime.datetime, datetime.datetime]"
    statement = "shop.billing.contracts.Statement"
    before = ContractSchema(
        name=statement,
        module="shop.billing.contracts",
        kind="pydantic",
        fields=(field("entries", before_type), field("period", period), field("notes", "list[str]", required=False)),
    )
    after = before.model_copy(
        update={"fields": (field("entries", after_type), field("period", period), field("due", "datetime.datetime"))}
    )
    breaking = {
        f"{change.model}: {change.describe()}"
        for change in compare_schemas(before, after)
        if change.breaking("both")
    }
    assert len(breaking) == 3  # narrowed, removed, required field added

    dialog = SchemaChangesDialog(before, after, breaking)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save(str(tmp_path / "schema-changes-long-types.png"))

    table, header = dialog.view.table, dialog.view.table.header()
    assert dialog.size() == QSize(*DEFAULT_SIZE)
    # The changes come first and are wholly in view: nothing to scroll to, nothing cut.
    assert header.visualIndex(CHANGES_COLUMN) == 0 and table.horizontalScrollBar().value() == 0
    assert header.sectionSize(CHANGES_COLUMN) >= table.sizeHintForColumn(CHANGES_COLUMN)
    assert header.sectionSize(CHANGES_COLUMN) < table.viewport().width() / 2
    shown = [table.topLevelItem(i) for i in range(table.topLevelItemCount())]
    marked = [unwrapped(item) for item in shown if item.text(CHANGES_COLUMN).startswith("⚠")]
    assert marked == [
        f"⚠ the type of field 'entries' narrowed from {before_type} to {after_type}",
        "⚠ field 'notes' was removed",
        "⚠ required field 'due' was added",
    ]
    entries = shown[0]
    assert max(len(line) for line in entries.text(CHANGES_COLUMN).splitlines()) < len(before_type)
    # Long types are cut to a column's width; their tooltip has them whole.
    assert all(header.sectionSize(column) <= MAX_COLUMN_WIDTH for column in range(1, len(COLUMNS)))
    assert entries.toolTip(BASELINE_COLUMN + 1).startswith(before_type + "\n\n⚠ the type of field 'entries'")
