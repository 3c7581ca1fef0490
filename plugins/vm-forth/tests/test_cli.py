"""`osvm exec forth FILE` and `osvm exec forth` (the program from standard input)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import osvm_hal_virt.plugin
import osvm_vm_forth.plugin
from osvm_core.cli.main import make_cli
from osvm_core.plugins import load_plugins


@pytest.fixture
def osvm():
    plugins = load_plugins(entry_points=False, extra=(("hal-virt", osvm_hal_virt.plugin),
                                                      ("vm-forth", osvm_vm_forth.plugin)))
    cli = make_cli(plugins)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


def test_exec_runs_a_file(osvm, tmp_path):
    program = tmp_path / "hello.fth"
    program.write_text(': sq DUP * ;\n7 sq . CR\n." hello" CR\n')
    result = osvm("exec", "forth", str(program))
    assert result.exit_code == 0
    assert result.output == "49 \nhello\n"


def test_exec_invokes_an_export(osvm, tmp_path):
    program = tmp_path / "m.fth"
    program.write_text(": sq DUP * ;\nEXPORT sq func(x: s32) -> s32\n")
    result = osvm("exec", "forth", str(program), "--invoke", "sq", "12")
    assert result.exit_code == 0 and result.output == "144\n"


def test_exec_runs_main_when_the_file_exports_it(osvm, tmp_path):
    program = tmp_path / "m.fth"
    program.write_text('." loading " : main ." main" CR 3 ;\nEXPORT main func() -> s32\n')
    result = osvm("exec", "forth", str(program))
    assert result.output == "loading main\n" and result.exit_code == 3


def test_exec_error_names_file_line_and_word_and_exits_1(osvm, tmp_path):
    program = tmp_path / "bad.fth"
    program.write_text("1 .\n  frobnicate 2 .\n3 .\n")
    result = osvm("exec", "forth", str(program))
    assert result.exit_code == 1
    assert "bad.fth:2: Undefined word\n  >>>frobnicate<<< 2 .\n" in result.output
    assert "3 " not in result.output


def test_exec_without_a_file_reads_the_program_from_stdin(osvm):
    program = "".join(f": w{i} {i} ;\n" for i in range(40)) + "w3 w39 + . CR\nnosuch\n1 2 + . CR\n"
    result = osvm("exec", "forth", input=program)
    assert result.exit_code == 0                      # the console goes on after an error
    assert result.output.startswith("42 \n")
    assert "Undefined word" in result.output and result.output.endswith("3 \n")


def test_exec_file_reads_standard_input_as_the_console(osvm, tmp_path):
    program = tmp_path / "echo.fth"
    program.write_text(': main PAD 80 ACCEPT PAD SWAP TYPE ." !" CR 0 ;\nEXPORT main func() -> s32\n')
    result = osvm("exec", "forth", str(program), input="typed\n")
    assert result.output == "typed!\n"
