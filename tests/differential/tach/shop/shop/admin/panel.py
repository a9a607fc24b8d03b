from shop.billing.admin_tools import reset
from shop.billing import charge
from shop.billing.ledger import Ledger
from shop.catalog.store import lookup
from shop.orders import service


class Panel:
    pass
