from desk.billing.api import charge
from desk.billing.ledger import Ledger
