"""osvm's SH-3 board (SH7708 family, the CAT-68701 of the paper).

So far only the CPU core and the bus it talks to exist; the board (memory map,
TMU, INTC, SCI) and the ELF loader plug into :class:`~osvm_hal_sh3.bus.Bus`
and :class:`~osvm_hal_sh3.cpu.SH3CPU` later.
"""

from .bus import Bus, BusError, RamBus
from .cpu import SH3CPU, CpuConfig, StopKind, StopReason

__all__ = ["Bus", "BusError", "CpuConfig", "RamBus", "SH3CPU", "StopKind", "StopReason"]
