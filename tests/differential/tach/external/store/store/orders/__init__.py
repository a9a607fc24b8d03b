import networkx
from store.catalog import items
import PIL.Image
import requests
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sortedcontainers
