"""Which commit brought a violation or a module, and whether the history shows it was generated.

A violation's commit is the newest among the lines of its imports, found with `git blame`;
a contract model's declaration that is gone (a removed model, field or Enum member) is placed at
its model's line, so its commit is the one after which the file no longer declares it;
a module's is the commit that added its file. `generated` is true only when a named signal in
the history says so: a trailer naming an AI assistant, a bot author, a tool-style subject, or
a burst (one commit adding many modules or many lines). Nothing is guessed without a signal.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from core import git
from core.files import write_text_atomically
from core.git import Repository
from core.model import CheckResult, ContractSchema, ImportChain, Provenance, Violation

UNCOMMITTED = "in uncommitted changes"

DEFAULT_ASSISTANTS = (
    "Copilot",
    "Claude",
    "Cursor",
    "Codex",
    "Gemini",
    "Devin",
    "aider",
    "ChatGPT",
    "OpenAI",
    "Anthropic",
    "Windsurf",
    "Codeium",
    "Cody",
    "Tabnine",
    "Amazon Q",
    "CodeWhisperer",
    "Jules",
    "Sweep",
    "Cline",
    "Junie",
)


class ProvenanceOptions(BaseModel):
    """`[tool.strataview.provenance]`: what in the history counts as a sign of generated code."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    assistants: tuple[str, ...] = Field(
        default=DEFAULT_ASSISTANTS,
        description="Names of AI assistants; a trailer naming one (a whole word, any case) marks a commit generated.",
    )
    trailers: tuple[str, ...] = Field(
        default=("Co-authored-by", "Generated-by", "Assisted-by"),
        description="Commit message trailers whose value is checked for an assistant's name.",
    )
    bot_authors: tuple[str, ...] = Field(
        default=("[bot]", "dependabot", "renovate", "github-actions"),
        description="Text in an author's 'Name <email>' (any case) that marks the author as a bot.",
    )
    tool_subjects: tuple[str, ...] = Field(
        default=("aider:",),
        description="Subject prefixes (any case) that tools write, such as aider's 'aider: '.",
    )
    burst_modules: int = Field(
        default=10, ge=1, description="A commit adding at least this many Python modules is a burst."
    )
    burst_lines: int = Field(
        default=1000, ge=1, description="A commit adding at least this many lines of Python is a burst."
    )
    history_depth: int = Field(
        default=10_000,
        ge=1,
        description="How many commits back from HEAD the commit that added each module is looked for; "
        "modules added earlier are reported as older than that.",
    )


class Commit(BaseModel):
    """What the history says about one commit, enough to judge whether it was generated."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sha: str
    author: str
    email: str
    date: str
    committed: int  # committer time, seconds since the epoch: orders commits
    message: str
    modules_added: int
    lines_added: int
    root: bool = False  # the first commit of a history: its size says nothing about how it was written

    @property
    def summary(self) -> str:
        return self.message.strip().splitlines()[0] if self.message.strip() else ""


def signals(commit: Commit, options: ProvenanceOptions) -> tuple[str, ...]:
    """Every piece of evidence that the commit was generated, each naming what it found."""
    found: list[str] = []
    assistant = _words(options.assistants)
    trailers = {name.lower() for name in options.trailers}
    for line in commit.message.splitlines():
        key, separator, value = line.partition(":")
        if separator and key.strip().lower() in trailers and assistant and assistant.search(value):
            found.append(f"{key.strip()}: {value.strip()}")
    person = f"{commit.author} <{commit.email}>".lower()
    if any(bot.lower() in person for bot in options.bot_authors if bot):
        found.append(f"bot author: {commit.author} <{commit.email}>")
    subject = commit.summary.lower()
    for prefix in options.tool_subjects:
        if prefix and subject.startswith(prefix.lower()):
            found.append(f"tool subject: {commit.summary}")
            break
    if commit.root:
        return tuple(found)
    if commit.modules_added >= options.burst_modules:
        found.append(f"burst: {commit.modules_added} modules added (threshold {options.burst_modules})")
    if commit.lines_added >= options.burst_lines:
        found.append(f"burst: {commit.lines_added} lines of Python added (threshold {options.burst_lines})")
    return tuple(found)


def provenance_of(commit: Commit, options: ProvenanceOptions) -> Provenance:
    found = signals(commit, options)
    return Provenance(
        commit=commit.sha,
        author=commit.author,
        date=commit.date,
        summary=commit.summary,
        generated=bool(found),
        signals=found,
    )


def uncommitted() -> Provenance:
    return Provenance(commit=None, note=UNCOMMITTED)


def read_commits(repository: Repository, shas: Iterable[str], cache: HistoryCache | None = None) -> dict[str, Commit]:
    """The commits with these hashes, read in one `git log` (or from `cache`, which keeps them: commits never change)."""
    wanted = sorted(set(shas))
    if not wanted:
        return {}
    cache = cache or HistoryCache()
    known = {sha: cache.commits[sha] for sha in wanted if sha in cache.commits}
    missing = [sha for sha in wanted if sha not in known]
    if missing:
        read = _read_commits(repository, missing)
        cache.commits.update(read)
        known |= read
    return known


def _read_commits(repository: Repository, wanted: list[str]) -> dict[str, Commit]:
    """Two `git log`s: the commits, then the size of each but a root commit (a history's first
    commit is never a burst, and its size is the costliest to count)."""
    output = _log(repository, wanted, "--format=%x1e%H%x00%P%x00%an%x00%ae%x00%aI%x00%ct%x00%B%x00")
    records = [record.split("\x00", 7) for record in output.split("\x1e")[1:]]
    sized = [sha for sha, parents, *_ in records if parents.strip()]
    sizes = {}
    if sized:
        for record in _log(repository, sized, "--numstat", "--summary", "--format=%x1e%H%x00").split("\x1e")[1:]:
            sha, changes = record.split("\x00", 1)
            sizes[sha] = _additions(changes)
    commits: dict[str, Commit] = {}
    for sha, parents, author, email, date, committed, message, _ in records:
        modules, lines = sizes.get(sha, (0, 0))
        commits[sha] = Commit(
            sha=sha,
            author=author,
            email=email,
            date=date,
            committed=int(committed),
            message=message,
            modules_added=modules,
            lines_added=lines,
            root=not parents.strip(),
        )
    return commits


def _log(repository: Repository, shas: list[str], *options: str) -> str:
    return git.run(
        repository.top,
        "log",
        "--stdin",
        "--no-walk=unsorted",
        "--no-renames",
        "-z",
        *options,
        stdin="\n".join(shas) + "\n",
    )


def _additions(changes: str) -> tuple[int, int]:
    """Python modules created and lines of Python added, from `--numstat --summary -z` output:
    entries `added<TAB>deleted<TAB>path`, then one of summary lines such as ` create mode 100644 path`."""
    modules = lines = 0
    for entry in changes.split("\x00"):
        entry = entry.strip("\n")
        if entry.startswith(" "):
            modules += sum(line.startswith(" create mode ") and line.endswith(".py") for line in entry.split("\n"))
            continue
        fields = entry.split("\t", 2)
        if len(fields) == 3 and fields[0].isdigit() and fields[2].endswith(".py"):
            lines += int(fields[0])
    return modules, lines


_BLAME_HEADER = re.compile(r"^([0-9a-f]{40}) \d+ (\d+)(?: \d+)?$")


def blame(repository: Repository, lines_by_file: dict[str, set[int]]) -> dict[tuple[str, int], str | None]:
    """The commit that last changed each (file, line) of the working tree; None if uncommitted.

    `git blame -w -M` looks through whitespace changes and lines moved within a file, so
    reformatting or moving an import does not make it look newer. One blame runs per file.
    """

    def blame_file(item: tuple[str, set[int]]) -> dict[tuple[str, int], str | None]:
        file, numbers = item
        ranges = [f"-L{start},{end}" for start, end in _ranges(numbers)]
        output = git.try_run(repository.project, "blame", "--porcelain", "-w", "-M", *ranges, "--", file)
        if output is None:  # not in git at all: an untracked file
            return {(file, number): None for number in numbers}
        found: dict[tuple[str, int], str | None] = {}
        for line in output.splitlines():
            match = _BLAME_HEADER.match(line)
            if match:
                sha = match.group(1)
                found[(file, int(match.group(2)))] = None if sha == git.NULL_COMMIT else sha
        return found

    items = sorted(lines_by_file.items())
    results: dict[tuple[str, int], str | None] = {}
    with ThreadPoolExecutor(max_workers=4) as pool:
        for found in pool.map(blame_file, items):
            results.update(found)
    return results


@dataclass(frozen=True)
class Removal:
    """A declaration of a contract model that the baseline had and the code has no longer: the
    model's class itself (`name` None), or a field or Enum member declared in its class body."""

    file: str  # where the baseline declared it, relative to the project
    model: tuple[str, ...]  # the class's name in its module, nested classes included
    name: str | None


WORKING_TREE = "working tree"  # what `removing_commit` answers when HEAD still declares it
_VERSIONS_READ_AT_ONCE = 32


def removal_of(
    violation: Violation, current: dict[str, ContractSchema], baseline: dict[str, ContractSchema]
) -> Removal | None:
    """The declaration whose removal the violation reports, if it reports one: its message names a
    baseline model (`Model: ...`) that is gone, or is at the model's line and names (as `'field'`
    or `member NAME`) one of the model's fields or members that is gone."""
    name, separator, text = violation.message.partition(": ")
    before = baseline.get(name) if separator else None
    if before is None or before.file is None or before.module != violation.importer:
        return None
    model = tuple(name.removeprefix(before.module + ".").split("."))
    after = current.get(name)
    if after is None:
        return Removal(before.file, model, None)
    if violation.line not in (None, after.line):
        return None  # placed at the changed declaration itself: its line's commit is the change's
    kept = {field.name for field in after.fields} | {member.name for member in after.members}
    declared = [field.name for field in before.fields] + [member.name for member in before.members]
    gone = [item for item in declared if item not in kept and (f"'{item}'" in text or f"member {item} " in text)]
    return Removal(before.file, model, gone[0]) if len(gone) == 1 else None


def removing_commit(repository: Repository, removal: Removal, since: str | None, depth: int) -> str | None:
    """The commit after which the file no longer declares what was removed: going back from HEAD
    through the commits that changed the file (those after `since`, the baseline commit, at most
    `depth`), the newer neighbour of the first one that still declares it. WORKING_TREE when HEAD
    still declares it; None when the history does not show the declaration (the baseline had it
    elsewhere, such as a field inherited from another file's class) or the file still declares it
    (the class is there but no longer a contract model)."""
    if _declares(_working_copy(repository, removal), removal):
        return None
    revisions = f"{since}..HEAD" if since else "HEAD"
    output = git.try_run(
        repository.project, "rev-list", "--topo-order", f"--max-count={depth}", revisions, "--", removal.file
    )
    if output is None:  # no HEAD yet
        return None
    listed = output.split()
    if since is not None and not _declares(git.file_versions(repository, removal.file, [since]).get(since), removal):
        return None
    for start in range(0, len(listed), _VERSIONS_READ_AT_ONCE):
        chunk = listed[start : start + _VERSIONS_READ_AT_ONCE]
        versions = git.file_versions(repository, removal.file, chunk)
        for index, sha in enumerate(chunk, start=start):
            if _declares(versions.get(sha), removal):
                return listed[index - 1] if index else WORKING_TREE
    if since is None or len(listed) == depth:
        return None  # not declared in the commits looked at
    return listed[-1] if listed else WORKING_TREE


def declared_line(repository: Repository, removal: Removal) -> int | None:
    """The line where the working tree still declares what the removal names (a class that is no
    longer a contract model), if it does."""
    found = _declaration(_working_copy(repository, removal), removal)
    return found.lineno if found is not None else None


def _working_copy(repository: Repository, removal: Removal) -> bytes | None:
    try:
        return (repository.project / removal.file).read_bytes()
    except OSError:
        return None


def _declares(source: bytes | None, removal: Removal) -> bool:
    return _declaration(source, removal) is not None


def _declaration(source: bytes | None, removal: Removal) -> ast.stmt | None:
    """The source's declaration of the removal's class or, in its body, of its field or member."""
    if source is None or (removal.name or removal.model[-1]).encode() not in source:
        return None
    try:
        body = ast.parse(source).body
    except (SyntaxError, ValueError):
        return None
    found: ast.stmt | None = None
    for name in removal.model:
        found = next((node for node in _statements(body) if isinstance(node, ast.ClassDef) and node.name == name), None)
        if found is None:
            return None
        body = found.body
    if removal.name is None:
        return found
    for node in _statements(body):
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        else:
            continue
        if any(isinstance(target, ast.Name) and target.id == removal.name for target in targets):
            return node
    return None


def _statements(body: list[ast.stmt]) -> Iterable[ast.stmt]:
    """The statements of a module or class body, also those under `if`, `try` and `with` blocks."""
    for node in body:
        yield node
        if isinstance(node, (ast.If, ast.Try, ast.With)):
            yield from _statements(node.body)
            yield from _statements(getattr(node, "orelse", []))
            for handler in getattr(node, "handlers", []):
                yield from _statements(handler.body)
            yield from _statements(getattr(node, "finalbody", []))


def newest(repository: Repository, commits: list[Commit]) -> Commit:
    """The newest of the commits: the last committed; of several committed in the same second
    (a rebased series), the one git lists first in topological order."""
    latest = max(commit.committed for commit in commits)
    tied = sorted(
        {commit.sha: commit for commit in commits if commit.committed == latest}.values(), key=lambda c: c.sha
    )
    if len(tied) == 1:
        return tied[0]
    first = git.run(repository.top, "rev-list", "--topo-order", "--max-count=1", *(c.sha for c in tied)).strip()
    return next((commit for commit in tied if commit.sha == first), tied[0])


def added_files(
    repository: Repository, directories: list[str], depth: int, cache: HistoryCache | None = None
) -> dict[str, str]:
    """For each project file under `directories`, the newest commit (up to HEAD, at most `depth`
    commits back) that added it. `cache` keeps the answer for HEAD, so that a later check only
    reads the commits made since."""
    if not directories or not git.has_commits(repository):
        return {}
    head = git.run(repository.project, "rev-parse", "HEAD").strip()
    cache = cache or HistoryCache()
    key = "\0".join([*sorted(directories), str(depth)])
    if cache.head == head and cache.key == key:
        return cache.added
    if cache.head and cache.key == key and git.try_run(repository.project, "merge-base", "--is-ancestor", cache.head, head) is not None:
        # Only the commits since the cached HEAD are new; what they added is newer than what the cache knows.
        added = cache.added | _additions_in(repository, directories, f"{cache.head}..{head}", depth)
    else:
        added = _additions_in(repository, directories, head, depth)
    cache.head, cache.key, cache.added = head, key, added
    return added


def _additions_in(repository: Repository, directories: list[str], revisions: str, depth: int) -> dict[str, str]:
    output = git.run(
        repository.project,
        "log",
        revisions,
        f"--max-count={depth}",
        "--diff-filter=A",
        "--no-renames",
        "--relative",
        "--name-only",
        "-z",
        "--format=%x1e%H",
        "--",
        *directories,
    )
    added: dict[str, str] = {}
    for record in output.split("\x1e")[1:]:
        sha, *names = record.split("\0")
        for name in names:
            name = name.strip("\n")
            if name and name not in added:
                added[name] = sha.strip()
    return added


class HistoryCache(BaseModel):
    """What was read from a repository's history before: commits, and which commit added each file."""

    model_config = ConfigDict(extra="forbid")

    commits: dict[str, Commit] = Field(default_factory=dict)
    head: str | None = None
    key: str | None = None
    added: dict[str, str] = Field(default_factory=dict)

    @staticmethod
    def path(cache_dir: Path) -> Path:
        """Where it is kept: the cache directory is the project's own already."""
        return cache_dir / "history" / "history.json"

    @classmethod
    def load(cls, cache_dir: Path | None) -> HistoryCache:
        """The kept history, or an empty one (a missing or unreadable cache is no error)."""
        if cache_dir is None:
            return cls()
        try:
            return cls.model_validate_json(cls.path(cache_dir).read_bytes())
        except (OSError, ValueError):
            return cls()

    def save(self, cache_dir: Path | None) -> None:
        if cache_dir is None:
            return
        path = self.path(cache_dir)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomically(path, self.model_dump_json())
        except OSError:
            return  # a cache that cannot be written only costs time later


def _chunked_output(repository: Repository, command: tuple[str, ...], paths: list[str]) -> str:
    """Run `command` on the paths a few hundred at a time, so no command line grows too long."""
    return "".join(
        git.run(repository.project, *command, *paths[start : start + 500]) for start in range(0, len(paths), 500)
    )


def attribute(
    repository: Repository,
    result: CheckResult,
    traced: dict[str, tuple[ImportChain, ...]],
    modules: Iterable[str],
    file_of: Callable[[str], str | None],
    options: ProvenanceOptions,
    directories: list[str],
    cache_dir: Path | None = None,
) -> CheckResult:
    """Give each new violation (through the `traced` chains that made it new) and each of
    `modules` the provenance of the commit that brought it.

    A violation's commit is the newest among the lines of its chains' imports, or that of its own
    `file` and `line` (a data contract's field or annotation); a contract model's removed model,
    field or member takes the commit that removed it (`removing_commit`); one without any of these
    (a module outside the architecture) takes the commit that added its module.
    A module's is the newest commit that added its file, looked for under `directories` (the
    project's packages) at most `options.history_depth` commits back. What was read from the
    history is kept in `cache_dir`.
    """
    # Files outside the project (an installed root package) have absolute paths: git cannot say.
    places = {
        fingerprint: {
            (link.file, n)
            for chain in chains
            for link in chain
            if link.file and not Path(link.file).is_absolute()
            for n in link.line_numbers
        }
        for fingerprint, chains in traced.items()
    }
    # A violation about code rather than imports (a data contract) names its own file and line,
    # or what the baseline declared and the code no longer does.
    since = result.baseline.commit if result.baseline is not None else None
    removed: dict[str, str] = {}  # fingerprint -> the commit that removed it, or WORKING_TREE
    for violation in result.violations:
        if violation.fingerprint not in traced or places[violation.fingerprint]:
            continue
        removal = removal_of(violation, result.contract_schemas, result.baseline_contract_schemas)
        if removal is not None and not Path(removal.file).is_absolute():
            found = removing_commit(repository, removal, since, options.history_depth)
            if found is not None:
                removed[violation.fingerprint] = found
                continue
            line = declared_line(repository, removal)  # still declared, no longer a contract model
            if line is not None:
                places[violation.fingerprint] = {(removal.file, line)}
                continue
        if violation.file and violation.line and not Path(violation.file).is_absolute():
            places[violation.fingerprint] = {(violation.file, violation.line)}
    lines_by_file: dict[str, set[int]] = {}
    for found in places.values():
        for file, number in found:
            lines_by_file.setdefault(file, set()).add(number)
    blamed = blame(repository, lines_by_file)

    modules = sorted(set(modules))
    wanted = set(modules)
    wanted |= {
        violation.importer
        for violation in result.violations
        if violation.fingerprint in traced
        and not places[violation.fingerprint]
        and violation.fingerprint not in removed
        and violation.importer
    }
    files = {module: file for module in wanted if (file := file_of(module)) and not Path(file).is_absolute()}
    cache = HistoryCache.load(cache_dir)
    adding = added_files(repository, directories, options.history_depth, cache)
    unfound = sorted({file for file in files.values() if file not in adding})
    tracked = set(_chunked_output(repository, ("ls-files", "-z", "--"), unfound).split("\0")) if unfound else set()
    commits = read_commits(
        repository,
        {sha for sha in blamed.values() if sha}
        | {adding[f] for f in files.values() if f in adding}
        | {sha for sha in removed.values() if sha != WORKING_TREE},
        cache,
    )
    cache.save(cache_dir)
    depth = options.history_depth
    older = Provenance(note=f"added before the {depth} most recent commit{'s' if depth != 1 else ''}")

    judged: dict[str, Provenance] = {}

    def of_commit(sha: str) -> Provenance:
        if sha not in judged:
            judged[sha] = provenance_of(commits[sha], options)
        return judged[sha]

    def of_module(module: str | None) -> Provenance | None:
        if module not in files:
            return None
        sha = adding.get(files[module])
        if sha in commits:
            return of_commit(sha)
        return older if files[module] in tracked else uncommitted()

    def of_violation(violation: Violation) -> Provenance | None:
        if violation.fingerprint in removed:
            sha = removed[violation.fingerprint]
            return uncommitted() if sha == WORKING_TREE else of_commit(sha)
        found = places[violation.fingerprint]
        if not found:
            return of_module(violation.importer)
        shas = [blamed[place] for place in found if place in blamed]
        if None in shas:
            return uncommitted()
        known = [commits[sha] for sha in shas if sha in commits]
        return provenance_of(newest(repository, known), options) if known else None

    violations = tuple(
        violation.model_copy(update={"provenance": of_violation(violation)})
        if violation.fingerprint in traced
        else violation
        for violation in result.violations
    )
    module_provenance = {module: provenance for module in modules if (provenance := of_module(module))}
    return result.model_copy(update={"violations": violations, "module_provenance": module_provenance})


def _words(names: tuple[str, ...]) -> re.Pattern[str] | None:
    names = tuple(name for name in names if name.strip())
    if not names:
        return None
    alternatives = "|".join(re.escape(name.strip()) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])", re.IGNORECASE)


def _ranges(numbers: Iterable[int]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for number in sorted(set(numbers)):
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], number)
        else:
            ranges.append((number, number))
    return ranges
