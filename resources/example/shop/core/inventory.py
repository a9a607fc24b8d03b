"""Stock levels."""

from shop.adapters.postgres import connect
from shop.core.models import Product


def in_stock(product: Product) -> bool:
    return connect().stock(product.sku) > 0
