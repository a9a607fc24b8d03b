"""Order endpoints."""

from shop.api import payments
from shop.cli.admin import audit


def place_order(sku: str) -> str:
    audit(sku)
    return payments.charge(sku)
