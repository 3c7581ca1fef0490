from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

import osvm_hal_virt.plugin
import osvm_vm_python.plugin
import osvm_vm_wasm.plugin
from osvm_core.cli.main import make_cli
from osvm_core.plugins import load_plugins
from osvm_core.registry import build_registry
from osvm_core.system.build import build_system
from osvm_core.system.spec import parse_system

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _plugins():
    return load_plugins(entry_points=False, extra=(("hal-virt", osvm_hal_virt.plugin),
                                                   ("vm-python", osvm_vm_python.plugin),
                                                   ("vm-wasm", osvm_vm_wasm.plugin)))


@pytest.fixture
def compose(tmp_path: Path):
    """compose(system_toml_text, files={name: str|bytes}) -> (kernel, console bytearray, diagnostics list).

    Files are written into a temporary folder; the examples' .wasm files can be named there as
    ``examples/<name>.wasm`` (they are copied in).
    """
    plugins = _plugins()
    registry = build_registry(plugins)

    def make(text: str, files: dict[str, str | bytes] | None = None):
        (tmp_path / "examples").mkdir(exist_ok=True)
        for wasm in EXAMPLES.glob("*.wasm"):
            shutil.copy(wasm, tmp_path / "examples" / wasm.name)
        for name, content in (files or {}).items():
            path = tmp_path / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content)
        output = bytearray()
        notes: list[str] = []
        spec = parse_system(tomllib.loads(text), str(tmp_path / "system.toml"), tmp_path)
        system = build_system(spec, plugins, registry, console_out=output.extend, diagnostics=notes.append)
        return system.kernel, output, notes

    return make


@pytest.fixture
def osvm():
    """The osvm CLI in-process with a fixed plugin set."""
    cli = make_cli(_plugins())
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke
