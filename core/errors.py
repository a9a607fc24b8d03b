"""Errors a user can cause: each names the file and the place, so it can be shown as one line."""

from __future__ import annotations


class StrataviewError(Exception):
    """A problem with the user's input (configuration, analysed code, command line)."""

    def __init__(self, message: str, *, file: str | None = None, place: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.place = place

    def __str__(self) -> str:
        location = ":".join(part for part in (self.file, self.place) if part)
        return f"{location}: {self.message}" if location else self.message

    def as_dict(self) -> dict[str, str | None]:
        return {"message": self.message, "file": self.file, "place": self.place}


class ConfigError(StrataviewError):
    """The configuration cannot be read or does not make sense for this project."""


class AnalysedCodeError(StrataviewError):
    """The analysed project cannot be parsed (syntax error, bad encoding, missing package)."""
