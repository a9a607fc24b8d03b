"""Payment endpoints."""

from shop.core.models import Order


def charge(order: Order) -> str:
    return f"charged {order.total_cents} cents for order {order.id}"


def refund(order: Order) -> str:
    return f"refunded {order.total_cents} cents for order {order.id}"
