from shop.billing.ledger import Ledger
from shop.util import text


def charge(amount: int) -> int:
    return amount


def refund(amount: int) -> int:
    return -amount
