from __future__ import annotations

from typing import TYPE_CHECKING

import json  # tach-ignore
import yaml  # tach-ignore(not checked here)
from desk.billing import charge  # tach-ignore
from desk.billing import charge, Ledger  # tach-ignore Ledger
from desk.billing import Ledger  # tach-ignore(reason) desk.billing.Ledger
from desk.billing.ledger import audit  # tach-ignore billing.ledger.audit
from desk.billing.ledger import Ledger as Book  # tach-ignore Book
# tach-ignore(the ledger is needed for refunds)
import desk.billing.ledger
from desk.billing import (  # tach-ignore charge
    charge,
    Ledger,
)
from desk.billing import (
    charge,
    Ledger,  # tach-ignore
)
import desk.ui, desk.core  # tach-ignore desk.ui
from desk import ui  # tach-ignore ui
from desk.core import Order  # tach-ignore
import desk.billing  # tach-ignore: colons are not the syntax
import desk.billing  # tach-ignore  # noqa
import desk.billing  # noqa # tach-ignore
# tach-ignore
import desk.billing  # tach-ignore
from . import pricing  # tach-ignore pricing
from ..billing import api  # tach-ignore
from ..billing.api import charge  # tach-ignore charge
value = 1  # tach-ignore

if TYPE_CHECKING:
    from desk.ui import views  # tach-ignore


def later():
    from desk.ui import views  # tach-ignore(only at run time)
    import desk.ui.views

    return views


class Handler:
    import desk.billing.ledger

    def handle(self):
        from desk.billing import Ledger

        return Ledger


if __name__ == "__main__":
    import desk.ui
