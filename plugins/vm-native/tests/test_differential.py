"""Differential tests: the same C programs under qemu-sh4 (Linux system-call ABI) and on osvm (osvm.h).

Each program in guest/tests is built twice (guest/Makefile): bin/linux/<name>.elf prints through
write(2) by `trapa #0x13` and runs under Debian's qemu-sh4; bin/<name>.elf prints through
/os/console/write_bytes and runs on the SH-3 board. Both must print the same bytes and exit with
the same status. guest/tests/expected/<name>.out holds qemu's output (`make expected`), so the
osvm side is checked even where qemu-sh4 is not installed; with qemu-sh4 present its live output
is compared too. The Linux build also runs on osvm, through the VM's Linux compatibility traps.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

QEMU = shutil.which("qemu-sh4")
DIFFERENTIAL = ("arith", "divide", "mul64", "strings", "sort", "crc32", "recursion")
GUEST = Path(__file__).resolve().parents[1] / "guest"


def expected(name: str) -> tuple[str, int]:
    text = (GUEST / "tests" / "expected" / f"{name}.out").read_text()
    body, _, status = text.rpartition("[exit ")
    return body, int(status.rstrip("]\n"))


@pytest.mark.parametrize("name", DIFFERENTIAL)
def test_osvm_prints_what_qemu_printed(guest, name: str) -> None:
    output, status = expected(name)
    run = guest.run_program(guest.bin / f"{name}.elf")
    assert run.task.fault is None, run.diagnostics
    assert run.output == output
    assert run.code == status


@pytest.mark.parametrize("name", DIFFERENTIAL)
def test_the_linux_build_runs_on_osvm_too(guest, name: str) -> None:
    output, status = expected(name)
    run = guest.run_program(guest.linux_bin / f"{name}.elf")
    assert run.output == output
    assert run.code == status


@pytest.mark.skipif(QEMU is None, reason="qemu-sh4 is not installed (apt-get install qemu-user)")
@pytest.mark.parametrize("name", DIFFERENTIAL)
def test_qemu_still_prints_the_recorded_output(name: str) -> None:
    output, status = expected(name)
    result = subprocess.run([QEMU, str(GUEST / "bin" / "linux" / f"{name}.elf")], capture_output=True, timeout=60)
    assert result.stdout.decode() == output
    assert result.returncode == status
