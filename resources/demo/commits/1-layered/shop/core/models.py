"""Domain models."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    price_cents: int


@dataclass(frozen=True)
class Order:
    id: int
    customer_id: int
    skus: tuple[str, ...]
    total_cents: int
