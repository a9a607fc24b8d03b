"""Stock levels, read through a port that the adapters implement."""

from typing import Protocol

from shop.core.models import Product


class StockSource(Protocol):
    def count(self, sku: str) -> int: ...


def stock_level(source: StockSource, product: Product) -> int:
    return max(source.count(product.sku), 0)
