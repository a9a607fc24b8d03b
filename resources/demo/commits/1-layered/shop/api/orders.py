"""Order endpoints."""

from shop.adapters.postgres import PostgresOrders
from shop.api import payments
from shop.core.models import Order


def place_order(customer_id: int, skus: list[str]) -> Order:
    order = PostgresOrders().create(customer_id, skus)
    payments.charge(order)
    return order


def order_summary(order_id: int) -> Order:
    return PostgresOrders().get(order_id)
