"""Every module's provenance: the commit that added it, read once from the history and then kept."""

from __future__ import annotations

import core.provenance
from baseline.history import SHOP_CONFIG, SHOP_PACKAGES, History
from core.check import CheckOptions, check_project


def shop(root) -> History:
    history = History(root)
    history.write({**SHOP_PACKAGES, "shop/core/models.py": "class Order:\n    pass\n"})
    history.commit("Shop")
    history.write({"shop/ui/widgets.py": "def button():\n    return 1\n"})
    history.commit("Widgets")
    return history


def test_a_later_check_reads_only_the_commits_made_since_the_last(tmp_path, monkeypatch):
    history = shop(tmp_path / "shop")
    searched: list[str] = []
    additions = core.provenance._additions_in

    def counting(repository, directories, revisions, depth):
        searched.append(revisions)
        return additions(repository, directories, revisions, depth)

    monkeypatch.setattr(core.provenance, "_additions_in", counting)
    options = CheckOptions(baseline="HEAD~1", cache_dir=tmp_path / "cache")
    first = check_project(history.root, options)
    head = history.git("rev-parse", "HEAD").strip()
    assert searched == [head]  # the whole history, once

    searched.clear()
    assert check_project(history.root, options) == first
    assert searched == []  # nothing new since

    history.write({"shop/core/pricing.py": "from shop.core import models\n"})
    newest = history.commit("Pricing")
    result = check_project(history.root, CheckOptions(baseline="HEAD~2", cache_dir=tmp_path / "cache"))
    assert searched == [f"{head}..{newest}"]  # only the commit made since
    assert result.module_provenance["shop.core.pricing"].summary == "Pricing"
    assert result.module_provenance["shop.ui.widgets"].summary == "Widgets"
    assert result.module_provenance["shop.core.models"].summary == "Shop"


def test_modules_older_than_the_history_depth_say_so(tmp_path):
    history = shop(tmp_path / "shop")
    history.write(
        {"pyproject.toml": SHOP_CONFIG + "\n[tool.strataview.provenance]\nhistory_depth = 1\n"}
    )
    history.commit("Depth", same_day=True)
    history.write({"shop/ui/draft.py": ""})
    result = check_project(history.root, CheckOptions(baseline="HEAD~1", use_cache=False))
    provenance = result.module_provenance
    assert provenance["shop.core.models"].commit is None
    assert provenance["shop.core.models"].note == "added before the 1 most recent commit"
    assert provenance["shop.ui.draft"].note == "in uncommitted changes"


def test_a_rewritten_history_is_read_again(tmp_path):
    history = shop(tmp_path / "shop")
    options = CheckOptions(baseline="HEAD~1", cache_dir=tmp_path / "cache")
    check_project(history.root, options)
    history.git("reset", "--quiet", "--hard", "HEAD~1")
    history.write({"shop/ui/widgets.py": "def button():\n    return 2\n"})
    history.commit("Widgets, again")
    result = check_project(history.root, options)
    assert result.module_provenance["shop.ui.widgets"].summary == "Widgets, again"
