"""Price rules."""

from shop.core.models import Product

SEASONAL_DISCOUNT_PERCENT = 10


def price_with_discount(product: Product, percent: int = SEASONAL_DISCOUNT_PERCENT) -> int:
    return product.price_cents * (100 - percent) // 100
