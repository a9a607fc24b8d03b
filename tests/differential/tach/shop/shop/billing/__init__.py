from shop.billing.api import charge, refund
from shop.billing.ledger import Ledger
