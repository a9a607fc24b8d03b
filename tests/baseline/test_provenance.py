"""`generated` is decided by named signals from the history only, configurable under [tool.strataview.provenance]."""

from __future__ import annotations

import json

import pytest

from app.cli import main
from baseline.history import SHOP_PACKAGES, History
from core.check import CheckOptions, check_project
from core.config import load_config
from core.demo import create_demo_project
from core.errors import ConfigError
from core import git
from core.provenance import Commit, ProvenanceOptions, read_commits, signals

DEFAULTS = ProvenanceOptions()


def commit(
    message: str = "Change things\n", author: str = "Ada", email: str = "ada@example.com", **stats: int
) -> Commit:
    return Commit(
        sha="a" * 40,
        author=author,
        email=email,
        date="2025-02-01T10:00:00+00:00",
        committed=0,
        message=message,
        modules_added=stats.get("modules", 1),
        lines_added=stats.get("lines", 20),
    )


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "Fix\n\nCo-authored-by: Claude <noreply@anthropic.com>\n",
            ("Co-authored-by: Claude <noreply@anthropic.com>",),
        ),
        (
            "Fix\n\nco-authored-by: GitHub Copilot <175728472+Copilot@users.noreply.github.com>\n",
            ("co-authored-by: GitHub Copilot <175728472+Copilot@users.noreply.github.com>",),
        ),
        ("Fix\n\nGenerated-by: aider 0.80\n", ("Generated-by: aider 0.80",)),
        ("Fix\n\nAssisted-by: Cursor\nAssisted-by: Gemini\n", ("Assisted-by: Cursor", "Assisted-by: Gemini")),
        (
            "Fix\n\nCo-authored-by: Devin AI <devin-ai-integration[bot]@users.noreply.github.com>\n",
            ("Co-authored-by: Devin AI <devin-ai-integration[bot]@users.noreply.github.com>",),
        ),
        ("Fix\n\nCo-authored-by: Jane Doe <jane@example.com>\n", ()),
        ("Fix\n\nCo-authored-by: Claudette Morel <claudette@example.com>\n", ()),
        ("Fix\n\nReviewed-by: Copilot\n", ()),
        ("Mention Claude and ChatGPT in the docs\n", ()),
    ],
)
def test_trailers_naming_an_assistant_are_signals(message, expected):
    assert signals(commit(message), DEFAULTS) == expected


def test_bot_authors_tool_subjects_and_bursts_are_signals():
    assert signals(
        commit(author="dependabot[bot]", email="49699333+dependabot[bot]@users.noreply.github.com"), DEFAULTS
    ) == ("bot author: dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>",)
    assert signals(commit("aider: add refunds\n"), DEFAULTS) == ("tool subject: aider: add refunds",)
    assert signals(commit("Aider: add refunds\n"), DEFAULTS) == ("tool subject: Aider: add refunds",)
    assert signals(commit(modules=10), DEFAULTS) == ("burst: 10 modules added (threshold 10)",)
    assert signals(commit(modules=9, lines=999), DEFAULTS) == ()
    assert signals(commit(lines=1000), DEFAULTS) == ("burst: 1000 lines of Python added (threshold 1000)",)
    # No signal, no guess: a large human commit below the thresholds is not generated.
    assert signals(commit("Rewrite the pricing engine by hand\n", modules=9, lines=990), DEFAULTS) == ()


def test_every_signal_is_listed_together():
    found = signals(
        commit(
            "aider: reports\n\nCo-authored-by: aider <aider@example.com>\n",
            author="ci-bot[bot]",
            modules=12,
            lines=2000,
        ),
        DEFAULTS,
    )
    assert found == (
        "Co-authored-by: aider <aider@example.com>",
        "bot author: ci-bot[bot] <ada@example.com>",
        "tool subject: aider: reports",
        "burst: 12 modules added (threshold 10)",
        "burst: 2000 lines of Python added (threshold 1000)",
    )


def test_the_signals_follow_the_configuration():
    options = ProvenanceOptions(
        assistants=("Robo Coder",),
        trailers=("Pair",),
        bot_authors=("build-user",),
        tool_subjects=("[gen]",),
        burst_modules=3,
        burst_lines=50,
    )
    assert signals(commit("Fix\n\nPair: Robo Coder <r@example.com>\n"), options) == (
        "Pair: Robo Coder <r@example.com>",
    )
    assert signals(commit("Fix\n\nCo-authored-by: Claude <c@example.com>\n"), options) == ()
    assert signals(commit(email="build-user@ci.example.com"), options) == (
        "bot author: Ada <build-user@ci.example.com>",
    )
    assert signals(commit("[gen] models\n"), options) == ("tool subject: [gen] models",)
    assert signals(commit(modules=3, lines=50), options) == (
        "burst: 3 modules added (threshold 3)",
        "burst: 50 lines of Python added (threshold 50)",
    )


def test_provenance_options_are_read_from_the_configuration(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.strataview]\nroot_packages = ["shop"]\n\n'
        '[tool.strataview.provenance]\nassistants = ["Robo"]\nburst_modules = 3\n'
    )
    options = load_config(tmp_path).config.provenance
    assert options.assistants == ("Robo",) and options.burst_modules == 3 and options.burst_lines == 1000
    (tmp_path / "pyproject.toml").write_text(
        '[tool.strataview]\nroot_packages = ["shop"]\n\n[tool.strataview.provenance]\nburst_module = 3\n'
    )
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    assert str(raised.value) == (
        f"{tmp_path / 'pyproject.toml'}:[tool.strataview]: "
        "unknown option 'provenance.burst_module' (did you mean 'provenance.burst_modules'?)"
    )
    (tmp_path / "pyproject.toml").write_text(
        '[tool.strataview]\nroot_packages = ["shop"]\n\n[tool.strataview.provenance]\nburst_lines = 0\n'
    )
    with pytest.raises(ConfigError, match="option 'provenance.burst_lines'"):
        load_config(tmp_path)


def test_a_tool_subject_and_a_bot_author_in_a_real_history(tmp_path):
    history = History(tmp_path / "shop")
    history.write(SHOP_PACKAGES)
    history.commit("Shop")
    history.write({"shop/core/a.py": "from shop import ui\n"})
    aider = history.commit("aider: add a\n")
    history.write({"shop/core/b.py": "import shop.ui\n"})
    bot = history.commit("Bump b\n", "renovate[bot] <29139614+renovate[bot]@users.noreply.github.com>")
    result = check_project(history.root, CheckOptions(baseline="HEAD~2"))
    assert result.module_provenance["shop.core.a"].commit == aider
    assert result.module_provenance["shop.core.a"].signals == ("tool subject: aider: add a",)
    assert result.module_provenance["shop.core.b"].signals == (
        "bot author: renovate[bot] <29139614+renovate[bot]@users.noreply.github.com>",
    )
    [violation] = result.violations
    # The newest of the violation's import lines is the bot's.
    assert violation.provenance is not None and violation.provenance.commit == bot


def test_of_commits_made_in_the_same_second_the_later_one_in_the_history_is_newest(tmp_path):
    history = History(tmp_path / "shop")
    history.write(SHOP_PACKAGES)
    history.commit("Shop")
    history.write({"shop/core/b.py": "from shop import ui\n"})
    history.commit("First of a rebased series")
    history.write({"shop/core/a.py": "import shop.ui\n"})
    second = history.commit("Second of a rebased series", same_day=True)
    [violation] = check_project(history.root, CheckOptions(baseline="HEAD~2")).violations
    assert violation.provenance is not None
    assert (violation.provenance.commit, violation.provenance.summary) == (second, "Second of a rebased series")


def test_the_demo_checked_against_its_first_commit(tmp_path, capsys):
    demo = create_demo_project(tmp_path / "demo")
    first, recommendations, refunds, report = (commit.sha for commit in demo.commits)
    assert main(["check", str(demo.root), "--baseline", first, "--format", "json", "--new-only"]) == 1
    result = json.loads(capsys.readouterr().out)
    claude = ["Co-authored-by: Claude <noreply@anthropic.com>"]
    copilot = ["Co-authored-by: Copilot <copilot@github.com>"]
    assert [
        (v["rule"], v["status"], v["provenance"]["commit"], v["provenance"]["generated"], v["provenance"]["signals"])
        for v in result["violations"]
    ] == [
        ("layers", "new", report, True, copilot),
        ("layers", "new", recommendations, True, claude),
        ("core-without-adapters", "new", recommendations, True, claude),
        ("no-cycles", "new", refunds, False, []),
        ("everything-has-a-place", "new", report, True, copilot),
    ]
    assert result["fixed"] == []
    assert result["drift"]["modules_added"] == ["shop.core.recommendations", "shop.sales_report"]
    added = {module: result["module_provenance"][module]["commit"] for module in result["drift"]["modules_added"]}
    assert added == {"shop.core.recommendations": recommendations, "shop.sales_report": report}
    # Every other module came with the demo's first commit.
    assert {p["commit"] for module, p in result["module_provenance"].items() if module not in added} == {first}
    assert main(["check", str(demo.root), "--baseline", report, "--new-only"]) == 0


def test_the_first_commit_of_a_history_is_no_burst_however_large():
    options = ProvenanceOptions()
    large = commit(modules=40, lines=5000)
    assert signals(large, options) == (
        "burst: 40 modules added (threshold 10)",
        "burst: 5000 lines of Python added (threshold 1000)",
    )
    root = large.model_copy(update={"root": True})
    assert signals(root, options) == ()
    # Other evidence still counts on a first commit.
    trailer = root.model_copy(update={"message": "Import\n\nCo-authored-by: Claude <noreply@anthropic.com>\n"})
    assert signals(trailer, options) == ("Co-authored-by: Claude <noreply@anthropic.com>",)


def test_reading_a_real_history_marks_only_its_first_commit_as_root(tmp_path):
    history = History(tmp_path / "shop")
    history.write(SHOP_PACKAGES)
    first = history.commit("Shop")
    history.write({"shop/core/a.py": ""})
    second = history.commit("Add a")
    commits = read_commits(git.repository_of(history.root), [first, second])
    assert (commits[first].root, commits[second].root) == (True, False)
