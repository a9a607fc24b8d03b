class View:
    pass


def render():
    return "hub.core.registry.Registry"
