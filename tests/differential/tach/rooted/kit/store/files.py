from kit.engine import run
from kit.cache import get
