"""Code outside every tach module: tach's root module, ignored by default."""
from shop.billing.ledger import Ledger
from shop.catalog.store import _rows
