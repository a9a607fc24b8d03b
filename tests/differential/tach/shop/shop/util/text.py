def slug(text: str) -> str:
    return text
