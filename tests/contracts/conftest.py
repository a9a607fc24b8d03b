"""Contract tests write small projects; those that compare with git histories or snapshots run
with their own cache and temporary folders, as the baseline tests do."""

from __future__ import annotations

from baseline.conftest import private_cache, private_temp

__all__ = ["private_cache", "private_temp"]
