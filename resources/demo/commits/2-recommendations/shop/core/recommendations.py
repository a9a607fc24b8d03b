"""Product recommendations from a customer's purchase history."""

from collections import Counter

from shop.adapters.postgres import PostgresOrders, PostgresStock
from shop.core.models import Product
from shop.ui.formatting import format_price


def recommend(customer_id: int, limit: int = 3) -> list[str]:
    """The products a customer buys most, with their prices ready to display."""
    history = PostgresOrders().history(customer_id)
    bought = Counter(sku for order in history for sku in order.skus)
    products = {product.sku: product for product in PostgresStock().products()}
    ranked: list[Product] = [products[sku] for sku, _ in bought.most_common(limit) if sku in products]
    return [f"{product.name} ({format_price(product.price_cents)})" for product in ranked]
