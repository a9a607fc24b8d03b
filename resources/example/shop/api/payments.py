"""Payment endpoints."""

from shop.api import orders


def charge(sku: str) -> str:
    return f"charged {sku}"


def refund(sku: str) -> str:
    return orders.place_order(sku)
