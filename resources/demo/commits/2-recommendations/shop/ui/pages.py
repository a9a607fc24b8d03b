"""Web pages."""

from shop.api.catalogue import list_products
from shop.api.orders import order_summary
from shop.core.recommendations import recommend
from shop.ui.formatting import format_price, format_quantity


def catalogue_page() -> str:
    return "\n".join(
        f"{item.product.name}: {format_price(item.price_cents)}, {format_quantity(item.stock)}"
        for item in list_products()
    )


def order_page(order_id: int) -> str:
    summary = order_summary(order_id)
    suggestions = ", ".join(recommend(summary.customer_id))
    return f"Order {order_id}: {format_price(summary.total_cents)}\nYou may also like: {suggestions}"
