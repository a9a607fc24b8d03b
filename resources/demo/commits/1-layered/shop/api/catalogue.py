"""Catalogue endpoints."""

from dataclasses import dataclass

from shop.adapters.postgres import PostgresStock
from shop.core.inventory import stock_level
from shop.core.models import Product
from shop.core.pricing import price_with_discount


@dataclass(frozen=True)
class CatalogueItem:
    product: Product
    price_cents: int
    stock: int


def list_products() -> list[CatalogueItem]:
    stock = PostgresStock()
    return [
        CatalogueItem(product, price_with_discount(product), stock_level(stock, product))
        for product in stock.products()
    ]
