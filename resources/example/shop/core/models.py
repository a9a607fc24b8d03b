"""Domain models."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Product:
    sku: str
    price_cents: int
