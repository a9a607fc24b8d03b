"""Old export path, kept until the reporting rewrite."""

from shop.ui import formatting


def export(products):
    return [formatting.format_price(p.price_cents) for p in products]
