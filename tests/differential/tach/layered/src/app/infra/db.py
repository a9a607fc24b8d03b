from app.domain import order


def connect():
    return None
