import networkx
import beta
