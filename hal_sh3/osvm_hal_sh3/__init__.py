"""osvm's SH-3 board (SH7708 family, the CAT-68701 of the paper).

The CPU core (`cpu`), the bus it talks to (`bus`) and the board around it
(`board`: memory map, TMU, INTC, SCI). Names load on first use, so that
loading the plugin (``osvm_hal_sh3.plugin``) stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {
    "Bus": "bus", "BusError": "bus", "RamBus": "bus", "RamWindow": "bus",
    "SH3CPU": "cpu", "CpuConfig": "cpu", "StopKind": "cpu", "StopReason": "cpu",
    "Sh3Board": "board", "Sh3Bus": "board", "Sh3Options": "board",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'osvm_hal_sh3' has no attribute {name!r}")
    return getattr(import_module(f".{module}", __name__), name)
