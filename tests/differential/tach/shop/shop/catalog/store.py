import shop.util.text


class Item:
    pass


def find_items():
    return []


def lookup():
    return None


_secret = 1
_rows = []
