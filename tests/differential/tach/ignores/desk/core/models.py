import desk.billing  # tach-ignore(the one place core may see billing)
from desk.orders import service  # tach-ignore


class Order:
    pass


def seed():
    import scripts.seed  # tach-ignore(first-party, though in no module)
