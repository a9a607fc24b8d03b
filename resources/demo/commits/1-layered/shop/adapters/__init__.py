"""Connections to the outside world, implementing the core's ports."""
