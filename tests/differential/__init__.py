"""Configurations and helpers for the differential tests against import-linter."""
