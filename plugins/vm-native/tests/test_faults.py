"""Guest faults end only the task that makes them, with a report naming the PC and the cause."""

from __future__ import annotations

import re

import pytest

SYSTEM = """
[system]
hal = "sh3"

[[vm]]
name = "nat"
kind = "native"
load = ["{bin}/faults.elf"]

[[vm]]
name = "other"
kind = "native"
load = ["{bin}/hello.elf"]

[[task]]
name = "culprit"
vm = "nat"
entry = "/mod/nat/faults/{entry}"
args = {args}

[[task]]
name = "bystander"
vm = "nat"
entry = "/mod/nat/faults/healthy"
args = [3]

[[task]]
name = "neighbour"
vm = "other"
entry = "/mod/other/hello/main"
"""

CASES = [
    ("illegal", [], r"illegal instruction 0xfffd at pc 0x[0-9a-f]{8} \(illegal\+0x0 in .*faults.elf\)"),
    ("privileged", [], r"privileged instruction 'LDC R0,SR' in user mode at pc 0x[0-9a-f]{8} \(privileged\+"),
    ("slot_illegal", [], r"illegal instruction in a delay slot \(slot illegal\) at pc 0x[0-9a-f]{8} \(slot_illegal"),
    ("misaligned", [], r"misaligned read at 0x[0-9a-f]{7}[13579bdf] at pc 0x[0-9a-f]{8} \(misaligned\+"),
    ("wild_write", ["OS"], r"access outside the task's memory: write at 0x0c000000 at pc .*\(wild_write\+"),
    ("wild_read", ["NEIGHBOUR"], r"access outside the task's memory: read at 0x[0-9a-f]{8} at pc .*\(wild_read\+"),
    ("wild_read", [0xA0000000], r"access outside the task's memory: read at 0xa0000000 at pc .*\(wild_read\+"),
    ("wild_read", [0xFFFFFE98], r"access outside the task's memory: read at 0xfffffe98"),   # TCNT0, from user mode
    ("wild_jump", [0x1000], r"jump to 0x00001000, outside the task's memory at pc 0x00001000"),
    ("overflow", [], r"stack overflow: write at 0x[0-9a-f]{8}, below the task's stack at pc .*\(deeper\+"),
]


@pytest.mark.parametrize(("entry", "args", "report"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_a_fault_ends_only_its_task(guest, tmp_path, entry, args, report) -> None:
    if args == ["OS"]:
        args = [0x0C000000]                          # the first bytes of SDRAM: the OS's, not the task's
    if args == ["NEIGHBOUR"]:
        probe = guest.run_system(tmp_path, SYSTEM.replace("{entry}", "healthy").replace("{args}", "[1]"),
                                 max_cycles=1)
        args = [probe.kernel.vms["other"].modules["hello"].state.image]   # another VM's program
    run = guest.run_system(tmp_path, SYSTEM.replace("{entry}", entry).replace("{args}", repr(list(args))))
    kernel = run.kernel
    assert kernel.halted.reason == "finished"
    assert [task.name for task, _ in kernel.faults] == ["culprit"]
    error = kernel.faults[0][1]
    assert re.search(report, str(error)), str(error)
    assert any("task 'culprit' (vm nat) faulted" in note for note in run.diagnostics)
    # the others ran to their end
    assert "healthy: round 3\n" in run.output
    assert "hello from the SH-3" in run.output
    assert kernel.objects.get("task", "bystander").exit_code == 3
    assert kernel.objects.get("task", "neighbour").exit_code == 7


def test_the_stack_of_a_faulted_task_goes_back_to_its_pool(guest) -> None:
    run = guest.run_program(guest.bin / "faults.elf", "illegal", options={"stacks": 1})
    pool = run.kernel.vms["native"].modules["faults"].state.pool
    assert run.task.fault is not None
    assert pool.pool.free_count == 1
