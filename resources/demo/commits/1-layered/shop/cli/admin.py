"""Administration commands."""

import sys

from shop.adapters.postgres import PostgresStock
from shop.core.inventory import stock_level
from shop.core.legacy.export import export_prices


def low_stock(threshold: int = 5) -> list[str]:
    stock = PostgresStock()
    return [product.sku for product in stock.products() if stock_level(stock, product) < threshold]


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "low-stock"
    if command == "export":
        print("\n".join(export_prices(PostgresStock().products())))
    else:
        print("\n".join(low_stock()))
