"""Price rules."""

from shop.core.models import Product
from shop.ui.formatting import format_price


def discounted(product: Product, percent: int) -> Product:
    price = product.price_cents * (100 - percent) // 100
    print(format_price(price))
    return Product(product.sku, price)
