from shop.admin.panel import Panel
from shop.billing.ledger import Ledger
