"""Which SH-3 CPU native tasks run on: the board's, or a software one over the board's RAM.

On the sh3 board the CPU is the board's (``board.cpu``), on the board's bus.
A board without a CPU (virt) gets one SH3CPU per board, shared by every
native VM of the system, on a bus that maps the board's RAM one to one at
its own addresses and has no devices: the CPU is then a software CPU, the
interrupt lines stay the board's, and the OS layer is the same.
"""

from __future__ import annotations

import weakref
from typing import Any

from osvm_core.errors import NotSupported
from osvm_hal_sh3.board.memory_map import Sh3Bus
from osvm_hal_sh3.cpu import SH3CPU, CpuConfig

_SOFTWARE: weakref.WeakKeyDictionary[Any, SH3CPU] = weakref.WeakKeyDictionary()


def cpu_for(board: Any) -> tuple[SH3CPU, Sh3Bus]:
    """The CPU and bus for native tasks on ``board`` (created on first use for a board without one)."""
    cpu = getattr(board, "cpu", None)
    if cpu is None:
        cpu = _SOFTWARE.get(board)
        if cpu is None:
            bus = Sh3Bus(board.ram, board.ram_base, None, mirrors=False)
            cpu = SH3CPU(bus, CpuConfig(trapa="host", faults="host"))
            bus.cpu = cpu
            _SOFTWARE[board] = cpu
    if not isinstance(cpu, SH3CPU):
        raise NotSupported(f"board '{getattr(board, 'name', board)}' has a {type(cpu).__name__}, "
                           f"not an SH-3 CPU, so native SH-3 programs cannot run on it")
    if cpu.config.trapa != "host" or cpu.config.faults != "host":
        raise NotSupported("the native VM needs the SH-3 CPU to stop at TRAPA and faults "
                           "(CpuConfig(trapa='host', faults='host'))")
    bus = cpu.bus
    if not isinstance(bus, Sh3Bus) or bus.window is None:
        raise NotSupported("the native VM needs the CPU on an Sh3Bus with a RAM window")
    return cpu, bus
