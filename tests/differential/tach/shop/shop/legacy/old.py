from shop.catalog.store import _rows
from shop.billing.ledger import Ledger
