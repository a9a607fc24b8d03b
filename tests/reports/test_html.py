"""The HTML report: one self-contained page (no script, nothing loaded), the architecture drawn from
the app's layout, every text from the analysed code or from people escaped, usable with thousands
of violations."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser

import markupsafe
from reports.conftest import HOSTILE, HOSTILE_NOTE, many_violations

from core.architecture import DependencyMap
from core.layout import layout_architecture
from core.model import ProblemReport
from core.reports import html_report
from core.reports.diagram import text_width

SVG = "{http://www.w3.org/2000/svg}"


class Elements(HTMLParser):
    """The start tags of a page with their attributes."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attributes for name, attributes in self.tags if name == tag]


def svg_of(page: str) -> ElementTree.Element:
    match = re.search(r"<svg xmlns=.*?</svg>", page, re.DOTALL)
    assert match, "no architecture drawing"
    return ElementTree.fromstring(match.group(0))


def test_the_page_is_self_contained_and_runs_no_script(drifted):
    page = html_report.render(drifted.reviewed, analysis=drifted.analysis)
    elements = Elements(page)
    assert page.startswith("<!DOCTYPE html>")
    assert not elements.named("script") and not elements.named("link") and not elements.named("img")
    assert not elements.named("iframe") and not elements.named("object")
    for _, attributes in elements.tags:
        for name, value in attributes.items():
            assert not name.startswith("on"), name
            assert not (name in ("src", "href") and value and not value.startswith("#")), (name, value)
    [policy] = [m for m in elements.named("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert policy["content"] == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    assert len(elements.named("style")) == 1


def test_hostile_text_in_an_import_line_and_in_a_note_is_escaped(drifted):
    page = html_report.render(drifted.reviewed, analysis=drifted.analysis)
    assert HOSTILE not in page and "onerror=alert(1)>" not in page
    assert f"from shop.api import orders  # {markupsafe.escape(HOSTILE)}" in page
    assert "<script>alert" not in page and "</script>" not in page
    assert str(markupsafe.escape(HOSTILE_NOTE)) in page
    elements = Elements(page)
    assert not elements.named("script") and not elements.named("img") and not elements.named("b")


def test_the_summary_counts_new_existing_and_fixed_and_names_the_commits(drifted):
    page = html_report.render(drifted.result, analysis=drifted.analysis)
    text = re.sub(r"<[^>]+>", " ", page)
    text = " ".join(text.split())
    baseline = drifted.commits["baseline"]
    assert f"2 new violations since {baseline}; 3 of 4 rules broken, 4 in all." in text
    assert "3 of 4 rules broken" in text and f"2 new since {baseline}" in text
    assert "2 existing" in text and "1 fixed" in text and "1 imports ignored by rules" in text
    stats, refunds = drifted.commits["stats"][:7], drifted.commits["refunds"][:7]
    assert f"{stats} generated Ada Lovelace 2025-02-03 Order statistics" in text
    assert "Co-authored-by: Claude &lt;noreply@anthropic.com&gt;" in page
    assert f"{refunds} Carol Reyes 2025-02-04 Refunds 1" in text
    assert '<p class="verdict fail">' in page


def test_each_rule_has_a_section_with_its_violations_chains_and_lines_in_context(drifted):
    page = html_report.render(drifted.result, analysis=drifted.analysis)
    assert re.search(r'<details class="rule" id="rule-layers" open>', page)
    assert '<details class="rule" id="rule-apart"' not in page  # kept, nothing to show
    section = page.split('id="rule-no-cycles"', 1)[1].split('<details class="rule"', 1)[0]
    assert "shop/api/payments.py:2" in section and "shop/api/refunds.py:1" in section
    assert '<span class="line target"><span class="number">2</span>from shop.api import refunds</span>' in section
    assert '<span class="line"><span class="number">1</span>from shop.adapters import db</span>' in section
    forbidden = page.split('id="rule-core-without-adapters"', 1)[1].split('<details class="rule"', 1)[0]
    # The lines around the import: the docstring above, the code below.
    assert '<span class="number">2</span></span>' in forbidden and '<span class="number">6</span></span>' in forbidden
    assert "Pass the adapter in from the api layer." in forbidden
    layers = page.split('id="rule-layers"', 1)[1].split('<details class="rule"', 1)[0]
    assert "shop.gone -&gt; shop.ui" in layers  # the unmatched ignore, to prune
    assert "shop.core.legacy -&gt; shop.ui.widgets" in layers  # what the ignore hid


def test_fixed_violations_drift_and_generated_modules_are_listed(drifted):
    page = html_report.render(drifted.result, analysis=drifted.analysis)
    section = page.split('<section id="baseline">', 1)[1]
    assert "<h3>Fixed (1)</h3>" in section and "shop.api is not allowed to import shop.ui" in section
    assert "2 modules added (1 generated), 1 new import between top-level packages, 1 cycle appeared." in section
    added = section.split("Modules added (2)", 1)[1].split("</table>", 1)[0]
    stats_row = added.split("<code>shop.core.stats</code>", 1)[1].split("</tr>", 1)[0]
    assert '<span class="badge generated"' in stats_row and "Order statistics" in stats_row
    refunds_row = added.split("<code>shop.api.refunds</code>", 1)[1].split("</tr>", 1)[0]
    assert "generated" not in refunds_row and "Carol Reyes" in refunds_row
    assert "shop.adapters ⇄ shop.api ⇄ shop.core" in section


def test_review_decisions_are_shown(drifted):
    page = html_report.render(drifted.reviewed, analysis=drifted.analysis)
    assert '<span class="badge must-fix">1 must-fix</span>' in page
    assert '<span class="badge waived">1 waived</span>' in page
    waived = page.split("shop.core is not allowed to import shop.adapters", 1)[1].split("</details>", 1)[0]
    assert "<strong>Review:</strong> waived" in waived and "by Ada on 2025-03-01, until 2030-01-01" in waived


def test_the_architecture_is_drawn_from_the_apps_layout(drifted):
    dependency_map = DependencyMap(drifted.analysis)
    page = html_report.render(drifted.result, analysis=drifted.analysis, dependency_map=dependency_map)
    svg = svg_of(page)
    layout = layout_architecture(dependency_map, text_width=text_width)
    boxes = {
        group.find(f"{SVG}title").text.split(":")[0]: group.find(f"{SVG}rect").attrib
        for group in svg.iter(f"{SVG}g")
        if "box" in group.get("class", "").split()
    }
    assert set(boxes) == set(layout.boxes) >= {"shop.ui", "shop.api", "shop.core", "shop.adapters"}
    for name, box in layout.boxes.items():
        drawn = boxes[name]
        assert (float(drawn["x"]), float(drawn["y"]), float(drawn["width"])) == (
            round(box.rect.x, 1), round(box.rect.y, 1), round(box.rect.width, 1)
        )
    bands = [text.text for text in svg.iter(f"{SVG}text") if text.get("class") == "band-title"]
    assert bands == ["shop.ui", "shop.api", "shop.core", "Outside the layers"]
    illegal = {
        group.find(f"{SVG}title").text: group.get("class")
        for group in svg.iter(f"{SVG}g")
        if "edge-group" in group.get("class", "")
    }
    assert illegal["shop.core → shop.api: 1 illegal import (layers), new since the baseline"] == "edge-group illegal new"
    assert illegal["shop.core → shop.adapters: 1 illegal import (core-without-adapters)"] == "edge-group illegal"
    assert "shop.api → shop.core: 1 import closing a cycle" not in illegal  # the cycle is inside shop.api
    added = [g for g in svg.iter(f"{SVG}g") if "box" in g.get("class", "") and g.find(f"{SVG}text[@class='badge']") is not None]
    assert {g.find(f"{SVG}title").text.split(":")[0] for g in added} == {"shop.api", "shop.core"}


def test_without_the_analysis_the_page_has_no_drawing(drifted):
    page = html_report.render(drifted.result)
    assert "<svg xmlns" not in page and 'id="architecture"' not in page
    assert "shop.core is not allowed to import shop.api" in page


def test_a_project_that_keeps_every_rule(kept):
    page = html_report.render(kept.result, analysis=kept)
    assert '<p class="verdict pass">All 1 rule kept.</p>' in page
    assert '<details class="rule"' not in page
    assert {g.find(f"{SVG}title").text.split(":")[0] for g in svg_of(page).iter(f"{SVG}g") if "box" in g.get("class", "")} == {
        "calm.ui",
        "calm.core",
    }


def test_a_check_that_could_not_run_says_why(kept):
    failed = kept.result.model_copy(
        update={"errors": (ProblemReport(message="syntax error: <bad>", file="calm/core.py", place="line 2"),)}
    )
    page = html_report.render(failed)
    assert '<p class="verdict fail">The check could not run: syntax error: &lt;bad&gt;</p>' in page
    assert 'id="rules"' not in page


def test_thousands_of_violations_render_fast_and_start_collapsed(tmp_path):
    result = many_violations(tmp_path, 3000)
    started = time.perf_counter()
    page = html_report.render(result)
    elapsed = time.perf_counter() - started
    assert elapsed < 5.0, f"{elapsed:.1f} s"
    assert page.count('<details class="rule"') == 5
    assert not re.search(r'<details class="rule"[^>]* open>', page)
    assert not re.search(r'<details class="violation"[^>]* open>', page)
    assert page.count('<details class="violation"') == 2500  # 500 in full per rule, the rest listed by name
    assert page.count("more violations of this rule</summary>") == 5
    # Lines in context where the file is there, the line alone where it is not.
    assert '<span class="line target"><span class="number">4</span>import big.p7.hub0</span>' in page
    assert '<span class="number">3</span>import os</span><span class="line target"><span class="number">4</span>import big.p7.hub0' in page
    assert '<pre class="code"><span class="line target"><span class="number">4</span>import big.p7.hub2</span></pre>' in page
    assert len(page) < 12_000_000


def test_labels_are_measured_per_character_and_elided_in_the_middle_when_too_long():
    from core.reports import diagram

    assert diagram.text_width("mi") == (889 + 278) * 12 / 1000
    assert diagram.text_width("漢", 10) == 10.0
    long = "shop.integrations.a_very_long_generated_module_name_of_many_words"
    elided = diagram._elide(long, 150, 12)
    assert elided.startswith("shop.") and elided.endswith("words") and "…" in elided
    assert diagram.text_width(elided) <= 150 < diagram.text_width(long)
    assert diagram._elide("shop.ui", 150, 12) == "shop.ui"
    lines = diagram._wrap("shop.api.payments | shop.api.refunds", 140, 13)
    assert "".join(lines).replace(" ", "") == "shop.api.payments|shop.api.refunds"
    assert all(diagram.text_width(line, 13) <= 140 for line in lines) and len(lines) > 1
