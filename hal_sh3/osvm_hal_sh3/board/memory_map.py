"""The SH7708 address map as the CPU sees it, and the bus that decodes it.

Effective addresses (32 bits, no MMU):

====  =========================  ===========================================
P0    0x00000000-0x7FFFFFFF      the 29-bit physical space, mirrored (user mode: U0)
P1    0x80000000-0x9FFFFFFF      physical, cached (privileged only)
P2    0xA0000000-0xBFFFFFFF      physical, uncached (privileged only)
P3    0xC0000000-0xDFFFFFFF      physical with the MMU off (privileged only)
P4    0xE0000000-0xFFFFFFFF      on-chip registers (privileged only)
====  =========================  ===========================================

Physical space: eight areas of 64 MiB. This board fills only area 3 with its
SDRAM (``SDRAM_BASE`` = 0x0C000000, as the SH7708 boards Linux ran on); every
other physical address answers nothing, so the CPU raises an address error.
In user mode (SR.MD = 0) an access to P1-P4 is an address error too, as on
the chip. User-mode accesses to RAM outside the CPU's fast window may be
vetted by a ``guard`` (the native VM uses one to confine a task to its memory).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..bus import BusError, RamWindow

if TYPE_CHECKING:
    from ..cpu import SH3CPU

AREA_SIZE = 0x04000000
SDRAM_BASE = 3 * AREA_SIZE           # area 3
AREA7 = 7 * AREA_SIZE                # area 7 (0x1C000000): reserved / on-chip; no external memory
PHYSICAL_MASK = 0x1FFFFFFF
P1 = 0x80000000
P2 = 0xA0000000
P4 = 0xE0000000
SR_MD = 0x40000000

Reader = Callable[[], int]
Writer = Callable[[int], None]
Guard = Callable[[int, int, bool], bool]


class Registers:
    """The on-chip registers in P4: address -> (width, read, write), registered by each module.

    An access of another width than the register's, or to an address no module
    claims, answers nothing (the CPU raises an address error). Writes to
    read-only registers are ignored, as on the chip.
    """

    def __init__(self) -> None:
        self._table: dict[int, tuple[int, Reader, Writer | None]] = {}

    def add(self, address: int, size: int, read: Reader, write: Writer | None = None) -> None:
        if address in self._table:
            raise ValueError(f"two on-chip registers at {address:#010x}")
        self._table[address] = (size, read, write)

    def plain(self, address: int, size: int, reset: int = 0) -> None:
        """A register that only holds what was last written (modules not modelled in depth)."""
        cell = [reset]

        def read() -> int:
            return cell[0]

        def write(value: int) -> None:
            cell[0] = value

        self.add(address, size, read, write)

    def read(self, address: int, size: int) -> int:
        entry = self._table.get(address)
        if entry is None or entry[0] != size:
            raise BusError(address, size, False)
        return entry[1]()

    def write(self, address: int, size: int, value: int) -> None:
        entry = self._table.get(address)
        if entry is None or entry[0] != size:
            raise BusError(address, size, True)
        if entry[2] is not None:
            entry[2](value)

    def addresses(self) -> list[int]:
        return sorted(self._table)


class Sh3Bus:
    """RAM at its physical address, the P0-P4 areas and the on-chip registers, for one SH-3 CPU.

    ``mirrors`` False maps effective addresses to RAM one to one (a software CPU
    over a board whose RAM sits anywhere); the user-mode rule for P1-P4 stays.
    ``window`` is all of RAM at its P0 address: translated code reaches it
    without calling the bus.
    """

    def __init__(self, ram: bytearray, ram_base: int, registers: Registers | None = None, *,
                 mirrors: bool = True) -> None:
        if len(ram) % 4:
            raise ValueError("RAM size must be a multiple of 4")
        self.ram = ram
        self.ram_base = ram_base
        self.ram_size = len(ram)
        self.registers = registers
        self.mirrors = mirrors
        self.cpu: SH3CPU | None = None   # whose SR.MD decides the user-mode checks
        self.guard: Guard | None = None
        view = memoryview(ram)
        self._m8 = view
        self.window: RamWindow | None = None
        if sys.byteorder == "little":
            self._m16: memoryview | None = view.cast("H")
            self._m32: memoryview | None = view.cast("I")
            self.window = RamWindow(ram_base, self.ram_size, view, self._m16, self._m32)
        else:  # pragma: no cover - big-endian hosts assemble values byte-wise
            self._m16 = self._m32 = None

    def _user(self) -> bool:
        cpu = self.cpu
        return cpu is not None and not cpu.srx & SR_MD

    def _offset(self, address: int, size: int, write: bool) -> int:
        """RAM offset of an access, or -1 for an on-chip register; BusError where nothing answers."""
        user = self._user()
        if address >= P1:
            if user:
                raise BusError(address, size, write)
            if address >= P4:
                if self.registers is None:
                    raise BusError(address, size, write)
                return -1
        physical = address & PHYSICAL_MASK if self.mirrors else address
        offset = physical - self.ram_base
        if offset < 0 or offset + size > self.ram_size:
            raise BusError(address, size, write)
        if user and self.guard is not None and not self.guard(physical, size, write):
            raise BusError(address, size, write)
        return offset

    def read8(self, address: int) -> int:
        offset = self._offset(address, 1, False)
        if offset < 0:
            return self.registers.read(address, 1)
        return self._m8[offset]

    def read16(self, address: int) -> int:
        offset = self._offset(address, 2, False)
        if offset < 0:
            return self.registers.read(address, 2)
        if offset & 1 or self._m16 is None:
            return int.from_bytes(self.ram[offset:offset + 2], "little")
        return self._m16[offset >> 1]

    def read32(self, address: int) -> int:
        offset = self._offset(address, 4, False)
        if offset < 0:
            return self.registers.read(address, 4)
        if offset & 3 or self._m32 is None:
            return int.from_bytes(self.ram[offset:offset + 4], "little")
        return self._m32[offset >> 2]

    def write8(self, address: int, value: int) -> None:
        offset = self._offset(address, 1, True)
        if offset < 0:
            self.registers.write(address, 1, value)
        else:
            self._m8[offset] = value

    def write16(self, address: int, value: int) -> None:
        offset = self._offset(address, 2, True)
        if offset < 0:
            self.registers.write(address, 2, value)
        elif offset & 1 or self._m16 is None:
            self.ram[offset:offset + 2] = value.to_bytes(2, "little")
        else:
            self._m16[offset >> 1] = value

    def write32(self, address: int, value: int) -> None:
        offset = self._offset(address, 4, True)
        if offset < 0:
            self.registers.write(address, 4, value)
        elif offset & 3 or self._m32 is None:
            self.ram[offset:offset + 4] = value.to_bytes(4, "little")
        else:
            self._m32[offset >> 2] = value

    fetch16 = read16

    def window_for(self, base: int, size: int) -> RamWindow:
        """A fast window over part of RAM (``base`` physical, ``size`` a multiple of 4)."""
        offset = base - self.ram_base
        if offset < 0 or offset + size > self.ram_size or offset % 4 or size % 4:
            raise ValueError(f"window {base:#x}+{size:#x} is not a word-aligned part of RAM")
        view = self._m8[offset:offset + size]
        return RamWindow(base, size, view, view.cast("H"), view.cast("I"))
