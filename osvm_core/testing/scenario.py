"""Scenario harness for kernel tests: guest modules + a system file -> a built system to run.

A test gives Python guest sources (file name -> text) and system-file TOML; the
harness writes them to a directory, reads the file with ``read_system_file`` and
builds it with a plugin set made for the test (the virt board and the Python VM,
plus any extra plugins the test passes), so nothing depends on what happens to
be installed. The board and the Python VM are imported only when a scenario is
built: the core itself does not depend on them.

Guests record check points through the module ``scenario`` that the harness
puts into ``sys.modules`` while the system is built and while it runs::

    from scenario import cp, note

    @export("func()")
    def main():
        yield from cp(1)        # appends (1, cycle) to the scenario's points
        note("a", "b")          # appends ("a", "b") with no system call

``scenario.data`` is a dict the test and the guests share (inputs, callbacks), and
``scenario.kernel`` the kernel once built.

``cp`` costs one ``now()`` system call: a step of the Python VM to reach the
``yield`` (STEP_CYCLES) plus the service (SERVICE_CYCLES); the cycle recorded
is the board time after the service was charged.
"""

from __future__ import annotations

import contextlib
import sys
import textwrap
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..kernel.kernel import HaltReport, Kernel
from ..plugins import PluginSet, load_plugins
from ..registry import build_registry
from ..system.build import build_system
from ..system.spec import read_system_file


def base_plugins() -> tuple[tuple[str, object], ...]:
    """The virt board and the Python VM, as (name, plugin) pairs for ``load_plugins(extra=...)``."""
    import osvm_hal_virt.plugin
    import osvm_vm_python.plugin

    return (("hal-virt", osvm_hal_virt.plugin), ("vm-python", osvm_vm_python.plugin))


def system(body: str, *, timer_period: int = 0, quantum: int = 2000, seed: int = 0,
           clock_hz: int = 1_000_000, ram: str = "4MiB") -> str:
    """System-file text: the virt board (at 1 MHz, timer off unless asked) and then ``body``.

    With the timer off no tick interrupt perturbs exact cycle counts; a test about
    interrupts turns it on with ``timer_period``.
    """
    head = textwrap.dedent(f"""\
        [system]
        hal = "virt"
        quantum = {quantum}
        seed = {seed}

        [hal]
        clock_hz = {clock_hz}
        ram = "{ram}"
        timer_period = {timer_period}
        """)
    return head + textwrap.dedent(body)


def plugin_set(*extra: tuple[str, object]) -> PluginSet:
    """A plugin set of the core's built-ins, the base plugins and ``extra``; no entry points."""
    return load_plugins(entry_points=False, extra=base_plugins() + tuple(extra))


def new_recorder() -> types.ModuleType:
    """A fresh ``scenario`` module: ``points`` and the guest helpers ``cp`` and ``note``."""
    from osvm_vm_python.guest import now

    module = types.ModuleType("scenario")
    points: list[tuple[Any, ...]] = []
    module.points = points
    module.kernel = None
    module.data = {}

    def cp(number: Any):
        cycle = yield now()
        points.append((number, cycle))

    def note(*values: Any) -> None:
        points.append(values)

    module.cp = cp
    module.note = note
    return module


@contextlib.contextmanager
def recorder_installed(recorder: types.ModuleType):
    previous = sys.modules.get("scenario")
    sys.modules["scenario"] = recorder
    try:
        yield recorder
    finally:
        if previous is None:
            sys.modules.pop("scenario", None)
        else:
            sys.modules["scenario"] = previous


@dataclass
class Scenario:
    kernel: Kernel
    recorder: types.ModuleType
    output: bytearray
    diagnostics: list[str] = field(default_factory=list)
    report: HaltReport | None = None

    @property
    def points(self) -> list[tuple[Any, ...]]:
        return self.recorder.points

    @property
    def text(self) -> str:
        return self.output.decode()

    def run(self, max_cycles: int | None = None) -> HaltReport:
        with recorder_installed(self.recorder):
            self.report = self.kernel.run(max_cycles=max_cycles)
        return self.report

    def task(self, name: str) -> Any:
        return self.kernel.objects.get("task", name)


def build_scenario(directory: Path, sources: dict[str, str], toml: str, *, trace: bool = False,
                   plugins: tuple[tuple[str, object], ...] = (), recorder: types.ModuleType | None = None,
                   hal_extra: dict[str, Any] | None = None) -> Scenario:
    """Write ``sources`` and ``system.toml`` into ``directory``, then read and build the system."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, source in sources.items():
        (directory / name).write_text(textwrap.dedent(source), encoding="utf-8")
    system_file = directory / "system.toml"
    system_file.write_text(toml, encoding="utf-8")
    recorder = recorder or new_recorder()
    output = bytearray()
    diagnostics: list[str] = []
    plugin_sets = plugin_set(*plugins)
    registry = build_registry(plugin_sets)
    with recorder_installed(recorder):
        spec = read_system_file(system_file)
        system = build_system(spec, plugin_sets, registry, console_out=output.extend, trace=trace,
                              diagnostics=diagnostics.append, hal_extra=hal_extra)
    recorder.kernel = system.kernel
    return Scenario(system.kernel, recorder, output, diagnostics)
