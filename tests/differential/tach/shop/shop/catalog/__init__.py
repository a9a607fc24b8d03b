from shop.catalog.store import Item, find_items, _secret
