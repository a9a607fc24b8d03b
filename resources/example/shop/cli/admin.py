"""Administration commands."""

from shop.core.inventory import in_stock
from shop.core.models import Product


def audit(sku: str) -> bool:
    return in_stock(Product(sku, 0))
