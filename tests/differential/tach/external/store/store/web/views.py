def render():
    import networkx

    return networkx
