from desk.billing.ledger import Ledger


def charge(amount):
    return Ledger()
