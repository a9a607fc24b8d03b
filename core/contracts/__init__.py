"""Data contracts read statically: the analysed code is parsed with `ast`, never imported or run.

- `code`: each module parsed once per check, and names resolved as Python binds them (imports,
  aliases, relative and star imports, re-exports through `__init__`).
- `type_expressions`: annotations as resolved type expressions (generics, unions, Optional,
  Annotated, Literal, string and forward references) and whether one type accepts another.
- `models`: which classes are contract models (pydantic models, dataclasses, TypedDicts,
  NamedTuples, Enums, also through inheritance) and their schemas.
- `changes`: two schemas of a model compared, each change breaking or not per direction.
- `surface`: an interface's public functions, methods and attributes, and the calls into it.
"""
