import attr
import typing_extensions
