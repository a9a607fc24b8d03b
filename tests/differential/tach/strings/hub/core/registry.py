class Registry:
    pass


def register(path):
    return path


def _internal():
    pass
