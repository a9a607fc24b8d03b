from desk.orders import service
from desk.billing.ledger import Ledger  # tach-ignore
import desk.core  # tach-ignore()
