"""The `strataview` command. Exit codes: 0 every rule kept, 1 a rule broken, 2 the check could not run.

With `--new-only`, 1 means a violation new since the baseline; with `--fail-on-fixed`, 1 also
means a violation of the baseline is gone (so a committed snapshot is refreshed and only shrinks).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn, TextIO, TypeVar

import core
from core.check import CheckOptions, Progress, run_analysis, run_check
from core.config import config_json_schema
from core.errors import StrataviewError
from core.files import write_text_atomically
from core.model import CheckResult, GraphSummary, ProblemReport, ProjectInfo, ToolInfo
from core.reports import REPORT_FORMATS
from core.snapshot import render as render_snapshot
from core.snapshot import snapshot_of, write_snapshot

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
    check.add_argument("--format", choices=sorted(REPORT_FORMATS), default="text", help="output format (default: text)")
    check.add_argument("--output", "-o", type=Path, metavar="FILE", help="write the report to FILE instead of stdout")
    check.add_argument("--no-cache", action="store_true", help="parse every file again instead of using the cache")
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
    check.set_defaults(handler=_check)

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
    snapshot.add_argument("--no-cache", action="store_true", help="parse every file again instead of using the cache")
    snapshot.set_defaults(handler=_snapshot)

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of the configuration",
        description="Print the JSON Schema of [tool.strataview] / strataview.toml, for editors to complete and check.",
    )
    schema.add_argument("--output", "-o", type=Path, metavar="FILE", help="write the schema to FILE instead of stdout")
    schema.set_defaults(handler=_schema)

    gui = commands.add_parser(
        "gui",
        help="open the desktop review app on a project",
        description="Open the project at PATH in the desktop app: rules, violations and their import lines.",
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
    return parser


def _add_project_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("path", nargs="?", default=".", type=Path, metavar="PATH", help="project directory (default: .)")
    command.add_argument("--config", type=Path, metavar="FILE", help="configuration file (Strataview's or import-linter's)")


def _add_baseline_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--baseline", metavar="REF",
        help="compare with a git revision (branch, tag, commit) or a snapshot file: mark violations new or existing",
    )


def _gui(arguments: argparse.Namespace) -> int:
    from app.gui import launch  # Qt is loaded only for the desktop app

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
        result = _run_with_progress(run_check(arguments.path, options))
    except StrataviewError as error:
        print(f"strataview: error: {error}", file=sys.stderr)
        if arguments.format == "json" and arguments.output is None:
            sys.stdout.write(REPORT_FORMATS["json"].render(_error_result(arguments.path, error)))
        return EXIT_ERROR
    color = arguments.color == "always" or (
        arguments.color == "auto" and arguments.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    )
    report = REPORT_FORMATS[arguments.format].render(result, color=color)
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
    if new_only:
        return EXIT_BROKEN if any(violation.status == "new" for violation in result.violations) else EXIT_KEPT
    return EXIT_KEPT if result.kept else EXIT_BROKEN


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
    text = json.dumps(config_json_schema(), indent=2, ensure_ascii=False) + "\n"
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
