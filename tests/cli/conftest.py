from __future__ import annotations

import pytest
from click.testing import CliRunner

import osvm_hal_virt.plugin
import osvm_vm_python.plugin
from osvm_core.cli.main import make_cli
from osvm_core.plugins import load_plugins


@pytest.fixture
def osvm():
    """Run the osvm CLI in-process with a plugin set that does not depend on what is installed."""
    plugins = load_plugins(entry_points=False, extra=(("hal-virt", osvm_hal_virt.plugin),
                                                      ("vm-python", osvm_vm_python.plugin)))
    cli = make_cli(plugins)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke
