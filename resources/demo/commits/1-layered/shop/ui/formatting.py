"""Presentation helpers."""


def format_price(cents: int, currency: str = "EUR") -> str:
    return f"{cents / 100:.2f} {currency}"


def format_quantity(count: int) -> str:
    return "out of stock" if count <= 0 else f"{count} left"
