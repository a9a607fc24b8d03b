"""Weekly sales report: revenue per product over the last orders."""

from collections import defaultdict

from shop.adapters.postgres import PostgresOrders, PostgresStock
from shop.ui.formatting import format_price


def weekly_sales(customer_ids: list[int]) -> list[str]:
    prices = {product.sku: product.price_cents for product in PostgresStock().products()}
    revenue: dict[str, int] = defaultdict(int)
    for customer_id in customer_ids:
        for order in PostgresOrders().history(customer_id):
            for sku in order.skus:
                revenue[sku] += prices.get(sku, 0)
    return [f"{sku}: {format_price(cents)}" for sku, cents in sorted(revenue.items(), key=lambda item: -item[1])]
