"""Run the Forth 2012 test suite (Hayes tester + Jackson tests) on this Forth.

    python -m osvm_vm_forth.suite [--standalone] [--show-output]

The folder comes from ``$OSVM_TESTDATA/forth2012`` or ``<repo>/../shared/testdata/forth2012``.
By default the files run in an osvm system (virt board, one forth VM, the driver
as a module run by a task) with the console input ``Hello from stdin`` for the
ACCEPT test of core.fr; ``--standalone`` runs them on a machine without a kernel.
Prints the per-word-set table of errorreport.fth (REPORT-ERRORS) and exits 1
unless every word set reports 0 errors.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

FILES = [
    "prelimtest.fth", "tester.fr", "core.fr", "coreplustest.fth", "utilities.fth", "errorreport.fth",
    "coreexttest.fth", "doubletest.fth", "exceptiontest.fth", "facilitytest.fth", "memorytest.fth",
    "toolstest.fth", "searchordertest.fth", "stringtest.fth",
]
INPUT = b"Hello from stdin\n"
WORD_SETS = ["Core", "Core extension", "Double number", "Exception", "Facility", "Memory-allocation",
             "Programming-tools", "Search-order", "String"]


def testdata_folder() -> Path | None:
    """The forth2012 folder, or None when it is not there."""
    env = os.environ.get("OSVM_TESTDATA")
    candidates = [Path(env) / "forth2012"] if env else []
    candidates.append(Path(__file__).resolve().parents[3] / ".." / "shared" / "testdata" / "forth2012")
    for folder in candidates:
        if (folder / "core.fr").is_file():
            return folder.resolve()
    return None


def driver_text(folder: Path, files: list[str] = FILES) -> str:
    lines = [f'S" {folder / name}" INCLUDED' for name in files]
    return "\n".join(lines) + "\nREPORT-ERRORS\n"


@dataclass
class SuiteResult:
    output: str
    table: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    cycles: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def check(output: str) -> SuiteResult:
    result = SuiteResult(output)
    for line in output.splitlines():
        match = re.match(r"^(\S.*?)\s{2,}(-|\d+)\s*$", line)
        if match and match.group(1) in (*WORD_SETS, "Block", "File-access", "Locals", "Total"):
            result.table[match.group(1)] = match.group(2)
    if "0 tests failed out of 57 additional tests" not in output:
        result.problems.append("prelimtest.fth did not report 0 failures")
    if 'RECEIVED: "Hello from stdin"' not in output:
        result.problems.append("the ACCEPT test did not receive the console line")
    for bad in ("INCORRECT RESULT", "WRONG NUMBER OF RESULTS", "Undefined word", "Error #"):
        if bad in output:
            result.problems.append(f"the output contains {bad!r}")
    for name in [*WORD_SETS, "Total"]:
        if result.table.get(name) != "0":
            result.problems.append(f"{name}: {result.table.get(name, 'no line in the table')}")
    return result


def run_standalone(folder: Path) -> SuiteResult:
    from .standalone import Standalone

    host = Standalone(input=INPUT)
    outcome = host.interpret(driver_text(folder), name="runtests")
    result = check(outcome.output.decode("utf-8", "replace"))
    result.cycles = outcome.cycles
    return result


def run_in_system(folder: Path) -> SuiteResult:
    """The suite as a module of a forth VM in an osvm system; ACCEPT reads the board's console."""
    import tomllib

    import osvm_hal_virt.plugin
    from osvm_core.plugins import load_plugins
    from osvm_core.registry import build_registry
    from osvm_core.system.build import build_system
    from osvm_core.system.spec import parse_system

    from . import plugin

    plugins = load_plugins(entry_points=False, extra=(("hal-virt", osvm_hal_virt.plugin), ("vm-forth", plugin)))
    registry = build_registry(plugins)
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "runtests.fth").write_text(driver_text(folder))
        text = ("[hal]\nclock_hz = 10_000_000\nram = '8MiB'\n"
                "[[vm]]\nname = 'forth'\nkind = 'forth'\nmemory = '4MiB'\nload = ['runtests.fth']\n"
                "[[task]]\nname = 'tests'\nvm = 'forth'\nentry = 'runtests/_start'\n")
        spec = parse_system(tomllib.loads(text), str(Path(tmp, "system.toml")), Path(tmp))
        output = bytearray()
        system = build_system(spec, plugins, registry, console_out=output.extend,
                              hal_extra={"console_in": INPUT}, diagnostics=lambda s: None)
        report = system.kernel.run()
    result = check(output.decode("utf-8", "replace"))
    result.cycles = report.cycles
    if report.reason != "finished":
        result.problems.append(f"the system halted: {report.reason}")
    return result


def table_text(result: SuiteResult) -> str:
    lines = ["Word set               Errors", "---------------------  ------"]
    for name, value in result.table.items():
        lines.append(f"{name:<21}  {value:>6}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--standalone", action="store_true", help="run without a kernel")
    parser.add_argument("--show-output", action="store_true", help="print the whole transcript")
    args = parser.parse_args(argv)
    folder = testdata_folder()
    if folder is None:
        print("forth2012 test data not found: set OSVM_TESTDATA to a folder holding forth2012/")
        return 0
    result = run_standalone(folder) if args.standalone else run_in_system(folder)
    if args.show_output:
        print(result.output)
    print(f"Forth 2012 test suite ({'standalone' if args.standalone else 'osvm system'}), "
          f"{result.cycles} cycles, from {folder}")
    print(table_text(result))
    for problem in result.problems:
        print(f"problem: {problem}")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
