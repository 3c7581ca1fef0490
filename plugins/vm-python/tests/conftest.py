from __future__ import annotations

from pathlib import Path

import pytest

import osvm_hal_virt.plugin
import osvm_vm_python.plugin
from osvm_core.plugins import load_plugins
from osvm_core.registry import build_registry
from osvm_core.system.build import build_system
from osvm_core.system.spec import parse_system


@pytest.fixture
def compose(tmp_path: Path):
    """compose({'m.py': source}, toml_tail) -> (kernel, output bytearray)."""
    plugins = load_plugins(entry_points=False, extra=(("hal-virt", osvm_hal_virt.plugin),
                                                      ("vm-python", osvm_vm_python.plugin)))
    registry = build_registry(plugins)

    def make(modules: dict[str, str], tail: str, *, vm: str = "py"):
        import tomllib

        for name, source in modules.items():
            (tmp_path / name).write_text(source)
        loads = ", ".join(f"'{name}'" for name in modules)
        text = (f"[hal]\nclock_hz = 1000000\ntimer_period = 0\n"
                f"[[vm]]\nname = '{vm}'\nkind = 'python'\nload = [{loads}]\n{tail}")
        output = bytearray()
        spec = parse_system(tomllib.loads(text), str(tmp_path / "system.toml"), tmp_path)
        system = build_system(spec, plugins, registry, console_out=output.extend, diagnostics=lambda s: None)
        return system.kernel, output

    return make
