"""Web pages."""

from shop.api.catalogue import list_products
from shop.ui.formatting import format_price


def catalogue_page() -> str:
    return "\n".join(f"{p.sku}: {format_price(p.price_cents)}" for p in list_products())
