"""Presentation helpers."""


def format_price(cents: int) -> str:
    return f"${cents / 100:.2f}"
