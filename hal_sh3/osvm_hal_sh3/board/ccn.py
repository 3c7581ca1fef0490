"""The SH7708 system registers in P4 that are not devices: exception registers, MMU, cache, bus, clock.

TRA, EXPEVT, INTEVT and TEA are the CPU's own fields (the CPU sets them on
exception entry). The MMU is not modelled: MMUCR reads back what was
written and AT has no effect. The cache (CCR), the user break controller's
ASID registers, the bus state controller (BCR1 ... RFCR) and the clock pulse
generator (FRQCR, STBCR) hold what boot code writes and change nothing. The
watchdog, RTC and user break controller are not modelled: their addresses
answer nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .memory_map import Registers

if TYPE_CHECKING:
    from ..cpu import SH3CPU

TRA = 0xFFFFFFD0
EXPEVT = 0xFFFFFFD4
INTEVT = 0xFFFFFFD8
MMUCR = 0xFFFFFFE0
BASRA = 0xFFFFFFE4
BASRB = 0xFFFFFFE8
CCR = 0xFFFFFFEC
PTEH = 0xFFFFFFF0
PTEL = 0xFFFFFFF4
TTB = 0xFFFFFFF8
TEA = 0xFFFFFFFC
BSC = range(0xFFFFFF60, 0xFFFFFF76, 2)     # BCR1, BCR2, WCR1, WCR2, MCR, DCR, PCR, RTCSR, RTCNT, RTCOR, RFCR
FRQCR = 0xFFFFFF80
STBCR = 0xFFFFFF82


def install_system_registers(registers: Registers, cpu: SH3CPU) -> None:
    for address, field in ((TRA, "tra"), (EXPEVT, "expevt"), (INTEVT, "intevt"), (TEA, "tea")):
        registers.add(address, 4, lambda f=field: getattr(cpu, f),
                      lambda value, f=field: setattr(cpu, f, value))
    for address in (MMUCR, CCR, PTEH, PTEL, TTB):
        registers.plain(address, 4)
    for address in (BASRA, BASRB, STBCR):
        registers.plain(address, 1)
    for address in BSC:
        registers.plain(address, 2)
    registers.plain(FRQCR, 2, reset=0x0102)   # Iφ = 4 x Pφ (PCLK_RATIO)
