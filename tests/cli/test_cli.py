"""The osvm command: version, plugins, run, exec, names, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from osvm_core import __version__

ROOT = Path(__file__).resolve().parents[2]
POLYGLOT = ROOT / "examples" / "polyglot" / "system.toml"


def test_version(osvm):
    result = osvm("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_plugins_json_lists_board_vm_and_builtin_policies(osvm):
    result = osvm("plugins", "--json")
    assert result.exit_code == 0
    rows = {row["name"]: row for row in json.loads(result.output)}
    assert rows["hal-virt"]["registers"] == {"hal": ["virt"]}
    assert rows["vm-python"]["registers"] == {"vm": ["python"]}
    assert rows["schedulers"]["registers"] == {"scheduler": ["priority", "round-robin"]}
    assert rows["schedulers"]["distribution"] == "osvm-core" and rows["schedulers"]["builtin"]
    assert rows["allocators"]["registers"] == {"allocator": ["first-fit"]}


def test_plugins_table(osvm):
    result = osvm("plugins")
    assert result.exit_code == 0
    assert "vm-python" in result.output and "scheduler: priority, round-robin" in result.output


def test_polyglot_example_prints_the_same_transcript_every_run(osvm):
    first = osvm("run", str(POLYGLOT))
    second = osvm("run", str(POLYGLOT))
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    lines = first.stdout.splitlines()
    assert any("watchdog: tick 1" in line for line in lines)
    assert any("consumer: job 6 adler32=3de9067e crc32=895f2121" in line for line in lines)
    assert any("crc32: self-test cbf43926 ok" in line for line in lines)   # the wasm VM
    assert lines.count("consumer: done, sum of checksums 0xd4751b78") == 1


def test_run_stats_prints_tasks_and_domains(osvm):
    result = osvm("run", str(POLYGLOT), "--stats")
    assert result.exit_code == 0
    assert "== stats: finished" in result.stdout
    for word in ("producer", "consumer", "watchdog", "int.timer0", "domain", "switches", "waits"):
        assert word in result.stdout


def test_max_cycles_stops_the_run(osvm):
    result = osvm("run", str(POLYGLOT), "--max-cycles", "30000")
    assert result.exit_code == 0
    assert "max-cycles at cycle 30000" in result.stderr
    assert "job 6" not in result.stdout


def _system(tmp_path: Path, text: str) -> str:
    path = tmp_path / "system.toml"
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize(("text", "key", "expected"), [
    ("[[vm]]\nname = 'a'\n", "vm[0].kind", "missing; expected a VM kind"),
    ("[[vm]]\nname = 'a'\nkind = 'python'\nshare = 'big'\n", "vm[0].share", "expected a positive integer"),
    ("[system]\nquantum = -5\n", "system.quantum", "expected a positive integer, got -5"),
    ("[system]\nquantum = 10\nspeed = 3\n", "system.speed", "unknown key"),
    ("[[vm]]\nname = 'a'\nkind = 'cobol'\n", "vm[0].kind", "no vm named 'cobol' is installed"),
    ("[[vm]]\nname = 'a'\nkind = 'python'\nscheduler = 'lottery'\n", "vm[0].scheduler", "no scheduler named 'lottery'"),
    ("[[vm]]\nname = 'a'\nkind = 'python'\nmemory = 'lots'\n", "vm[0].memory", "expected a number of bytes"),
    ("[[task]]\nvm = 'nope'\nentry = '/mod/x/y/z'\n", "task[0].vm", "expected one of the declared VMs"),
    ("[[semaphore]]\nname = 's'\ncount = 5\nmax = 2\n", "semaphore[0].count", "expected 0..max (2), got 5"),
    ("[system\n", "(syntax)", "not valid TOML"),
])
def test_bad_system_files_get_one_clear_message_and_status_2(osvm, tmp_path, text, key, expected):
    path = _system(tmp_path, text)
    result = osvm("run", path)
    assert result.exit_code == 2
    assert path in result.stderr and key in result.stderr and expected in result.stderr
    assert "Traceback" not in result.output


def test_missing_system_file(osvm, tmp_path):
    result = osvm("run", str(tmp_path / "none.toml"))
    assert result.exit_code == 2 and "none.toml" in result.stderr and "cannot read" in result.stderr


def test_task_entry_that_does_not_exist(osvm, tmp_path):
    (tmp_path / "m.py").write_text("from osvm_vm_python.guest import export\n"
                                   "@export('func()')\ndef main():\n    return 0\n")
    path = _system(tmp_path, "[[vm]]\nname='py'\nkind='python'\nload=['m.py']\n"
                             "[[task]]\nvm='py'\nentry='m/nope'\n")
    result = osvm("run", path)
    assert result.exit_code == 2
    assert "task[0].entry" in result.stderr and "/mod/py/m/nope" in result.stderr
    assert "/mod/py/m/main" in result.stderr


def test_exec_python_exit_status_and_output(osvm, tmp_path):
    program = tmp_path / "prog.py"
    program.write_text(
        "from osvm_vm_python.guest import export, write\n"
        "@export('func() -> s32')\n"
        "def main():\n    yield write('hi\\n')\n    return 7\n"
        "@export('func(a: s32, b: f64) -> f64')\n"
        "def scale(a, b):\n    return a * b\n")
    result = osvm("exec", "python", str(program))
    assert result.exit_code == 7 and result.stdout == "hi\n"
    result = osvm("exec", "python", str(program), "--invoke", "scale", "3", "1.5")
    assert result.exit_code == 0 and result.stdout.strip() == "4.5"
    result = osvm("exec", "python", str(program), "--invoke", "scale", "x", "1")
    assert result.exit_code == 2 and "expects s32" in result.output


def test_exec_python_fault_gives_status_1_and_a_report(osvm, tmp_path):
    program = tmp_path / "bad.py"
    program.write_text("from osvm_vm_python.guest import export\n"
                       "@export('func()')\ndef main():\n    yield 1 // 0\n")
    result = osvm("exec", "python", str(program))
    assert result.exit_code == 1
    assert "ZeroDivisionError" in result.stderr and "bad.py:4" in result.stderr


def test_exec_syntax_error_names_file_and_line(osvm, tmp_path):
    program = tmp_path / "broken.py"
    program.write_text("def main(:\n")
    result = osvm("exec", "python", str(program))
    assert result.exit_code == 2 and "broken.py:1" in result.stderr and "syntax error" in result.stderr


def test_names_lists_os_services_with_signatures(osvm):
    result = osvm("names", str(POLYGLOT), "/os/sem")
    assert result.exit_code == 0
    assert "wait  func(sem: handle<sem>, timeout: s64)" in result.stdout
    result = osvm("names", str(POLYGLOT), "/mod", "-r")
    assert "/mod/lib/checksum/adler32  func(data: bytes) -> u32" in result.stdout


def test_f32_results_print_in_their_own_precision():
    from osvm_core.cli.exec_cmd import format_result

    assert format_result(0.10000000149011612, "f32") == "0.1"
    assert format_result(0.1, "f64") == "0.1"
    assert format_result(1.0, "f32") == "1"
    assert format_result([1, 2.5], "") == "1 2.5"
    assert format_result(float("nan"), "f32") == "nan"


def test_polyglot_wasm_crc32_agrees_with_zlib(osvm):
    import zlib

    lines = osvm("run", str(POLYGLOT)).stdout.splitlines()
    for number in range(1, 7):
        payload = f"job {number}: " + "ab" * number
        assert any(f"consumer: job {number} adler32=" in line and f"crc32={zlib.crc32(payload.encode()):08x}" in line
                   for line in lines)


def test_a_program_piped_to_stdin_arrives_line_by_line_without_loss(plugin_set):
    from click.testing import CliRunner

    from osvm_core.cli.main import make_cli

    program = "".join(f": w{i} {i} ; w{i} .\n" for i in range(40)) + "cr\n"
    for board in ("virt", "sh3"):
        result = CliRunner().invoke(make_cli(plugin_set), ["exec", "forth", "--hal", board], input=program)
        assert result.exit_code == 0, result.output
        assert result.stdout.split() == [str(i) for i in range(40)], board
