import six
import networkx
from store.orders import items
