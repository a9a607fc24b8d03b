from corelib.money import add


def handle():
    return add(1, 2)
