from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import osvm_hal_virt.plugin
import osvm_vm_python.plugin
from osvm_core.cli.main import make_cli
from osvm_core.plugins import load_plugins

ROOT = Path(__file__).resolve().parents[2]
# a frozen two-VM copy of the first polyglot example: it does not grow with the example
POLYGLOT = Path(__file__).resolve().parent / "system" / "system.toml"


@pytest.fixture(scope="session")
def plugin_set():
    return load_plugins(entry_points=False, extra=(("hal-virt", osvm_hal_virt.plugin),
                                                   ("vm-python", osvm_vm_python.plugin)))


@pytest.fixture
def osvm(plugin_set):
    """Run the osvm CLI in-process with a plugin set that does not depend on what is installed."""
    cli = make_cli(plugin_set)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.fixture(scope="session")
def polyglot_trace(tmp_path_factory, plugin_set):
    """The polyglot example run once with --trace: (path of the Chrome trace, CLI result)."""
    cli = make_cli(plugin_set)
    path = tmp_path_factory.mktemp("trace") / "polyglot.json"
    result = CliRunner().invoke(cli, ["run", str(POLYGLOT), "--trace", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return path, result
