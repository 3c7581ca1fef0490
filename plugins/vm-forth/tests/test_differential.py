"""Differential tests: the same programs under gforth and under `osvm exec forth` print the same."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import osvm_hal_virt.plugin
import osvm_vm_forth.plugin
from osvm_core.cli.main import make_cli
from osvm_core.plugins import load_plugins

PROGRAMS = sorted((Path(__file__).parent / "programs").glob("*.fth"))


@pytest.fixture(scope="module")
def osvm_exec():
    plugins = load_plugins(entry_points=False, extra=(("hal-virt", osvm_hal_virt.plugin),
                                                      ("vm-forth", osvm_vm_forth.plugin)))
    cli = make_cli(plugins)

    def run(program: Path) -> str:
        result = CliRunner().invoke(cli, ["exec", "forth", str(program)], input="", catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    return run


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.name)
def test_same_output_as_gforth(gforth, osvm_exec, program):
    expected = subprocess.run([gforth, str(program), "-e", "bye"], capture_output=True, timeout=60,
                              stdin=subprocess.DEVNULL, check=True).stdout.decode()
    assert osvm_exec(program) == expected
