from app.domain.order import Order
from app.infra.db import connect
from app.ui import views


def run():
    return Order
