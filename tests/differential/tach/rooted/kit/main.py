from kit.engine import run
from kit.plugins import alpha
from kit.cli import app
