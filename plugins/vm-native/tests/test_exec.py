"""`osvm exec native prog.elf`: console output on stdout, the exit status as the exit code."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from osvm_core.cli.main import make_cli


@pytest.fixture
def osvm(guest):
    cli = make_cli(guest.plugins)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)
    return invoke


def test_exec_runs_a_program_on_the_sh3_board(osvm, guest) -> None:
    result = osvm("exec", "native", str(guest.bin / "hello.elf"))
    assert result.stdout == "hello from the SH-3: 2 + 3 = 5\nthe board clock runs at 60000000 Hz\n"
    assert result.exit_code == 7


def test_exec_on_the_virt_board_uses_a_software_cpu(osvm, guest) -> None:
    result = osvm("exec", "--hal", "virt", "native", str(guest.bin / "hello.elf"))
    assert result.stdout.endswith("the board clock runs at 10000000 Hz\n")
    assert result.exit_code == 7


def test_exec_invokes_an_export_with_arguments(osvm, guest) -> None:
    result = osvm("exec", "--invoke", "healthy", "native", str(guest.bin / "faults.elf"), "2")
    assert result.stdout == "healthy: round 1\nhealthy: round 2\n2\n"
    assert result.exit_code == 0


def test_exec_of_a_faulting_program_exits_1_with_the_report(osvm, guest) -> None:
    result = osvm("exec", "--invoke", "illegal", "native", str(guest.bin / "faults.elf"))
    assert result.exit_code == 1
    assert "illegal instruction 0xfffd at pc 0x" in result.stderr


def test_exec_of_a_bad_file_exits_2(osvm, tmp_path) -> None:
    junk = tmp_path / "junk.elf"
    junk.write_bytes(b"\x7fELF" + bytes(60))
    result = osvm("exec", "native", str(junk))
    assert result.exit_code == 2
    assert "junk.elf: " in result.stderr
