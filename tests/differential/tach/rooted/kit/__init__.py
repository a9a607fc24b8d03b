from kit.engine import run
