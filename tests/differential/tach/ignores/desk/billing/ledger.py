class Ledger:
    pass


def audit():
    pass
