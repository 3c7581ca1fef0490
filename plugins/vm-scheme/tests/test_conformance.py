"""Conformance: chibi-scheme's r5rs-tests.scm (every test) and r7rs-tests.scm (group by group).

The test data comes from $OSVM_TESTDATA/scheme, or else <repo>/../shared/testdata/scheme;
without it these tests are skipped. r7rs-tests.scm imports (chibi test): the project's own
shim (tests/shim/chibi/test.sld) provides it. Expected failures are listed, each with its
reason, in tests/r7rs-expected-failures.txt.

Run as a script to print the per-group table: python plugins/vm-scheme/tests/test_conformance.py
"""

from __future__ import annotations

import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scheme_support import SHIM, compose_system, scheme_testdata, scheme_toml  # noqa: E402

EXPECTED_FILE = Path(__file__).with_name("r7rs-expected-failures.txt")
DATA = scheme_testdata()
needs_data = pytest.mark.skipif(DATA is None, reason="no Scheme test data: set OSVM_TESTDATA to a folder with "
                                                     "scheme/r7rs-tests.scm (or have ../shared/testdata)")

R5RS_RUNNER = """
; r5rs-tests.scm uses two chibi procedures: this runner defines them, then includes the file
(define (call-with-output-string proc)
  (let ((port (open-output-string))) (proc port) (get-output-string port)))
(define (flush-output . port) (flush-output-port))
(include "{path}")
"""


@dataclass
class Group:
    name: str
    passed: int = 0
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)


def expected_failures() -> dict[tuple[str, str], str]:
    table = {}
    for line in EXPECTED_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        group, expression, reason = line.split("\t", 2)
        table[(group, expression)] = reason
    return table


def run_r7rs() -> tuple[list[Group], str, list[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = (DATA / "r7rs-tests.scm").read_text(encoding="utf-8")
        result = compose_system(folder, {"r7rs-tests.scm": source},
                                scheme_toml(["r7rs-tests.scm"], options=f"{{ library_path = ['{SHIM}'] }}"),
                                max_cycles=100_000_000)
    groups: list[Group] = []
    pending: dict[str, Group] = {}
    for line in result.output.splitlines():
        parts = line.split("\t")
        if parts[0] == "FAIL" and len(parts) >= 4:
            group = pending.setdefault(parts[1], Group(parts[1]))
            group.failures.append((parts[2], parts[3]))
        elif parts[0] == "GROUP" and len(parts) == 4:
            group = pending.pop(parts[1], Group(parts[1]))
            group.passed, group.failed = int(parts[2]), int(parts[3])
            if group.passed or group.failed:
                groups.append(group)
    return groups, result.output, result.notes


@pytest.fixture(scope="module")
def r7rs():
    return run_r7rs()


@needs_data
def test_r5rs_every_test_passes(tmp_path):
    runner = R5RS_RUNNER.format(path=DATA / "r5rs-tests.scm")
    result = compose_system(tmp_path, {"r5rs.scm": runner}, scheme_toml(["r5rs.scm"]), max_cycles=50_000_000)
    assert not result.notes, result.notes
    lines = result.output.splitlines()
    failed = [line for line in lines if line.endswith("[FAIL]")]
    assert not failed, "\n".join(failed)
    summary = re.search(r"(\d+) out of (\d+) passed", result.output)
    assert summary and summary.group(1) == summary.group(2) and int(summary.group(2)) >= 180, lines[-3:]


R7RS_GROUPS = ["4.1 Primitive expression types", "4.2 Derived expression types", "4.3 Macros",
               "5 Program structure", "6.1 Equivalence Predicates", "6.2 Numbers", "6.3 Booleans", "6.4 Lists",
               "6.5 Symbols", "6.6 Characters", "6.7 Strings", "6.8 Vectors", "6.9 Bytevectors",
               "6.10 Control Features", "6.11 Exceptions", "6.12 Environments and evaluation",
               "6.13 Input and output", "Read syntax", "Numeric syntax", "6.14 System interface"]


@needs_data
def test_r7rs_runs_to_the_end(r7rs):
    groups, output, notes = r7rs
    assert not notes, notes
    assert sorted(g.name for g in groups) == sorted(R7RS_GROUPS)
    total = sum(g.passed + g.failed for g in groups)
    assert total >= 1200, f"only {total} checks ran"
    passed = sum(g.passed for g in groups)
    assert passed / total >= 0.90


@needs_data
@pytest.mark.parametrize("name", R7RS_GROUPS)
def test_r7rs_group(r7rs, name):
    groups, _output, _notes = r7rs
    found = [g for g in groups if g.name == name]
    assert found, f"group {name!r} did not report"
    group = found[0]
    expected = expected_failures()
    unexpected = [f"{expr}: {what}" for expr, what in group.failures if (name, expr) not in expected]
    assert not unexpected, "\n".join(unexpected)


def table(groups: list[Group]) -> str:
    expected = expected_failures()
    lines = ["| group | checks | passed | failed |", "|---|---:|---:|---:|"]
    for g in groups:
        lines.append(f"| {g.name} | {g.passed + g.failed} | {g.passed} | {g.failed} |")
    total = sum(g.passed + g.failed for g in groups)
    passed = sum(g.passed for g in groups)
    lines.append(f"| **all** | {total} | {passed} | {total - passed} ({100 * passed / max(total, 1):.1f}% pass) |")
    lines.append("")
    lines.append(f"expected failures ({EXPECTED_FILE.name}): {len(expected) or 'none'}")
    for (group, expression), reason in expected.items():
        lines.append(f"  [{group}] {expression}: {reason}")
    return "\n".join(lines)


@needs_data
def test_r7rs_prints_its_table_and_expected_failures(r7rs, capsys):
    groups, _output, _notes = r7rs
    with capsys.disabled():
        print("\n" + table(groups))
    expected = expected_failures()
    failing = {(g.name, expr) for g in groups for expr, _ in g.failures}
    now_passing = [key for key in expected if key not in failing]
    assert not now_passing, f"listed as expected failures but passing now (remove them): {now_passing}"


if __name__ == "__main__":
    if DATA is None:
        sys.exit("no Scheme test data (set OSVM_TESTDATA)")
    print(table(run_r7rs()[0]))
