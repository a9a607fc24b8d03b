"""The PostgreSQL adapter (an in-memory stand-in for the demo)."""

from shop.core.models import Order, Product

_PRODUCTS = {
    "tea": (Product("tea", "Green tea", 450), 12),
    "mug": (Product("mug", "Stoneware mug", 1200), 3),
    "pot": (Product("pot", "Cast-iron teapot", 3900), 0),
}


class PostgresStock:
    def products(self) -> list[Product]:
        return [product for product, _ in _PRODUCTS.values()]

    def count(self, sku: str) -> int:
        return _PRODUCTS[sku][1]


class PostgresOrders:
    def create(self, customer_id: int, skus: list[str]) -> Order:
        total = sum(_PRODUCTS[sku][0].price_cents for sku in skus)
        return Order(1, customer_id, tuple(skus), total)

    def get(self, order_id: int) -> Order:
        return Order(order_id, 7, ("tea",), _PRODUCTS["tea"][0].price_cents)

    def history(self, customer_id: int) -> list[Order]:
        return [Order(1, customer_id, ("tea", "mug"), 1650), Order(2, customer_id, ("tea",), 450)]
