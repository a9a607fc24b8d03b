"""Old price export, kept until the reporting rewrite."""

from shop.core.models import Product
from shop.ui.formatting import format_price


def export_prices(products: list[Product]) -> list[str]:
    return [f"{product.sku};{format_price(product.price_cents)}" for product in products]
