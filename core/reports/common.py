"""What the report formats share: where each violation is in the code, what each rule type
forbids, the counts and verdict of a check, and how a commit or a review decision reads.

A `ReportContext` is made once per report. It reads the analysed files (each once) for the
lines around an import, finds a module's file and a rule's line in the configuration (from the
`Analysis` when the report has one, otherwise from the files themselves), and names files from
the root of the git repository holding the project, as code hosts expect.
"""

from __future__ import annotations

import inspect
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.graph import display_path, source_root_paths
from core.model import CheckResult, ImportLink, Provenance, Review, Violation
from core.rules import RULE_TYPES

if TYPE_CHECKING:
    from core.check import Analysis
    from core.rules.common import RuleOptions

CONTEXT_LINES = 2  # shown above and below an import line
RELEASING_DECISIONS = {"accepted", "waived"}  # review decisions that take a violation off the errors


@dataclass(frozen=True)
class Place:
    """A place in the project: a file relative to the project root, a line (None for the whole
    file) with its text, and what is there (`message`, for lists of places)."""

    file: str
    line: int | None = None
    text: str | None = None
    message: str = ""

    @property
    def where(self) -> str:
        """`file:line`, or the file alone."""
        return self.file + (f":{self.line}" if self.line is not None else "")


@dataclass(frozen=True)
class Tally:
    rules: int
    kept: int
    broken: int
    violations: int
    new: int
    existing: int
    fixed: int
    ignored: int


def tally(result: CheckResult) -> Tally:
    kept = sum(rule.kept for rule in result.rules)
    new = sum(violation.status == "new" for violation in result.violations)
    existing = sum(violation.status == "existing" for violation in result.violations)
    return Tally(
        rules=len(result.rules),
        kept=kept,
        broken=len(result.rules) - kept,
        violations=len(result.violations),
        new=new,
        existing=existing,
        fixed=len(result.fixed),
        ignored=sum(len(rule.ignored) for rule in result.rules),
    )


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else words or word + 's'}"


def verdict(result: CheckResult) -> str:
    """One sentence: whether the check passed and, against a baseline, what is new."""
    if result.errors:
        return "The check could not run: " + result.errors[0].message
    counts = tally(result)
    if counts.rules == 0:
        return "No rules are configured."
    rules = f"{counts.broken} of {plural(counts.rules, 'rule')} broken" if counts.broken else ""
    if result.baseline is not None:
        since = f"since {result.baseline.ref}"
        if counts.new:
            return f"{plural(counts.new, 'new violation')} {since}; {rules}, {counts.violations} in all."
        if counts.broken:
            return f"No new violations {since}; {plural(counts.existing, 'existing violation')} remain ({rules})."
        return f"All {plural(counts.rules, 'rule')} kept; no new violations {since}."
    if counts.broken:
        return f"{plural(counts.violations, 'violation')}; {rules}."
    return f"All {plural(counts.rules, 'rule')} kept."


def state(result: CheckResult) -> str:
    """'fail' (it could not run, or a violation is new or, without a baseline, any rule broken),
    'warn' (only existing violations against a baseline) or 'pass'."""
    counts = tally(result)
    if result.errors or (result.baseline is not None and counts.new):
        return "fail"
    if counts.broken:
        return "warn" if result.baseline is not None else "fail"
    return "pass"


def severity(violation: Violation, *, compared: bool) -> str:
    """'note' for a violation a review accepted or waived, 'warning' for one that existed at the
    baseline and is not marked must-fix, otherwise 'error'."""
    review = violation.review
    if review is not None and review.status in RELEASING_DECISIONS:
        return "note"
    if compared and violation.status == "existing" and (review is None or review.status == "open"):
        return "warning"
    return "error"


def violations_by_rule(result: CheckResult) -> dict[str, list[Violation]]:
    """Each rule's violations, new ones first."""
    found: dict[str, list[Violation]] = defaultdict(list)
    for violation in result.violations:
        found[violation.rule].append(violation)
    for violations in found.values():
        violations.sort(key=lambda violation: violation.status != "new")
    return found


def ordered_violations(result: CheckResult) -> list[Violation]:
    """All violations, new ones first, otherwise in the order of their rules."""
    return sorted(result.violations, key=lambda violation: violation.status != "new")


def drift_summary(result: CheckResult) -> str:
    """`3 modules added (1 generated), 2 removed, 1 new import between top-level packages`; '' without drift."""
    drift = result.drift
    if drift is None:
        return ""
    generated = sum(
        1 for module in drift.modules_added if (p := result.module_provenance.get(module)) is not None and p.generated
    )
    items = []
    if drift.modules_added:
        items.append(plural(len(drift.modules_added), "module") + " added" + (f" ({generated} generated)" if generated else ""))
    if drift.modules_removed:
        items.append(f"{len(drift.modules_removed)} removed")
    if drift.imports_added:
        items.append(plural(len(drift.imports_added), "new import") + " between top-level packages")
    if drift.cycles_appeared:
        items.append(plural(len(drift.cycles_appeared), "cycle") + " appeared")
    return ", ".join(items)


def explanation(violation: Violation) -> str | None:
    """What is wrong and what is allowed, for a violation about a name, an annotation or a field
    (boundary, dependency and data-contract rules say it in `detail`), which every format shows
    with the message and the place; None when there is none or it repeats the message."""
    detail = violation.detail
    return detail if detail and detail != violation.message else None


def provenance_text(provenance: Provenance) -> str:
    """`abc1234 Ada Lovelace 2025-02-03 "subject"`, or the note of uncommitted work."""
    if provenance.commit is None:
        return provenance.note or "commit unknown"
    date = (provenance.date or "")[:10]
    return f'{provenance.commit[:7]} {provenance.author} {date} "{provenance.summary}"'


def review_text(review: Review) -> str:
    """`waived by Ada until 2025-06-30: the note`; an expired waiver says so."""
    text = review.status
    if review.expired:
        text += " (waiver expired)"
    if review.reviewer:
        text += f" by {review.reviewer}"
    if review.decided_at is not None:
        text += f" on {review.decided_at.date().isoformat()}"
    if review.expires is not None and not review.expired:
        text += f" until {review.expires.isoformat()}"
    return text + (f": {review.note}" if review.note else "")


def rule_type_description(rule_type: str) -> tuple[str, str]:
    """What a rule type forbids, from its module's docstring: one line, and its first paragraph."""
    module = RULE_TYPES.get(rule_type)
    doc = inspect.cleandoc(module.__doc__ or "") if module is not None else ""
    if not doc:
        return f"`{rule_type}` rule", f"A rule of type `{rule_type}`."
    paragraph = doc.split("\n\n", 1)[0].replace("\n", " ")
    return doc.splitlines()[0], paragraph


class ReportContext:
    """What the formats look up beyond the result, each thing read once."""

    def __init__(self, result: CheckResult, analysis: Analysis | None = None) -> None:
        self.result = result
        self.analysis = analysis
        self.root = Path(result.project.root)
        self._lines: dict[str, list[str] | None] = {}
        self._files: dict[str, str | None] = {}
        self._repository_prefix: str | None = None

    # The project's files.

    def lines_of(self, file: str) -> list[str] | None:
        """The lines of a file of the project (relative or absolute path), None if it cannot be read."""
        if file not in self._lines:
            path = Path(file) if Path(file).is_absolute() else self.root / file
            try:
                self._lines[file] = path.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                self._lines[file] = None
        return self._lines[file]

    def line_text(self, file: str, line: int) -> str | None:
        lines = self.lines_of(file)
        return lines[line - 1] if lines is not None and 0 < line <= len(lines) else None

    def context(self, file: str, line: int, around: int = CONTEXT_LINES) -> list[tuple[int, str]]:
        """The numbered lines around `line`, as far as the file has them."""
        lines = self.lines_of(file)
        if lines is None or not 0 < line <= len(lines):
            return []
        first, last = max(1, line - around), min(len(lines), line + around)
        return [(number, lines[number - 1]) for number in range(first, last + 1)]

    def file_of(self, module: str) -> str | None:
        """The module's file relative to the project root, from the analysis or by looking where it would be."""
        if module not in self._files:
            if self.analysis is not None:
                self._files[module] = self.analysis.project.file_of(module)
            else:
                self._files[module] = self._guess_file(module)
        return self._files[module]

    def _guess_file(self, module: str) -> str | None:
        parts = module.split(".")
        for base in source_root_paths(self.root, self.result.project.source_roots or (".", "src")):
            for candidate in (base.joinpath(*parts, "__init__.py"), base.joinpath(*parts).with_suffix(".py")):
                if candidate.is_file():
                    return display_path(candidate, self.root)
        return None

    # The configuration.

    @property
    def config_file(self) -> str | None:
        return self.result.project.config

    def rule_options(self, rule_id: str) -> RuleOptions | None:
        if self.analysis is None:
            return None
        return next((rule for rule in self.analysis.config.config.rules if rule.id == rule_id), None)

    def rule_line(self, rule_id: str) -> int | None:
        """The line of the configuration where the rule starts."""
        if self.analysis is not None and rule_id in self.analysis.config.rule_lines:
            return self.analysis.config.rule_lines[rule_id]
        if self.config_file is None:
            return None
        quoted = (f'"{rule_id}"', f"'{rule_id}'")
        for number, text in enumerate(self.lines_of(self.config_file) or (), start=1):
            stripped = text.strip()
            if stripped == f"[importlinter:contract:{rule_id}]" or (
                stripped.startswith("id") and stripped.partition("=")[2].strip() in quoted
            ):
                return number
        return None

    def config_place(self, rule_id: str, text: str | None = None, message: str = "") -> Place | None:
        """The rule's place in the configuration, or the line after it that holds `text`."""
        if self.config_file is None:
            return None
        start = self.rule_line(rule_id) or 1
        line = start
        lines = self.lines_of(self.config_file) or []
        if text is not None:
            line = next((n for n in range(start, len(lines) + 1) if text in lines[n - 1]), start)
        return Place(self.config_file, line, self.line_text(self.config_file, line), message)

    # Where violations are.

    def link_place(self, link: ImportLink) -> Place | None:
        file = link.file or self.file_of(link.importer)
        if file is None:
            return None
        line = link.line_numbers[0] if link.line_numbers else None
        text = link.line_contents[0] if link.line_contents else None
        if line is not None and text is None:
            text = self.line_text(file, line)
        return Place(file, line, text, f"{link.importer} imports {link.imported}")

    def primary_place(self, violation: Violation) -> Place | None:
        """Where the violation is fixed: the offending line of code, the first import of its
        first chain, the importer's file, or else the rule in the configuration."""
        if violation.file is not None:
            line_text = self.line_text(violation.file, violation.line) if violation.line else None
            return Place(violation.file, violation.line, line_text, violation.detail or violation.message)
        for chain in violation.chains:
            if chain and (place := self.link_place(chain[0])) is not None:
                return place
        if violation.importer is not None and (file := self.file_of(violation.importer)) is not None:
            return Place(file, None, None, violation.importer)
        expression = _quoted_expression(violation.message)
        return self.config_place(violation.rule, expression, "the rule in the configuration")

    def related_places(self, violation: Violation, primary: Place | None) -> list[Place]:
        """The imports of the violation's chains other than its `primary_place`, in order, each once."""
        places: list[Place] = []
        seen: set[tuple[str, int | None]] = {(primary.file, primary.line)} if primary is not None else set()
        for chain in violation.chains:
            for link in chain:
                place = self.link_place(link)
                if place is not None and (place.file, place.line) not in seen:
                    seen.add((place.file, place.line))
                    places.append(place)
        return places

    # Paths as code hosts name them.

    def repository_path(self, file: str) -> str | None:
        """The file relative to the root of the git repository holding the project (to the project
        root outside a repository); None for a file outside both."""
        path = Path(file)
        if path.is_absolute():
            if not path.is_relative_to(self.root):
                return None
            file = path.relative_to(self.root).as_posix()
        if self._repository_prefix is None:
            self._repository_prefix = _repository_prefix(self.root)
        return self._repository_prefix + file


def _repository_prefix(root: Path) -> str:
    """The project root's path inside its git repository, with a trailing slash ('' at its top)."""
    for folder in (root, *root.parents):
        if (folder / ".git").exists():
            relative = root.relative_to(folder).as_posix()
            return "" if relative == "." else relative + "/"
    return ""


def _quoted_expression(message: str) -> str | None:
    """The quoted part of a message such as "ignore_imports expression 'a -> b' matched no import"."""
    if message.count("'") >= 2:
        return message.split("'")[1]
    return None


def python_literal(value: object) -> str:
    """A configuration value as it reads in TOML or Python: lists in brackets, strings quoted."""
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(python_literal(item) for item in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def rule_settings(options: RuleOptions | None) -> list[tuple[str, str]]:
    """The options a rule was given (beyond id, name and type), as `name = value` pairs."""
    if options is None:
        return []
    skipped = {"id", "name", "type", "broken_contract_guidance"}
    values = options.model_dump(exclude_defaults=True, mode="json")
    return [(name, python_literal(value)) for name, value in values.items() if name not in skipped]


def escape_markdown(text: str) -> str:
    """Text from the analysed code or from users, shown in Markdown as written: markup escaped,
    HTML characters as entities, one line."""
    text = " ".join(text.split())
    for character in "\\`*_[]|#~":
        text = text.replace(character, "\\" + character)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
