"""Web pages and presentation helpers."""
