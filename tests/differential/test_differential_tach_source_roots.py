"""Strataview against tach on a monorepo whose packages live in several source roots.

The fixture under `differential/tach/monorepo/` has libraries in `libs/*/src` (two of them
portions of one namespace package), a service, tools in a root written `./tools`, jobs in a root
written `./services/jobs` (whose code tach does not read, though imports of it count) and a
listed root that does not exist. The real `tach check --output json` and Strataview reading the
same `tach.toml` must find the same violating imports, named by the same files.
"""

from __future__ import annotations

import json
import posixpath

import pytest

from differential.test_differential_tach import analyse, compare, fixture_project, run_tach_check  # noqa: F401  (a fixture)


def test_a_monorepo_with_several_source_roots(fixture_project):  # noqa: F811
    project = fixture_project("monorepo")

    found = compare(project)

    files = {file for *_, file, _ in found}
    assert files == {
        "libs/core/src/corelib/audit.py",
        "libs/api/src/api/db.py",
        "libs/billing/src/corp/billing/invoice.py",
        "services/web/web/views.py",
        "tools/scripts/seed.py",
    }
    # Across roots, into a namespace portion in another root, and a function-level import.
    assert ("dependency", "web.views", "corp.auth.tokens", "services/web/web/views.py", 6) in found
    assert ("dependency", "corp.billing.invoice", "corp.auth.tokens", "libs/billing/src/corp/billing/invoice.py", 1) in found
    assert ("dependency", "corelib.audit", "api.routes", "libs/core/src/corelib/audit.py", 5) in found
    assert ("interface", "web.views", "api.internal", "services/web/web/views.py", 2) in found
    # The code in ./services/jobs is not judged, but importing it is.
    assert ("dependency", "web.views", "jobs.nightly", "services/web/web/views.py", 9) in found


def test_the_roots_become_the_session_source_roots(fixture_project):  # noqa: F811
    project = fixture_project("monorepo")

    analysis = analyse(project)

    config = analysis.config.config
    assert config.root_packages == ("api", "corelib", "corp", "jobs", "scripts", "web")
    assert config.source_roots == tuple(
        str(project / root)
        for root in ("libs/core/src", "libs/api/src", "libs/billing/src", "libs/auth/src", "services/web", "tools", "services/jobs")
    )
    assert analysis.project.file_of("jobs.nightly") == "services/jobs/jobs/nightly.py"
    assert analysis.project.package_dirs["corp"] == (project / "libs/billing/src/corp", project / "libs/auth/src/corp")


# How a source root is written decides whether tach reads its code: tach walks down from the
# project root comparing paths as text. (Roots inside one another are left out: tach's verdicts
# on them change from run to run.)
SPELLINGS = [
    ["./a", "./b/c", "./e/f/g", "h"],
    ["a/", "b/./c", "e/f/../f/g", "./h/"],
    ["a", "b//c", "e/f/g/.", "./h"],
    ["../project/a", "b/../b/c", "e/f/g", "h"],
]


@pytest.mark.parametrize("roots", SPELLINGS, ids=lambda roots: " ".join(roots))
def test_tach_reads_the_code_of_the_roots_it_walks_into(tmp_path, roots):
    project = tmp_path / "project"
    for directory, package, imported in [("a", "p1", "p2"), ("b/c", "p2", "p1"), ("e/f/g", "p3", "p1"), ("h", "p4", "p1")]:
        (project / directory / package).mkdir(parents=True)
        (project / directory / package / "__init__.py").write_text("")
        (project / directory / package / "m.py").write_text(f"import os\nimport {imported}\n")
    modules = "".join(f'\n[[modules]]\npath = "p{number}"\ndepends_on = []\n' for number in range(1, 5))
    (project / "tach.toml").write_text(f"source_roots = {json.dumps(roots)}\n{modules}")

    run = run_tach_check(project)
    theirs = {
        (posixpath.normpath(d["Located"]["file_path"]), d["Located"]["original_line_number"])
        for d in json.loads(run.stdout)
        if "Located" in d and d["Located"]["severity"] == "Error"
    }
    ours = {
        (link.file, line)
        for violation in analyse(project).result.violations
        for chain in violation.chains
        for link in chain
        for line in link.line_numbers
    }
    assert ours == theirs
    assert theirs  # every spelling leaves some root read
