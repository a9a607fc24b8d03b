"""A contract model's removed model, field or Enum member is placed at its model's line, but its
provenance is the commit that removed it: not the one that last touched the class line, nor a
later one that touched the class again."""

from __future__ import annotations

from pathlib import Path

import pytest
from contracts.projects import CONTRACTS
from contracts.test_contract_stability import edit, files

from baseline.history import History
from core.check import CheckOptions, check_project
from core.git import repository_of
from core.model import CheckResult, Provenance
from core.provenance import WORKING_TREE, Removal, removing_commit

BOB = "Bob Stone <bob@example.com>"
CAROL = "Carol Reyes <carol@example.com>"
CONTRACTS_FILE = "shop/billing/contracts.py"
ADDRESS = "shop.billing.contracts.Address"
CITY_GONE = f"{ADDRESS}: field 'city' was removed"
USD_GONE = "shop.billing.contracts.Currency: member USD was removed"
POINT_GONE = "shop.billing.contracts.Point: the model was removed"

WITHOUT_CITY = edit(CONTRACTS, ("    city: str\n", ""))
WITHOUT_USD = edit(WITHOUT_CITY, ('    USD = "USD"\n', ""))
# Later commits touch the classes again without breaking them.
TOUCHED_AGAIN = edit(
    WITHOUT_USD,
    ("class Address(TypedDict):\n", 'class Address(TypedDict):\n    """Where to send it."""\n\n'),
    ('    EUR = "EUR"\n', '    EUR = "EUR"  # the default\n'),
)
WITHOUT_POINT = edit(TOUCHED_AGAIN, ("class Point(NamedTuple):\n    x: int\n    y: int = 0\n", ""))


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[History, dict[str, str]]:
    """The contracts at a baseline; a commit elsewhere; Bob removes a field, Carol an Enum member
    (and first edits that member's line, which breaks nothing); then both classes are touched again."""
    history = History(tmp_path_factory.mktemp("removals") / "shop")
    history.write(files())
    commits = {"baseline": history.commit("Billing with contracts")}
    history.write({"shop/billing/ledger.py": 'class Ledger:\n    """The books."""\n'})
    commits["ledger"] = history.commit("Document the ledger")
    history.write({CONTRACTS_FILE: WITHOUT_CITY})
    commits["city"] = history.commit("Addresses need no city", BOB)
    history.write({CONTRACTS_FILE: edit(WITHOUT_CITY, ('    USD = "USD"\n', '    USD = "USD"  # dollars\n'))})
    commits["usd-comment"] = history.commit("Name the dollar", CAROL)
    history.write({CONTRACTS_FILE: WITHOUT_USD})
    commits["usd"] = history.commit("Euros only", CAROL)
    history.write({CONTRACTS_FILE: TOUCHED_AGAIN})
    commits["touched"] = history.commit("Comments")
    return history, commits


def provenance(result: CheckResult, message: str) -> Provenance:
    [violation] = [v for v in result.violations if v.message == message]
    assert violation.status == "new" and violation.provenance is not None
    return violation.provenance


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_a_removal_names_the_commit_that_removed_it(history):
    repository, commits = history

    result = check_project(repository.root, CheckOptions(baseline=commits["baseline"], use_cache=False))

    city = next(v for v in result.violations if v.message == CITY_GONE)
    assert (city.file, city.line) == (CONTRACTS_FILE, line_of(TOUCHED_AGAIN, "class Address"))
    # The class line was last changed by a later commit, and before it by the baseline's.
    assert provenance(result, CITY_GONE).commit == commits["city"]
    assert provenance(result, CITY_GONE).author == "Bob Stone"
    # Carol's first commit changed the member's line but kept the member; her second removed it.
    assert provenance(result, USD_GONE).commit == commits["usd"]
    assert provenance(result, USD_GONE).summary == "Euros only"


def test_a_removal_in_uncommitted_changes_is_said_so(history, tmp_path):
    repository, commits = history
    (repository.root / CONTRACTS_FILE).write_text(WITHOUT_POINT)
    try:
        result = check_project(repository.root, CheckOptions(baseline=commits["baseline"], use_cache=False))
    finally:
        (repository.root / CONTRACTS_FILE).write_text(TOUCHED_AGAIN)

    point = provenance(result, POINT_GONE)
    assert point.commit is None and point.note == "in uncommitted changes"
    assert provenance(result, CITY_GONE).commit == commits["city"]


def test_a_removed_model_whose_file_was_deleted_names_the_deleting_commit(tmp_path):
    history = History(tmp_path / "shop")
    history.write(files())
    baseline = history.commit("Billing with contracts")
    history.write({"shop/billing/points.py": "class Point:\n    pass\n"})
    history.commit("Points of their own")
    history.remove(CONTRACTS_FILE)
    history.write({"shop/billing/__init__.py": "", "shop/billing/api.py": ""})
    deleted = history.commit("Billing without contracts", BOB)

    result = check_project(history.root, CheckOptions(baseline=baseline, use_cache=False))

    assert provenance(result, POINT_GONE).commit == deleted
    assert provenance(result, CITY_GONE.replace("field 'city'", "the model")).commit == deleted


def test_the_walk_back_from_head_without_a_baseline_commit(history):
    """A snapshot baseline has no commit: the walk starts at HEAD and stops at the first version
    that still declares it; what the history never declared there is not placed."""
    repository, commits = history
    found = repository_of(repository.root)
    assert found is not None
    city = Removal(CONTRACTS_FILE, ("Address",), "city")
    assert removing_commit(found, city, None, 100) == commits["city"]
    assert removing_commit(found, city, commits["baseline"], 100) == commits["city"]
    point = Removal(CONTRACTS_FILE, ("Point",), "x")
    assert removing_commit(found, point, commits["baseline"], 100) is None  # the working tree declares it
    (repository.root / CONTRACTS_FILE).write_text(WITHOUT_POINT)
    try:
        assert removing_commit(found, point, commits["baseline"], 100) == WORKING_TREE
    finally:
        (repository.root / CONTRACTS_FILE).write_text(TOUCHED_AGAIN)
    never = Removal(CONTRACTS_FILE, ("Address",), "country")
    assert removing_commit(found, never, None, 100) is None
    assert removing_commit(found, never, commits["baseline"], 100) is None
    # Not further back than the history depth: the removing commit is three commits back.
    assert removing_commit(found, city, None, 2) is None


def test_a_field_changed_in_place_keeps_the_commit_of_its_line(history):
    """Only removals are walked: a change at a field's own line is that line's commit."""
    repository, commits = history
    changed = edit(TOUCHED_AGAIN, ("    street: str\n", "    street: int\n"))
    (repository.root / CONTRACTS_FILE).write_text(changed)
    try:
        result = check_project(repository.root, CheckOptions(baseline=commits["baseline"], use_cache=False))
    finally:
        (repository.root / CONTRACTS_FILE).write_text(TOUCHED_AGAIN)
    street = next(v for v in result.violations if "field 'street'" in v.message)
    assert street.line == line_of(changed, "street: int")
    assert street.provenance is not None and street.provenance.note == "in uncommitted changes"
    assert provenance(result, CITY_GONE).commit == commits["city"]


def test_the_files_are_read_from_the_project_inside_a_larger_repository(tmp_path: Path):
    history = History(tmp_path / "monorepo")
    history.write({f"services/shop/{name}": text for name, text in files().items()})
    baseline = history.commit("Billing with contracts")
    history.write({f"services/shop/{CONTRACTS_FILE}": WITHOUT_CITY})
    removed = history.commit("Addresses need no city", BOB)

    result = check_project(history.root / "services/shop", CheckOptions(baseline=baseline, use_cache=False))

    assert provenance(result, CITY_GONE).commit == removed


def test_a_model_that_became_a_plain_class_names_the_commit_of_its_class_line(tmp_path: Path):
    history = History(tmp_path / "shop")
    history.write(files())
    baseline = history.commit("Billing with contracts")
    history.write({"shop/billing/ledger.py": 'class Ledger:\n    """The books."""\n'})
    history.commit("Document the ledger")
    history.write({CONTRACTS_FILE: edit(CONTRACTS, ("class Point(NamedTuple):", "class Point:"))})
    plain = history.commit("Points are plain objects", CAROL)
    history.write({"shop/billing/ledger.py": 'class Ledger:\n    """The books, balanced."""\n'})
    history.commit("Document the ledger better")

    result = check_project(history.root, CheckOptions(baseline=baseline, use_cache=False))

    # The class is still there, so nothing was removed: its line's commit is the change's.
    assert provenance(result, POINT_GONE).commit == plain
