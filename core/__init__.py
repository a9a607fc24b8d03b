"""Strataview's engine: import graph, architecture rules and check results. Never imports Qt."""

__version__ = "0.1.0"
