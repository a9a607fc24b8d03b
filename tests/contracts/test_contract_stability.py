"""`contract_stability` against git revisions and snapshot files: breaking changes to contract
models are new violations at the field's line, with the commit that brought them."""

from __future__ import annotations

import json

import pytest

from app.cli import main
from baseline.history import History
from contracts.projects import CONTRACTS, shop
from core.check import CheckOptions, check_project
from core.errors import ConfigError
from core.model import CheckResult
from fixtures.projects import check, rule_result, violations_of, write_project

BOB = "Bob Stone <bob@example.com>"
CLAUDE = "Co-authored-by: Claude <noreply@anthropic.com>"
CONFIG = """
root_packages = ["shop"]

[[rules]]
id = "stable-contracts"
type = "contract_stability"
models = ["shop.billing.contracts.*"]
direction = "{direction}"
"""
MODELS = sorted(
    f"shop.billing.contracts.{name}" for name in ("Address", "Currency", "Invoice", "Money", "Point", "Refund")
)


def files(direction: str = "both", contracts: str = CONTRACTS) -> dict[str, str]:
    return {**shop(**{"shop/billing/contracts.py": contracts}), "strataview.toml": CONFIG.format(direction=direction)}


def edit(text: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return text


# Bob's commit (co-authored by an assistant) breaks the contracts; compatible changes come with it.
COMMITTED = edit(
    CONTRACTS,
    ('    USD = "USD"\n', ""),  # an Enum loses a member
    (
        'number: str = Field(alias="invoiceNumber")',
        'invoice_number: str = Field(alias="invoiceNumber")',
    ),  # renamed, alias kept
    ('status: Literal["open", "paid"] = "open"', 'status: Literal["open"] = "open"'),
    ("    lines: Annotated", "    due: datetime\n    lines: Annotated"),  # a required field
    (
        'amount: Decimal = Field(gt=0, description="How much.")',
        'amount: Decimal = Field(ge=1, description="How much money.")',
    ),
    (
        "class Refund:\n    invoice: str\n    amount: Decimal\n",
        'class Refund:\n    """Money back."""\n\n    invoice: str\n    amount: Decimal\n    reason: str = ""\n',
    ),
)
# Then, uncommitted: a field goes, another is written under another name.
UNCOMMITTED = edit(
    COMMITTED,
    ("    city: str\n", ""),
    ("    total: Money\n", '    total: Money = Field(serialization_alias="grandTotal")\n'),
)
REMOVED_CITY = "shop.billing.contracts.Address: field 'city' was removed"
LOST_USD = "shop.billing.contracts.Currency: member USD was removed"
LOST_PAID = "shop.billing.contracts.Invoice: Literal value 'paid' of field 'status' was removed"
ADDED_DUE = "shop.billing.contracts.Invoice: required field 'due' was added"
RENAMED = "shop.billing.contracts.Invoice: field 'number' was renamed to 'invoice_number' (data still names it 'invoiceNumber')"
WRITTEN_AS = (
    "shop.billing.contracts.Invoice: the name field 'total' is written as changed from its own name to 'grandTotal'"
)
TIGHTENED = "shop.billing.contracts.Money: a constraint of field 'amount' tightened: gt=0 -> ge=1"


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1) if needle in line)


# Each breaking change with its line (a removal's is its model's) and who brought it.
BOTH = sorted(
    [
        (REMOVED_CITY, line_of(UNCOMMITTED, "class Address"), "uncommitted"),
        (LOST_USD, line_of(UNCOMMITTED, "class Currency"), BOB),
        (LOST_PAID, line_of(UNCOMMITTED, "status: Literal"), BOB),
        (ADDED_DUE, line_of(UNCOMMITTED, "due: datetime"), BOB),
        (RENAMED, line_of(UNCOMMITTED, "invoice_number: str"), BOB),
        (WRITTEN_AS, line_of(UNCOMMITTED, "total: Money"), "uncommitted"),
        (TIGHTENED, line_of(UNCOMMITTED, "amount: Decimal = Field("), BOB),
    ]
)


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[History, str]:
    history = History(tmp_path_factory.mktemp("contracts") / "shop")
    history.write(files())
    base = history.commit("Billing with contracts")
    history.write({"shop/billing/contracts.py": COMMITTED})
    history.commit(f"Invoices carry a due date\n\n{CLAUDE}\n", BOB)
    history.write({"shop/billing/contracts.py": UNCOMMITTED})
    return history, base


def stability(result: CheckResult) -> list[tuple[str, int | None, str | None]]:
    """(message, line, who brought it) of each violation; removals are placed at their model's
    line, but name the commit that removed them."""
    found = []
    for violation in violations_of(result, "stable-contracts"):
        assert violation.status == "new" and violation.provenance is not None
        by = violation.provenance.author if violation.provenance.commit else "uncommitted"
        found.append((violation.message, violation.line, BOB if by == "Bob Stone" else by))
    return sorted(found)


def test_without_a_baseline_the_rule_records_the_schemas_and_reports_nothing(tmp_path, capsys):
    write_project(tmp_path, files(), [])
    (tmp_path / "strataview.toml").write_text(CONFIG.format(direction="both"))

    result = check(tmp_path)

    assert rule_result(result, "stable-contracts").kept and result.violations == ()
    assert sorted(result.contract_schemas) == MODELS  # Ledger, a plain class, is no contract model
    invoice = result.contract_schemas["shop.billing.contracts.Invoice"]
    assert (invoice.file, invoice.line, invoice.kind) == (
        "shop/billing/contracts.py",
        line_of(CONTRACTS, "class Invoice"),
        "pydantic",
    )
    assert main(["check", str(tmp_path), "--format", "json", "--no-cache"]) == 0
    output = json.loads(capsys.readouterr().out)
    assert sorted(output["contract_schemas"]) == MODELS and "baseline_contract_schemas" not in output

    (tmp_path / "strataview.toml").write_text('root_packages = ["shop"]\n')
    assert main(["check", str(tmp_path), "--format", "json", "--no-cache"]) == 0
    assert "contract_schemas" not in json.loads(capsys.readouterr().out)


def test_breaking_changes_since_a_git_revision_are_new_violations_with_their_commit(history):
    repository, base = history

    result = check_project(repository.root, CheckOptions(baseline=base))

    assert stability(result) == BOTH
    assert not rule_result(result, "stable-contracts").kept
    assert sorted(result.baseline_contract_schemas) == sorted(result.contract_schemas) == MODELS
    for violation in violations_of(result, "stable-contracts"):
        assert violation.file == "shop/billing/contracts.py" and violation.importer == "shop.billing.contracts"
    due = next(v for v in violations_of(result, "stable-contracts") if v.message == ADDED_DUE)
    assert due.provenance.generated and due.provenance.signals == (CLAUDE,)
    member = next(v for v in violations_of(result, "stable-contracts") if v.message == LOST_USD)
    assert member.detail.startswith(
        "Since the baseline, member USD was removed. shop.billing.contracts.Currency is a model used both ways, "
        "and this change breaks it for input and output"
    )
    assert "Compatible changes to a model used both ways: new optional fields with defaults" in member.detail


@pytest.mark.parametrize(
    ("direction", "expected"),
    [
        ("input", {REMOVED_CITY, LOST_USD, LOST_PAID, ADDED_DUE, TIGHTENED}),
        ("output", {REMOVED_CITY, LOST_USD, RENAMED, WRITTEN_AS}),
    ],
)
def test_the_direction_decides_which_changes_break(history, tmp_path, direction, expected):
    repository, base = history
    config = repository.root / "strataview.toml"
    original = config.read_text()
    config.write_text(CONFIG.format(direction=direction))
    try:
        result = check_project(repository.root, CheckOptions(baseline=base, provenance=False))
    finally:
        config.write_text(original)

    assert {violation.message for violation in violations_of(result, "stable-contracts")} == expected


def test_a_snapshot_carries_the_schemas_and_serves_as_the_baseline(tmp_path, capsys):
    project = tmp_path / "project"
    write_project(project, files(), [])
    (project / "strataview.toml").write_text(CONFIG.format(direction="both"))
    snapshot = tmp_path / "baseline.json"
    assert main(["snapshot", str(project), "--output", str(snapshot), "--no-cache"]) == 0
    capsys.readouterr()
    saved = json.loads(snapshot.read_text())
    assert sorted(saved["contract_schemas"]) == MODELS
    money = saved["contract_schemas"]["shop.billing.contracts.Money"]
    assert money["line"] is None and {field["line"] for field in money["fields"]} == {None}

    # Moving and reformatting the models changes nothing.
    moved = "# Contracts of billing.\n\n\n" + CONTRACTS.replace("    amount: Decimal", "\n\n    amount: Decimal")
    (project / "shop/billing/contracts.py").write_text(moved)
    assert main(["check", str(project), "--baseline", str(snapshot), "--new-only", "--no-cache"]) == 0
    capsys.readouterr()

    (project / "shop/billing/contracts.py").write_text(UNCOMMITTED)
    code = main(["check", str(project), "--baseline", str(snapshot), "--new-only", "--format", "json", "--no-cache"])

    output = json.loads(capsys.readouterr().out)
    assert code == 1
    found = sorted((v["message"], v["line"], v["status"]) for v in output["violations"])
    assert found == [(message, line, "new") for message, line, _ in BOTH]
    assert all(v["file"] == "shop/billing/contracts.py" and v["detail"] for v in output["violations"])
    assert sorted(output["baseline_contract_schemas"]) == MODELS


def test_a_baseline_that_recorded_no_schemas_is_said_so_and_nothing_is_compared(tmp_path, capsys):
    write_project(tmp_path, files(), [])
    (tmp_path / "strataview.toml").write_text('root_packages = ["shop"]\n')
    snapshot = tmp_path / "before-the-rule.json"
    assert main(["snapshot", str(tmp_path), "--output", str(snapshot), "--no-cache"]) == 0
    assert "contract_schemas" not in json.loads(snapshot.read_text())
    (tmp_path / "strataview.toml").write_text(CONFIG.format(direction="both"))
    (tmp_path / "shop/billing/contracts.py").write_text(UNCOMMITTED)

    result = check(tmp_path, baseline=str(snapshot))

    rule = rule_result(result, "stable-contracts")
    assert rule.kept and violations_of(result, "stable-contracts") == []
    assert rule.warnings == (
        (
            "the baseline records none of the models this rule watches (they did not exist, or the snapshot "
            "was made before this rule), so they are not compared"
        ),
    )


def test_a_removed_model_and_compatible_changes(tmp_path):
    project = tmp_path / "project"
    write_project(project, files(), [])
    (project / "strataview.toml").write_text(CONFIG.format(direction="both"))
    snapshot = tmp_path / "baseline.json"
    assert main(["snapshot", str(project), "--output", str(snapshot), "--no-cache"]) == 0
    compatible = edit(
        CONTRACTS,
        ("class Point(NamedTuple):\n    x: int\n    y: int = 0\n", ""),
        ('Field(gt=0, description="How much.")', 'Field(gt=0, description="The amount.")'),
        (
            "    issued: Optional[datetime] = None\n",
            "    issued: Optional[datetime] = None\n    memo: str | None = None\n",
        ),
        ("class Ledger:", "class Ledger(Money):"),  # a plain class that becomes a model is new: nothing to compare
    )
    (project / "shop/billing/contracts.py").write_text(compatible)

    result = check(project, baseline=str(snapshot))

    [removed] = violations_of(result, "stable-contracts")
    assert removed.message == "shop.billing.contracts.Point: the model was removed"
    assert (removed.file, removed.line) == ("shop/billing/contracts.py", None)
    assert "shop.billing.contracts.Ledger" in result.contract_schemas


def test_models_that_name_nothing_are_a_configuration_error(tmp_path):
    rule = {"id": "stable", "type": "contract_stability", "models": ["shop.billing.contracts.Ledger"]}
    write_project(tmp_path, shop(), [rule])

    with pytest.raises(ConfigError, match="'shop.billing.contracts.Ledger' names no module or contract model"):
        check(tmp_path)


def test_the_git_history_is_left_as_it_was(history):
    repository, base = history
    before = repository.state()

    check_project(repository.root, CheckOptions(baseline=base))

    assert repository.state() == before
    assert (repository.root / "shop/billing/contracts.py").read_text() == UNCOMMITTED
