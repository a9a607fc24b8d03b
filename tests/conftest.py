import os

# Qt must never look for a screen: every test runs offscreen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
