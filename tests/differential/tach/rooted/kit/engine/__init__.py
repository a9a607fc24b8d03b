from kit.engine.internals import step as run


class Engine:
    pass
