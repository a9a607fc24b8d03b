from desk.core.models import Order
