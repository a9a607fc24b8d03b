from kit.engine import run
from kit.plugins import gamma


def hook():
    pass
