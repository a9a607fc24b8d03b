from __future__ import annotations

import json
from typing import TYPE_CHECKING

import yaml

from shop.billing import charge, Ledger
from shop.billing.api import refund
from shop.billing.ledger import Ledger as RawLedger
from shop.catalog import (
    Item,
    find_items,
    _secret,
)
from shop import admin
from shop.util.text import slug
from . import pricing

if TYPE_CHECKING:
    from shop.admin.panel import Panel


def report():
    from shop.admin.panel import Panel

    return Panel
