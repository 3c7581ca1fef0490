"""Calls across VMs in the SH C calling convention: Python -> native exports, native -> Python imports."""

from __future__ import annotations

SYSTEM = """
[system]
hal = "sh3"

[[vm]]
name = "nat"
kind = "native"
memory = "1MiB"
load = ["{bin}/calls.elf"]

[[vm]]
name = "py"
kind = "python"
load = ["{tests}/py/helpers.py", "{tests}/py/caller.py"]

[[task]]
name = "caller"
vm = "py"
entry = "/mod/py/caller/main"

[[task]]
name = "importer"
vm = "nat"
entry = "/mod/nat/calls/use_imports"
priority = 2

[[grant]]
vm = "py"
bind = "/mod/nat/**"

[[grant]]
vm = "nat"
bind = "/mod/py/**"
"""


def test_exports_are_published_with_their_signatures(guest, tmp_path) -> None:
    run = guest.run_system(tmp_path, SYSTEM, max_cycles=1)
    names = run.kernel.names
    assert str(names.lookup("/mod/nat/calls/crc32").signature) == "func(data: bytes) -> u32"
    assert str(names.lookup("/mod/nat/calls/shout").signature) == "func(text: string) -> string"
    assert str(names.lookup("/mod/nat/calls/main").signature) == "func() -> s32"   # main is implicit


def test_python_calls_native_exports(guest, tmp_path) -> None:
    run = guest.run_system(tmp_path, SYSTEM)
    line = next(x for x in run.output.splitlines() if x.startswith("python got:"))
    values = line.removeprefix("python got: ").split(" | ")
    sum8 = 1 + 2 * 2 + 3 * 3 + 4 * 4 + 5 * 5 + 6 * 6 + 7 * 7 + 8 * 200
    mul64 = (-(1 << 40) * 3 + (1 << 63) + 5 + (1 << 63)) % (1 << 64) - (1 << 63)
    assert values == ["-3", str(sum8), str(mul64), "True", "False", str(0xCBF43926), "'QUIET WORDS'"]


def test_native_code_calls_python_imports(guest, tmp_path) -> None:
    run = guest.run_system(tmp_path, SYSTEM)
    assert "adler32 via python: 11e60398\n" in run.output
    assert "greeting: hello, SH-3, from Python (24 bytes)\n" in run.output
    assert "scaled: -9000000000\n" in run.output
    assert not run.kernel.faults, run.diagnostics


def test_system_calls_from_c(guest) -> None:
    run = guest.run_program(guest.bin / "services.elf")
    assert run.task.fault is None, run.diagnostics
    lines = run.output.splitlines()
    assert lines[0] == "sem 1: wait 0 poll -50 count 2 over -43"
    assert lines[1] == "mpf: block ok, mem_read 7 [written], free 1"
    assert lines[2] == "state: running, priority 1"
    assert lines[3] == "port: 8 bytes, message -42, then -50"
    assert lines[4] == "unknown trap: -10"          # E_RSFN
    assert lines[5] == "bad pointer: -26"           # E_MACV: the VM does not read outside the task
    assert lines[6].startswith("random: ")


def test_an_import_that_cannot_be_bound_fails_the_link(guest) -> None:
    import pytest

    from osvm_core.errors import NoSuchObject

    with pytest.raises(NoSuchObject, match="/mod/py/helpers/adler32"):
        guest.run_program(guest.bin / "calls.elf")
