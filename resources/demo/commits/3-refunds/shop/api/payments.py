"""Payment endpoints."""

from shop.api import orders
from shop.core.models import Order


def charge(order: Order) -> str:
    return f"charged {order.total_cents} cents for order {order.id}"


def refund(order_id: int) -> str:
    order = orders.order_summary(order_id)
    return f"refunded {order.total_cents} cents for order {order.id}"
