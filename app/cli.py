"""The `strataview` command. Exit codes: 0 every rule kept, 1 a rule broken, 2 the check could not run.

With `--new-only`, 1 means a violation new since the baseline; with `--fail-on-fixed`, 1 also
means a violation of the baseline is gone (so a committed snapshot is refreshed and only shrinks).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO, TypeVar, get_args

import core
from core.check import CheckOptions, Progress, run_analysis, run_check
from core.config import config_json_schema
from core.errors import StrataviewError
from core.files import write_text_atomically
from core.model import CheckResult, GraphSummary, ProblemReport, ProjectInfo, ReviewStatus, ToolInfo
from core.reports import REPORT_FORMATS
from core.reports.json_report import report_json_schema
from core.snapshot import render as render_snapshot
from core.snapshot import snapshot_of, write_snapshot

if TYPE_CHECKING:
    from core.workspace import Decision

EXIT_KEPT, EXIT_BROKEN, EXIT_ERROR = 0, 1, 2
T = TypeVar("T")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as stop:
        # --help, --version and usage errors end here, so that callers get an exit code.
        return stop.code if isinstance(stop.code, int) else EXIT_KEPT
    if arguments.command is None:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        return arguments.handler(arguments)
    except KeyboardInterrupt:
        print("strataview: interrupted", file=sys.stderr)
        return 130


class _ArgumentParser(argparse.ArgumentParser):
    """Usage errors as one line naming the offending argument, not the whole usage text."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _parser() -> argparse.ArgumentParser:
    parser = _ArgumentParser(
        prog="strataview",
        description="Architecture coherence for Python codebases: layers, boundaries and import rules.",
    )
    parser.add_argument("--version", action="version", version=f"strataview {core.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="check a project against its architecture rules",
        description="Analyse the project at PATH (its source is parsed, never imported) and check its rules.",
    )
    _add_project_arguments(check)
    check.add_argument(
        "--format", choices=list(REPORT_FORMATS), default="text", metavar="FORMAT",
        help="text (the default), json, sarif (for code scanning), html (one self-contained page), markdown (a "
        "pull-request comment), junit (for CI dashboards) or github (GitHub Actions annotations)",
    )
    check.add_argument("--output", "-o", type=Path, metavar="FILE", help="write the report to FILE instead of stdout")
    _add_cache_argument(check)
    check.add_argument(
        "--include-external-packages", action=argparse.BooleanOptionalAction, default=None,
        help="add imported third-party packages to the graph (overrides the configuration)",
    )
    check.add_argument(
        "--exclude-type-checking-imports", action=argparse.BooleanOptionalAction, default=None,
        help="leave out imports under `if TYPE_CHECKING:` (overrides the configuration)",
    )
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour text output")
    _add_baseline_argument(check)
    check.add_argument(
        "--new-only", action="store_true",
        help="fail (exit 1) only on violations new since the baseline; existing ones are reported but pass",
    )
    check.add_argument(
        "--fail-on-fixed", action="store_true",
        help="also fail when violations of the baseline are gone, so a committed snapshot is refreshed and shrinks",
    )
    _add_workspace_argument(
        check, required=False,
        help="a review workspace: its project, configuration and baseline unless given, and its decisions "
        "(accepted and unexpired waived violations do not fail the check)",
    )
    # Without PATH, the workspace's project (or `.`) is checked.
    check.set_defaults(handler=_check, path=None)

    snapshot = commands.add_parser(
        "snapshot",
        help="save the project's analysis as a baseline file",
        description=(
            "Analyse the project at PATH and save its modules, imports between top-level packages, rules and "
            "violations as a diff-friendly JSON file (sorted, keyed by fingerprint, no line numbers) that "
            "`strataview check --baseline FILE` compares with."
        ),
    )
    _add_project_arguments(snapshot)
    snapshot.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write the snapshot to FILE instead of stdout"
    )
    _add_cache_argument(snapshot)
    snapshot.set_defaults(handler=_snapshot)

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of the configuration (or of the JSON report)",
        description=(
            "Print the JSON Schema of [tool.strataview] / strataview.toml, for editors to complete and check; "
            "with --report, that of `strataview check --format json`."
        ),
    )
    schema.add_argument("--output", "-o", type=Path, metavar="FILE", help="write the schema to FILE instead of stdout")
    schema.add_argument("--report", action="store_true", help="the schema of the JSON report instead")
    schema.set_defaults(handler=_schema)

    gui = commands.add_parser(
        "gui",
        help="open the desktop review app on a project or a review workspace",
        description=(
            "Open the project at PATH in the desktop app: rules, violations and their import lines. "
            "PATH may be a review workspace (FILE.strataview.json) instead, opened with its decisions and views."
        ),
    )
    _add_project_arguments(gui)
    gui.add_argument(
        "--screenshot", type=Path, metavar="FILE",
        help="analyse, save the main window (1400x900) as a PNG to FILE and exit; works offscreen",
    )
    _add_baseline_argument(gui)
    gui.set_defaults(handler=_gui)

    demo = commands.add_parser(
        "demo",
        help="create the demo project and open it in the desktop app",
        description=(
            "Create a small layered shop as a git repository: a first commit that keeps every rule, then "
            "commits, some co-authored by AI assistants, that break them. Then open it in the desktop app."
        ),
    )
    demo.add_argument(
        "--into", type=Path, metavar="DIR", help="create the project in DIR (new or empty), not in a temporary folder"
    )
    demo.add_argument("--no-gui", action="store_true", help="print the check instead of opening the app")
    demo.set_defaults(handler=_demo)
    _add_review_commands(commands)
    return parser


def _add_project_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("path", nargs="?", default=".", type=Path, metavar="PATH", help="project directory (default: .)")
    command.add_argument("--config", type=Path, metavar="FILE", help="configuration file (Strataview's or import-linter's)")


def _add_cache_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument("--no-cache", action="store_true", help="parse every file again instead of using the cache")


def _add_baseline_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--baseline", metavar="REF",
        help="compare with a git revision (branch, tag, commit) or a snapshot file: mark violations new or existing",
    )


def _gui(arguments: argparse.Namespace) -> int:
    workspace = arguments.path if arguments.path.is_file() or arguments.path.name.endswith(".strataview.json") else None
    if workspace is not None and (arguments.config is not None or arguments.baseline is not None):
        print(
            "strataview: error: --config and --baseline cannot be given with a workspace: it names its own",
            file=sys.stderr,
        )
        return EXIT_ERROR
    from app.gui import launch  # Qt is loaded only for the desktop app

    if workspace is not None:
        return launch(workspace, screenshot=arguments.screenshot, workspace=True)
    return launch(arguments.path, arguments.config, arguments.screenshot, baseline=arguments.baseline)


def _demo(arguments: argparse.Namespace) -> int:
    from core.demo import create_demo_project, describe_demo

    try:
        project = create_demo_project(arguments.into)
    except StrataviewError as error:
        print(f"strataview: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    sys.stdout.write(describe_demo(project))
    if arguments.no_gui:
        sys.stdout.write("\n")
        sys.stdout.flush()
        baseline = project.commits[0].sha
        code = _check(_parser().parse_args(["check", str(project.root), "--baseline", baseline]))
        sys.stdout.write(f"\nOpen it in the app: strataview gui {project.root} --baseline {baseline[:12]}\n")
        return code
    sys.stdout.write("Opening it in Strataview…\n")
    sys.stdout.flush()
    from app.gui import launch  # Qt is loaded only for the desktop app

    code = launch(project.root, baseline=project.commits[0].sha)
    if code != EXIT_KEPT:
        root = project.root
        print(f"strataview: the demo project stays in {root}; `strataview check {root}` checks it", file=sys.stderr)
    return code


def _check(arguments: argparse.Namespace) -> int:
    decisions = None
    if arguments.workspace is not None:
        try:
            decisions = _use_workspace(arguments)
        except StrataviewError as error:
            print(f"strataview: error: {error}", file=sys.stderr)
            return EXIT_ERROR
    if arguments.path is None:
        arguments.path = Path(".")
    for flag, given in (("--new-only", arguments.new_only), ("--fail-on-fixed", arguments.fail_on_fixed)):
        if given and arguments.baseline is None:
            print(f"strataview: error: {flag} needs --baseline REF to compare with", file=sys.stderr)
            return EXIT_ERROR
    options = CheckOptions(
        config_file=arguments.config,
        use_cache=not arguments.no_cache,
        include_external_packages=arguments.include_external_packages,
        exclude_type_checking_imports=arguments.exclude_type_checking_imports,
        baseline=arguments.baseline,
    )
    try:
        analysis = _run_with_progress(run_analysis(arguments.path, options))
    except StrataviewError as error:
        print(f"strataview: error: {error}", file=sys.stderr)
        # On stdout, machines and CI logs get the error in their own format too.
        if arguments.format in ("json", "github") and arguments.output is None:
            sys.stdout.write(REPORT_FORMATS[arguments.format].render(_error_result(arguments.path, error)))
        return EXIT_ERROR
    result = analysis.result
    if decisions is not None:
        result = _reviewed(result, decisions, arguments.workspace)
    color = arguments.color == "always" or (
        arguments.color == "auto" and arguments.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    )
    try:
        report = REPORT_FORMATS[arguments.format].render(result, analysis=analysis, color=color)
    except StrataviewError as error:
        print(f"strataview: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    if arguments.output is not None:
        try:
            write_text_atomically(arguments.output, report)
        except OSError as error:
            print(f"strataview: error: {arguments.output}: cannot write the report: {error.strerror}", file=sys.stderr)
            return EXIT_ERROR
    else:
        sys.stdout.write(report)
    return _exit_code(result, new_only=arguments.new_only, fail_on_fixed=arguments.fail_on_fixed)


def _exit_code(result: CheckResult, *, new_only: bool, fail_on_fixed: bool) -> int:
    if result.errors:
        return EXIT_ERROR
    if fail_on_fixed and result.fixed:
        count = len(result.fixed)
        print(
            f"strataview: {count} violation{'s' if count != 1 else ''} of the baseline "
            f"{'are' if count != 1 else 'is'} fixed: refresh the snapshot with `strataview snapshot --output FILE`",
            file=sys.stderr,
        )
        return EXIT_BROKEN
    failing = list(result.violations)
    if any(violation.review for violation in failing):
        # Accepted and unexpired waived violations (from a review workspace) do not fail the check.
        from core.review import settled

        failing = [violation for violation in failing if not settled(violation)]
    if new_only:
        return EXIT_BROKEN if any(violation.status == "new" for violation in failing) else EXIT_KEPT
    return EXIT_KEPT if result.kept or not failing else EXIT_BROKEN


def _snapshot(arguments: argparse.Namespace) -> int:
    options = CheckOptions(config_file=arguments.config, use_cache=not arguments.no_cache)
    try:
        analysis = _run_with_progress(run_analysis(arguments.path, options))
        snapshot = snapshot_of(analysis.result, analysis.project)
        if arguments.output is None:
            sys.stdout.write(render_snapshot(snapshot))
        else:
            write_snapshot(snapshot, arguments.output)
    except StrataviewError as error:
        print(f"strataview: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    if arguments.output is not None:
        count = len(snapshot.violations)
        print(
            f"strataview: saved {len(snapshot.modules)} modules and {count} violation{'s' if count != 1 else ''} "
            f"to {arguments.output}",
            file=sys.stderr,
        )
    return EXIT_KEPT


def _add_workspace_argument(command: argparse.ArgumentParser, *, required: bool = True, help: str) -> None:
    command.add_argument("--workspace", type=Path, metavar="FILE", required=required, help=help)


def _use_workspace(arguments: argparse.Namespace) -> dict[str, Decision]:
    """Take the project, configuration and baseline the command line leaves out from the workspace;
    returns its decisions."""
    from core.workspace import load_workspace

    file = arguments.workspace
    loaded = load_workspace(file)
    for warning in loaded.warnings:
        print(f"strataview: warning: {file}: {warning}", file=sys.stderr)
    workspace = loaded.workspace
    if arguments.path is None:
        arguments.path = workspace.project_path(file)
        if arguments.config is None:
            arguments.config = workspace.config_path(file)
    if arguments.baseline is None:
        arguments.baseline = workspace.baseline_ref(file)
    return workspace.decisions


def _reviewed(result: CheckResult, decisions: dict[str, Decision], file: Path) -> CheckResult:
    from core.review import apply_review, settled

    result = apply_review(result, decisions, date.today())
    kinds = Counter(violation.review.status for violation in result.violations if settled(violation))
    expired = sum(bool(violation.review and violation.review.expired) for violation in result.violations)
    if kinds:
        parts = [f"{count} {status}" for status, count in sorted(kinds.items())]
        print(f"strataview: {' and '.join(parts)} in {file}: they do not fail the check", file=sys.stderr)
    if expired:
        print(
            f"strataview: {expired} waiver{'s' if expired != 1 else ''} in {file} "
            f"{'have' if expired != 1 else 'has'} expired: open again",
            file=sys.stderr,
        )
    return result


REVIEW_STATUSES: tuple[str, ...] = get_args(ReviewStatus)


def _add_review_commands(commands: argparse._SubParsersAction) -> None:
    review = commands.add_parser(
        "review",
        help="create review workspaces, list and script review decisions",
        description=(
            "Review decisions kept in a workspace file (FILE.strataview.json), keyed by violation fingerprint, "
            "as the desktop app keeps them."
        ),
    )
    actions = review.add_subparsers(dest="review_command", metavar="ACTION", required=True)

    init = actions.add_parser(
        "init",
        help="create a workspace for a project",
        description="Analyse the project at PATH and create a workspace for its review, holding the analysis.",
    )
    _add_project_arguments(init)
    _add_baseline_argument(init)
    init.add_argument("--reviewer", metavar="NAME", help="who reviews (default: git's user.name, else the login name)")
    _add_cache_argument(init)
    _add_workspace_argument(init, help="the workspace file to create (FILE.strataview.json)")
    init.set_defaults(handler=_review_init)

    listing = actions.add_parser(
        "list",
        help="list the violations with their decisions, and decisions whose violation is gone",
        description=(
            "Analyse the workspace's project and list each violation's fingerprint, decision and note; "
            "decisions whose violation is gone are listed as resolved."
        ),
    )
    _add_workspace_argument(listing, help="the workspace file")
    listing.add_argument(
        "--status", action="append", choices=(*REVIEW_STATUSES, "resolved"),
        help="list only violations with this decision in force (repeatable; 'resolved': only gone ones)",
    )
    listing.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    listing.add_argument(
        "--stored", action="store_true", help="list the workspace's saved analysis instead of analysing again"
    )
    _add_cache_argument(listing)
    listing.set_defaults(handler=_review_list)

    decide = actions.add_parser(
        "set",
        help="record a decision on a violation",
        description=(
            "Record a decision on the violation with FINGERPRINT (or a unique beginning of one the workspace "
            "knows). A waiver needs a reason (--note) and may expire; '--status open' with no note removes "
            "the decision."
        ),
    )
    decide.add_argument("fingerprint", metavar="FINGERPRINT")
    decide.add_argument("--status", required=True, choices=REVIEW_STATUSES, help="the decision")
    decide.add_argument("--note", metavar="TEXT", help="why (kept as it was when left out)")
    decide.add_argument(
        "--expires", type=_iso_date, metavar="DATE", help="for a waiver: the last day it holds (YYYY-MM-DD)"
    )
    decide.add_argument("--reviewer", metavar="NAME", help="who decides (default: the workspace's reviewer)")
    _add_workspace_argument(decide, help="the workspace file")
    decide.set_defaults(handler=_review_set)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date as YYYY-MM-DD: '{text}'") from None


def _review_init(arguments: argparse.Namespace) -> int:
    from core.review import default_reviewer
    from core.workspace import LastAnalysis, new_workspace, save_workspace, timestamp

    file: Path = arguments.workspace
    if file.exists():
        print(f"strataview: error: {file}: already exists; `strataview review set` changes it", file=sys.stderr)
        return EXIT_ERROR
    options = CheckOptions(
        config_file=arguments.config, use_cache=not arguments.no_cache, baseline=arguments.baseline, provenance=True
    )
    try:
        result = _run_with_progress(run_check(arguments.path, options))
        workspace = new_workspace(
            file,
            arguments.path,
            config=arguments.config,
            baseline=arguments.baseline,
            reviewer=arguments.reviewer or default_reviewer(arguments.path),
        )
        workspace = workspace.model_copy(
            update={"last_analysis": LastAnalysis(analysed_at=timestamp(), result=result)}
        )
        save_workspace(workspace, file)
    except StrataviewError as error:
        print(f"strataview: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    count = len(result.violations)
    print(
        f"strataview: created {file} for {arguments.path.resolve()} "
        f"({count} violation{'s' if count != 1 else ''})",
        file=sys.stderr,
    )
    return EXIT_KEPT


def _review_list(arguments: argparse.Namespace) -> int:
    from core.review import apply_review, resolved_decisions, review_progress
    from core.workspace import load_workspace

    file: Path = arguments.workspace
    try:
        loaded = load_workspace(file)
        workspace = loaded.workspace
        if arguments.stored:
            if workspace.last_analysis is None:
                raise StrataviewError("the workspace holds no analysis: leave out --stored", file=str(file))
            result = workspace.last_analysis.result
        else:
            options = CheckOptions(
                config_file=workspace.config_path(file),
                use_cache=not arguments.no_cache,
                baseline=workspace.baseline_ref(file),
                provenance=False,
            )
            result = _run_with_progress(run_check(workspace.project_path(file), options))
    except StrataviewError as error:
        print(f"strataview: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    for warning in loaded.warnings:
        print(f"strataview: warning: {file}: {warning}", file=sys.stderr)
    result = apply_review(result, workspace.decisions, date.today())
    wanted = set(arguments.status or (*REVIEW_STATUSES, "resolved"))
    violations = [v for v in result.violations if v.review is not None and v.review.status in wanted]
    resolved = resolved_decisions(result, workspace.decisions) if "resolved" in wanted else {}
    progress = review_progress(result)
    if arguments.format == "json":
        report = {
            "workspace": str(file),
            "project": result.project.root,
            "reviewer": workspace.reviewer,
            "progress": {"decided": progress.decided, "total": progress.total, **progress.counts},
            "violations": [
                violation.model_dump(
                    mode="json",
                    include={"fingerprint", "rule", "type", "message", "importer", "imported", "status", "review"},
                )
                for violation in violations
            ],
            "resolved": {fingerprint: decision.model_dump(mode="json") for fingerprint, decision in resolved.items()},
        }
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        return EXIT_KEPT
    reviewer = f" · reviewer {workspace.reviewer}" if workspace.reviewer else ""
    lines = [f"Review of {result.project.root} in {file}{reviewer}"]
    if result.baseline is not None:
        lines.append(f"Baseline: {result.baseline.ref}")
    for violation in violations:
        review = violation.review
        assert review is not None
        status = "open (expired)" if review.expired else review.status
        tag = f"{violation.status or '':<10}" if result.baseline is not None else ""
        lines.append(f"{violation.fingerprint}  {status:<15}{tag}{violation.rule}: {violation.message}")
        lines.extend(_decision_lines(review.note, review.reviewer, review.decided_at, review.expires))
    if resolved:
        lines.append("")
        lines.append(f"Resolved: the violation is gone ({len(resolved)})")
        for fingerprint, decision in resolved.items():
            what = f"{decision.rule}: {decision.message}" if decision.rule else "(no record of the violation)"
            lines.append(f"{fingerprint}  {decision.status:<15}{what}")
            lines.extend(_decision_lines(decision.note, decision.reviewer, decision.decided_at, decision.expires))
    counts = ", ".join(f"{count} {status}" for status, count in progress.counts.items() if count)
    noun = "new violation" if result.baseline is not None else "violation"
    lines.append("")
    lines.append(
        f"{progress.decided} of {progress.total} {noun}{'s' if progress.total != 1 else ''} decided"
        + (f" ({counts})" if counts else "")
    )
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_KEPT


def _decision_lines(note: str, reviewer: str | None, decided_at: datetime | None, expires: date | None) -> list[str]:
    who = " on ".join(part for part in (reviewer, decided_at.date().isoformat() if decided_at else None) if part)
    details = [part for part in (f"by {who}" if who else "", f"until {expires}" if expires else "") if part]
    lines = [f"    “{line}”" for line in note.splitlines() if line.strip()]
    if details:
        lines.append("    " + ", ".join(details))
    return lines


def _review_set(arguments: argparse.Namespace) -> int:
    from core.review import decide, default_reviewer
    from core.workspace import load_workspace, save_workspace, timestamp

    file: Path = arguments.workspace
    try:
        workspace = load_workspace(file).workspace
        known = {violation.fingerprint: violation for violation in workspace.last_analysis.result.violations} if (
            workspace.last_analysis is not None
        ) else {}
        fingerprint = _full_fingerprint(arguments.fingerprint, {*known, *workspace.decisions}, file)
        current = workspace.decisions.get(fingerprint)
        note = arguments.note if arguments.note is not None else (current.note if current else "")
        if arguments.status == "waived" and not note.strip():
            raise StrataviewError("a waiver needs a reason: give it with --note TEXT")
        if arguments.expires is not None:
            if arguments.status != "waived":
                raise StrataviewError("only a waiver can expire: --expires goes with --status waived")
            if arguments.expires < date.today():
                raise StrataviewError(f"the expiry date {arguments.expires} has already passed")
        expires = arguments.expires
        if expires is None and arguments.status == "waived" and current is not None and current.status == "waived":
            expires = current.expires
        decision = decide(
            current,
            status=arguments.status,
            note=note,
            expires=expires,
            reviewer=arguments.reviewer or workspace.reviewer or default_reviewer(workspace.project_path(file)),
            now=timestamp(),
            violation=known.get(fingerprint),
        )
        save_workspace(workspace.with_decision(fingerprint, decision), file)
    except StrataviewError as error:
        print(f"strataview: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    if decision is None:
        print(f"strataview: {fingerprint} has no decision any more in {file}", file=sys.stderr)
    else:
        until = f" until {decision.expires}" if decision.expires else ""
        print(f"strataview: {fingerprint} is {decision.status}{until} in {file}", file=sys.stderr)
        if fingerprint not in known:
            print(
                f"strataview: note: {fingerprint} is not among the violations the workspace last analysed",
                file=sys.stderr,
            )
    return EXIT_KEPT


def _full_fingerprint(given: str, known: set[str], file: Path) -> str:
    """The fingerprint `given` names: itself, or the one known fingerprint it begins."""
    text = given.strip().lower()
    if text in known:
        return text
    matches = sorted(fingerprint for fingerprint in known if fingerprint.startswith(text)) if len(text) >= 4 else []
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise StrataviewError(f"'{given}' begins {len(matches)} fingerprints: give more of it", file=str(file))
    if re.fullmatch(r"[0-9a-f]{20}", text):
        return text
    raise StrataviewError(
        f"no violation with the fingerprint '{given}' in the workspace "
        "(`strataview review list` shows them; a full fingerprint has 20 hexadecimal digits)",
        file=str(file),
    )


def _run_with_progress(events: Iterator[Progress | T]) -> T:
    """Run a check to its end, showing its progress on stderr; returns what it ends with."""
    progress = _ProgressLine(sys.stderr)
    outcome = None
    try:
        for event in events:
            if isinstance(event, Progress):
                progress.show(event.message)
            else:
                outcome = event
    finally:
        progress.close()
    assert outcome is not None
    return outcome


def _schema(arguments: argparse.Namespace) -> int:
    schema = report_json_schema() if arguments.report else config_json_schema()
    text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    if arguments.output is None:
        sys.stdout.write(text)
        return EXIT_KEPT
    try:
        write_text_atomically(arguments.output, text)
    except OSError as error:
        print(f"strataview: error: {arguments.output}: cannot write the schema: {error.strerror}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_KEPT


def _error_result(path: Path, error: StrataviewError) -> CheckResult:
    return CheckResult(
        tool=ToolInfo(version=core.__version__),
        project=ProjectInfo(root=str(path.resolve()), root_packages=()),
        graph=GraphSummary(modules=0, imports=0),
        errors=(ProblemReport(**error.as_dict()),),
    )


class _ProgressLine:
    """Progress on stderr, only on a terminal and only once the work has taken over a second.

    A timer shows the current step when the second is up, even if that step is still running.
    """

    DELAY = 1.0

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.enabled = stream.isatty()
        self.visible = False
        self.closed = False
        self.message = ""
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None
        if self.enabled:
            self.timer = threading.Timer(self.DELAY, self._reveal)
            self.timer.daemon = True
            self.timer.start()

    def show(self, message: str) -> None:
        with self.lock:
            self.message = message
            if self.enabled and not self.closed and time.monotonic() - self.started >= self.DELAY:
                self.visible = True
            if self.visible:
                self._write()

    def close(self) -> None:
        """Stop for good and erase the line, leaving the terminal as it was."""
        if self.timer is not None:
            self.timer.cancel()
        with self.lock:
            if self.visible:
                self.stream.write("\r\033[K")
                self.stream.flush()
            self.visible = False
            self.closed = True

    def _reveal(self) -> None:
        with self.lock:
            if not self.closed:
                self.visible = True
                self._write()

    def _write(self) -> None:
        if self.message:
            self.stream.write(f"\r\033[K{self.message}…")
            self.stream.flush()
