from kit.plugins.alpha import hook
from kit.engine import run
from kit.store import save
from kit import main
from kit.engine.internals import step
