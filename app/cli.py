"""The `strataview` command. Exit codes: 0 every rule kept, 1 a rule broken, 2 the check could not run."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import core
from core.check import CheckOptions, Progress, run_check
from core.config import config_json_schema
from core.errors import StrataviewError
from core.files import write_text_atomically
from core.model import CheckResult, GraphSummary, ProblemReport, ProjectInfo, ToolInfo
from core.reports import REPORT_FORMATS

EXIT_KEPT, EXIT_BROKEN, EXIT_ERROR = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    arguments = parser.parse_args(argv)
    if arguments.command is None:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        return arguments.handler(arguments)
    except KeyboardInterrupt:
        print("strataview: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
    check.add_argument("path", nargs="?", default=".", type=Path, metavar="PATH", help="project directory (default: .)")
    check.add_argument("--config", type=Path, metavar="FILE", help="configuration file (Strataview's or import-linter's)")
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
    check.set_defaults(handler=_check)

    schema = commands.add_parser("schema", help="print the JSON Schema of the configuration")
    schema.set_defaults(handler=_schema)
    return parser


def _check(arguments: argparse.Namespace) -> int:
    options = CheckOptions(
        config_file=arguments.config,
        use_cache=not arguments.no_cache,
        include_external_packages=arguments.include_external_packages,
        exclude_type_checking_imports=arguments.exclude_type_checking_imports,
    )
    progress = _ProgressLine()
    try:
        result = None
        for event in run_check(arguments.path, options):
            if isinstance(event, Progress):
                progress.show(event.message)
            else:
                result = event
    except StrataviewError as error:
        progress.clear()
        print(f"strataview: error: {error}", file=sys.stderr)
        if arguments.format == "json" and arguments.output is None:
            sys.stdout.write(REPORT_FORMATS["json"].render(_error_result(arguments.path, error)))
        return EXIT_ERROR
    progress.clear()
    assert result is not None
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
    return EXIT_KEPT if result.kept else EXIT_BROKEN


def _schema(arguments: argparse.Namespace) -> int:
    sys.stdout.write(json.dumps(config_json_schema(), indent=2) + "\n")
    return EXIT_KEPT


def _error_result(path: Path, error: StrataviewError) -> CheckResult:
    return CheckResult(
        tool=ToolInfo(version=core.__version__),
        project=ProjectInfo(root=str(path.resolve()), root_packages=()),
        graph=GraphSummary(modules=0, imports=0),
        errors=(ProblemReport(**error.as_dict()),),
    )


class _ProgressLine:
    """Progress on stderr, only on a terminal and only once the work has taken over a second."""

    DELAY = 1.0

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.enabled = sys.stderr.isatty()
        self.shown = False
        self.last = ""

    def show(self, message: str) -> None:
        self.last = message
        if self.enabled and time.monotonic() - self.started >= self.DELAY:
            sys.stderr.write(f"\r\033[K{message}…")
            sys.stderr.flush()
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
            self.shown = False
