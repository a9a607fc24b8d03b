def get():
    pass
