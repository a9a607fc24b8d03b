def info(message: str) -> None:
    pass
