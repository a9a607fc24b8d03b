import desk.core
