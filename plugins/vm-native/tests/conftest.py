"""Helpers for the native VM's tests: a plugin set that does not depend on what is installed,
and ways to run guest programs in a system on either board."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import osvm_hal_sh3.plugin
import osvm_hal_virt.plugin
import osvm_vm_native.plugin
import osvm_vm_python.plugin
from osvm_core.plugins import load_plugins
from osvm_core.registry import build_registry
from osvm_core.system.build import build_system
from osvm_core.system.spec import ModuleSpec, SystemSpec, VMSpec, read_system_file

GUEST = Path(__file__).resolve().parents[1] / "guest"
BIN = GUEST / "bin"
LINUX_BIN = BIN / "linux"

PLUGINS = load_plugins(entry_points=False, extra=(
    ("hal-sh3", osvm_hal_sh3.plugin), ("hal-virt", osvm_hal_virt.plugin),
    ("vm-native", osvm_vm_native.plugin), ("vm-python", osvm_vm_python.plugin)))
REGISTRY = build_registry(PLUGINS)


@dataclass
class Run:
    output: str
    kernel: Any
    task: Any
    diagnostics: list[str]

    @property
    def code(self) -> int | None:
        return self.task.exit_code


def run_program(path: Path, entry: str = "main", args: tuple[Any, ...] = (), *, hal: str = "sh3",
                max_cycles: int = 400_000_000, memory: int = 1 << 20, options: dict | None = None) -> Run:
    """One native program as one task, as ``osvm exec native`` runs it."""
    out = bytearray()
    notes: list[str] = []
    spec = SystemSpec(file=f"<test {path.name}>", hal=hal,
                      vms=[VMSpec("native", "native", memory=memory, options=options or {},
                                  modules=[ModuleSpec(path.stem, path)])])
    system = build_system(spec, PLUGINS, REGISTRY, console_out=out.extend, diagnostics=notes.append)
    kernel = system.kernel
    task = kernel.create_task("main", "native", kernel.names.get(f"/mod/native/{path.stem}/{entry}"),
                              args=args)
    kernel.activate(task)
    kernel.run(max_cycles=max_cycles)
    return Run(out.decode(), kernel, task, notes)


def run_system(tmp_path: Path, text: str, *, max_cycles: int = 400_000_000, trace: bool = False) -> Run:
    """A system file (``{bin}`` and ``{guest}`` in it stand for the guest folders)."""
    path = tmp_path / "system.toml"
    path.write_text(textwrap.dedent(text).format(bin=BIN, guest=GUEST, tests=Path(__file__).parent))
    out = bytearray()
    notes: list[str] = []
    spec = read_system_file(path)
    system = build_system(spec, PLUGINS, REGISTRY, console_out=out.extend, diagnostics=notes.append,
                          trace=trace)
    system.kernel.run(max_cycles=max_cycles)
    return Run(out.decode(), system.kernel, None, notes)


class Guest:
    """What the tests use: the guest folders and the two ways to run programs."""

    guest = GUEST
    bin = BIN
    linux_bin = LINUX_BIN
    plugins = PLUGINS
    registry = REGISTRY
    run_program = staticmethod(run_program)
    run_system = staticmethod(run_system)


@pytest.fixture
def guest() -> Guest:
    return Guest()
