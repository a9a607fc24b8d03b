"""A small web shop, layered ui > api | cli > core."""
