"""The text and JSON reports, rendered from hand-made check results, and the registry of formats."""

from __future__ import annotations

import inspect
import json

from core.model import (
    CheckResult,
    GraphSummary,
    IgnoredImport,
    ImportLink,
    ProblemReport,
    ProjectInfo,
    RuleResult,
    ToolInfo,
    Violation,
)
from core.reports import REPORT_FORMATS, json_report, text_report


def link(importer: str, imported: str, line: int, content: str) -> ImportLink:
    return ImportLink(
        importer=importer,
        imported=imported,
        line_numbers=(line,),
        line_contents=(content,),
        file=importer.replace(".", "/") + ".py",
    )


def result(rules: tuple[RuleResult, ...], violations: tuple[Violation, ...] = ()) -> CheckResult:
    return CheckResult(
        tool=ToolInfo(version="9.9"),
        project=ProjectInfo(root="/work/café", root_packages=("shop", "tools"), config="pyproject.toml"),
        graph=GraphSummary(modules=12, imports=30),
        rules=rules,
        violations=violations,
    )


CYCLE = Violation(
    fingerprint="f1",
    rule="no-cycles",
    type="acyclic",
    message="import cycle shop.a -> shop.b -> shop.a",
    importer="shop.a",
    imported="shop.b",
    chains=(
        (link("shop.a", "shop.b", 3, "from shop import b"), link("shop.b", "shop.a", 7, "from shop import a")),
        (link("shop.c", "shop.a", 1, "import shop.a"),),
        (link("shop.d", "shop.a", 2, "import shop.a"),),
    ),
)
BROKEN = RuleResult(
    id="no-cycles",
    name="no cycles",
    type="acyclic",
    kept=False,
    violations=1,
    ignored=(
        IgnoredImport(importer="shop.x", imported="shop.y", file="shop/x.py", line=4, expression="shop.x -> shop.y"),
    ),
    unmatched_ignores=("shop.old -> shop.y",),
    warnings=("ignore_imports expression 'shop.old -> shop.y' matched no import",),
)
KEPT = RuleResult(id="a", name="first", type="layers", kept=True, violations=0)
ALSO_KEPT = RuleResult(id="b", name="second", type="independence", kept=True, violations=0)


def test_formats_are_registered_by_name_each_with_a_title_a_suffix_and_render():
    assert list(REPORT_FORMATS) == ["text", "json", "sarif", "html", "markdown", "junit", "github"]
    assert REPORT_FORMATS["text"] is text_report and REPORT_FORMATS["json"] is json_report
    for module in REPORT_FORMATS.values():
        parameters = inspect.signature(module.render).parameters
        assert list(parameters)[:3] == ["result", "analysis", "color"]
        assert parameters["analysis"].default is None and parameters["color"].default is False
        assert module.TITLE and module.SUFFIX.isalpha()
        assert module.render(result((KEPT,))).endswith("\n")


def test_text_report_shows_review_decisions():
    from datetime import date

    from core.model import Review

    reviewed = CYCLE.model_copy(update={"review": Review(status="waived", note="later", reviewer="Ada", expires=date(2030, 1, 2))})
    text = text_report.render(result((BROKEN,), (reviewed,)))
    assert "      review: waived by Ada until 2030-01-02: later\n" in text


def test_text_report_shows_chains_as_file_line_steps_grouped_by_rule():
    text = text_report.render(result((KEPT, ALSO_KEPT, BROKEN), (CYCLE,)))
    assert text == "\n".join(
        [
            "Strataview 9.9 · /work/café · root packages: shop, tools · config: pyproject.toml",
            "12 modules, 30 imports",
            "",
            "KEPT   first [a, layers]",
            "KEPT   second [b, independence]",
            "",
            "BROKEN no cycles [no-cycles, acyclic] (1 violation)",
            "  - import cycle shop.a -> shop.b -> shop.a",
            "      shop/a.py:3  shop.a -> shop.b  from shop import b",
            "        shop/b.py:7  shop.b -> shop.a  from shop import a",
            "",
            "      shop/c.py:1  shop.c -> shop.a  import shop.a",
            "      shop/d.py:2  shop.d -> shop.a  import shop.a",
            "  warning: ignore_imports expression 'shop.old -> shop.y' matched no import",
            "  ignored by ignore_imports (1):",
            "      shop/x.py:4  shop.x -> shop.y",
            "  ignore_imports that matched nothing (prune them):",
            "      shop.old -> shop.y",
            "",
            "3 rules: 2 kept, 1 broken; 1 violation; 1 ignored import",
            "",
        ]
    )


def test_a_kept_rule_after_a_broken_one_is_set_apart():
    lines = text_report.render(result((BROKEN, KEPT), (CYCLE,))).splitlines()
    kept_at = lines.index("KEPT   first [a, layers]")
    assert lines[kept_at - 1] == ""


def test_text_report_of_an_error_is_the_error_alone():
    failed = result(()).model_copy(
        update={"errors": (ProblemReport(message="syntax error: def f(:", file="shop/a.py", place="line 2"),)}
    )
    assert text_report.render(failed) == "error: shop/a.py:line 2: syntax error: def f(:\n"


def test_text_report_colours_only_when_asked():
    plain = text_report.render(result((KEPT, BROKEN), (CYCLE,)))
    coloured = text_report.render(result((KEPT, BROKEN), (CYCLE,)), color=True)
    assert "\033[" not in plain
    assert "\033[31mBROKEN\033[0m" in coloured and "\033[32mKEPT  \033[0m" in coloured
    assert coloured.splitlines()[-1] == "\033[31m2 rules: 1 kept, 1 broken; 1 violation; 1 ignored import\033[0m"


def test_summary_counts_read_well():
    assert text_report.render(result((KEPT,))).splitlines()[-1] == "1 rule: 1 kept, 0 broken; 0 violations"


def test_json_report_round_trips_and_keeps_non_ascii_text():
    original = result((KEPT, BROKEN), (CYCLE,))
    text = json_report.render(original)
    assert text.endswith("}\n")
    assert "/work/café" in text
    assert CheckResult.model_validate(json.loads(text)) == original
    assert json.loads(text)["violations"][0]["chains"][0][1] == {
        "importer": "shop.b", "imported": "shop.a", "line_numbers": [7],
        "line_contents": ["from shop import a"], "file": "shop/b.py",
    }


def test_a_broken_rule_shows_its_guidance_after_its_violations(tmp_path):
    from core.check import CheckOptions, check_project
    from fixtures.projects import write_project

    write_project(
        tmp_path,
        {"shop/ui.py": "", "shop/core.py": "import shop.ui\n", "shop/api.py": ""},
        [
            {"id": "layers", "type": "layers", "layers": ["shop.ui", "shop.core"],
             "broken_contract_guidance": "Move shared code into shop.core.\nAsk the architects."},
            {"id": "calm", "type": "independence", "modules": ["shop.api", "shop.ui"],
             "broken_contract_guidance": "never shown"},
        ],
    )
    result = check_project(tmp_path, CheckOptions(use_cache=False))
    assert [rule.guidance for rule in result.rules] == ["Move shared code into shop.core.\nAsk the architects.", None]
    text = text_report.render(result)
    assert "      shop/core.py:1  shop.core -> shop.ui  import shop.ui\n  Move shared code into shop.core.\n  Ask the architects.\n" in text
    assert "never shown" not in text
