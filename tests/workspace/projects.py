"""A small layered project with three violations, and workspaces holding decisions on them."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from core.model import CheckResult, Violation
from core.workspace import Decision
from fixtures.projects import write_project

FILES = {
    "shop/ui/views.py": "",
    "shop/api/orders.py": "",
    "shop/core/prices.py": "import os\n\nfrom shop.ui import views\n",
    "shop/core/stock.py": "from shop.api import orders\n",
    "shop/adapters/db.py": "",
    "shop/core/models.py": "from shop.adapters import db\n",
}
RULES = (
    {"id": "layers", "name": "ui over api over core", "type": "layers", "layers": ["shop.ui", "shop.api", "shop.core"]},
    {"id": "no-adapters", "type": "forbidden", "source_modules": ["shop.core"], "forbidden_modules": ["shop.adapters"]},
)
WHEN = datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc)


def write_shop(root: Path) -> Path:
    return write_project(root, FILES, RULES, root_packages=["shop"])


def by_message(result: CheckResult, text: str) -> Violation:
    return next(violation for violation in result.violations if text in violation.message)


def decision(status: str, note: str = "", expires: date | None = None, violation: Violation | None = None) -> Decision:
    return Decision(
        status=status,
        note=note,
        reviewer="Ada",
        decided_at=WHEN,
        expires=expires,
        rule=violation.rule if violation else None,
        message=violation.message if violation else None,
    )
