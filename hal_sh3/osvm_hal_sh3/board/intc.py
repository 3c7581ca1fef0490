"""The SH7708 interrupt controller (INTC): priorities in IPRA/IPRB, INTEVT codes, the request to the CPU.

Each on-chip source has a 4-bit priority level in an IPR field (0 masks it)
and an INTEVT code. After any change the INTC presents the most urgent
requesting source to the CPU with ``set_interrupt(level, intevt)``: the
highest level, and among equal levels the fixed order of the manual's table
(TMU0, TMU1, TMU2, RTC, SCI, WDT, REF), which is the order sources are added in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .memory_map import Registers

if TYPE_CHECKING:
    from ..cpu import SH3CPU

ICR0 = 0xFFFFFEE0
IPRA = 0xFFFFFEE2
IPRB = 0xFFFFFEE4

# INTEVT codes of the SH7708 on-chip sources
TUNI0, TUNI1, TUNI2, TICPI2 = 0x400, 0x420, 0x440, 0x460
ERI, RXI, TXI, TEI = 0x4E0, 0x500, 0x520, 0x540


@dataclass
class Source:
    """One interrupt source: its INTEVT code, its IPR field, and whether it requests now."""

    name: str
    intevt: int
    register: str          # "ipra" or "iprb"
    shift: int             # bit position of its 4-bit level
    requesting: Callable[[], bool]


class Intc:
    def __init__(self, registers: Registers) -> None:
        self.icr0 = 0
        self.ipra = 0
        self.iprb = 0
        self.sources: list[Source] = []
        self.cpu: SH3CPU | None = None
        self.presented: Source | None = None
        registers.add(ICR0, 2, lambda: self.icr0, self._write_icr0)
        registers.add(IPRA, 2, lambda: self.ipra, lambda v: self._write_ipr("ipra", v))
        registers.add(IPRB, 2, lambda: self.iprb, lambda v: self._write_ipr("iprb", v))

    def add_source(self, name: str, intevt: int, register: str, shift: int,
                   requesting: Callable[[], bool]) -> Source:
        source = Source(name, intevt, register, shift, requesting)
        self.sources.append(source)
        return source

    def level(self, source: Source) -> int:
        return (getattr(self, source.register) >> source.shift) & 15

    def set_level(self, source: Source, level: int) -> None:
        if not 0 <= level <= 15:
            raise ValueError(f"an interrupt level is 0-15, got {level}")
        value = getattr(self, source.register) & ~(15 << source.shift) | level << source.shift
        setattr(self, source.register, value)
        self.update()

    def _write_icr0(self, value: int) -> None:
        self.icr0 = value & 0x0100     # NMIE is the only writable bit; NMI is not wired on this board

    def _write_ipr(self, register: str, value: int) -> None:
        setattr(self, register, value & 0xFFFF)
        self.update()

    def most_urgent(self) -> tuple[int, Source] | None:
        best: tuple[int, Source] | None = None
        for source in self.sources:
            level = self.level(source)
            if level and (best is None or level > best[0]) and source.requesting():
                best = (level, source)
        return best

    def update(self) -> None:
        """Present the most urgent request to the CPU (or withdraw it)."""
        best = self.most_urgent()
        self.presented = best[1] if best else None
        cpu = self.cpu
        if cpu is None:
            return
        if best is None:
            if cpu.irq_level:
                cpu.clear_interrupt()
        elif cpu.irq_level != best[0] or cpu.irq_code != best[1].intevt:
            cpu.set_interrupt(best[0], best[1].intevt)
