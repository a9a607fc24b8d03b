from ..catalog.store import lookup
from ..billing import refund
