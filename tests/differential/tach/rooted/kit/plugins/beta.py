from kit.plugins.alpha import hook
from kit.engine import Engine
from kit.store import save
