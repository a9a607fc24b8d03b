def step():
    pass
