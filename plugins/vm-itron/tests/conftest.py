"""Fixtures of the μITRON personality's tests: the TTSP3 data, and systems built for a test."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import osvm_hal_virt.plugin
import osvm_vm_itron.plugin
import osvm_vm_python.plugin
from osvm_core.plugins import load_plugins
from osvm_core.registry import build_registry
from osvm_core.system.build import build_system
from osvm_core.system.spec import parse_system
from osvm_vm_itron.ttsp.data import data_root, missing_reason

PLUGINS = (("hal-virt", osvm_hal_virt.plugin), ("vm-python", osvm_vm_python.plugin),
           ("vm-itron", osvm_vm_itron.plugin))


def plugin_set():
    return load_plugins(entry_points=False, extra=PLUGINS)


@pytest.fixture(scope="session")
def ttsp3() -> Path:
    root = data_root()
    if root is None:
        pytest.skip(missing_reason())
    return root


@pytest.fixture
def compose(tmp_path: Path):
    """compose(modules, tail_toml) -> (kernel, console bytes): an ``itron`` VM named ``rtos``."""
    plugins = plugin_set()
    registry = build_registry(plugins)

    def make(modules: dict[str, str], tail: str, *, scheduler: str = "itron"):
        for name, source in modules.items():
            (tmp_path / name).write_text(source)
        loads = ", ".join(f"'{name}'" for name in modules)
        text = (f"[hal]\nclock_hz = 1000000\ntimer_period = 0\n"
                f"[[vm]]\nname = 'rtos'\nkind = 'itron'\nscheduler = '{scheduler}'\nload = [{loads}]\n{tail}")
        output = bytearray()
        spec = parse_system(tomllib.loads(text), str(tmp_path / "system.toml"), tmp_path)
        system = build_system(spec, plugins, registry, console_out=output.extend, diagnostics=lambda s: None)
        return system.kernel, output

    return make
