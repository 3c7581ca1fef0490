"""The CPU's window on memory: a small bus protocol and a RAM-only bus for tests.

The CPU hands the bus raw 32-bit effective addresses and zero-extended values;
what an address means (P0-P4 regions, mirrors, on-chip registers, devices) is
the bus's business, so a board maps RAM and devices by implementing `Bus`.
Alignment is checked by the CPU before it calls the bus; a bus reports an
address it cannot serve by raising `BusError`, which the CPU turns into an
address-error exception (or a fault stop, depending on its configuration).
"""

from __future__ import annotations

import sys
from typing import NamedTuple, Protocol, runtime_checkable


class BusError(Exception):
    """Nothing answers at ``address`` (``write`` tells the direction, ``size`` the width)."""

    def __init__(self, address: int, size: int, write: bool) -> None:
        self.address = address
        self.size = size
        self.write = write
        kind = "write" if write else "read"
        super().__init__(f"bus error: {size}-byte {kind} at {address:#010x}")


class RamWindow(NamedTuple):
    """Plain RAM the CPU may access directly (typed little-endian views, no side effects).

    A bus may expose one as its ``window`` attribute; translated code then
    reads and writes aligned data inside ``[base, base + size)`` through the
    views and calls the bus only for everything else (devices, other maps).
    """

    base: int
    size: int
    m8: memoryview
    m16: memoryview
    m32: memoryview


@runtime_checkable
class Bus(Protocol):
    """What the CPU needs from a board's memory map.

    Reads return the zero-extended value; writes receive a value already
    truncated to the width. ``fetch16`` is the instruction fetch (a board can
    serve it from a different map than data, as the vector tests do).
    Code written through the bus by anyone but the CPU must be announced with
    ``SH3CPU.invalidate`` so that cached translations are dropped. A bus may
    also offer a ``window`` attribute (a `RamWindow`, or None) for fast RAM.
    """

    def read8(self, address: int) -> int: ...
    def read16(self, address: int) -> int: ...
    def read32(self, address: int) -> int: ...
    def write8(self, address: int, value: int) -> None: ...
    def write16(self, address: int, value: int) -> None: ...
    def write32(self, address: int, value: int) -> None: ...
    def fetch16(self, address: int) -> int: ...


class RamBus:
    """One little-endian bytearray mapped at ``base``; any other address is a `BusError`.

    Aligned accesses go through typed memoryviews (one indexing per access);
    misaligned ones, which only reach the bus when the CPU's alignment checks
    are off, are assembled byte-wise.
    """

    def __init__(self, base: int = 0, size: int = 0x10000, data: bytearray | None = None) -> None:
        self.base = base & 0xFFFFFFFF
        self.ram = data if data is not None else bytearray(size)
        self.size = len(self.ram)
        if self.size % 4:
            raise ValueError("RamBus size must be a multiple of 4")
        view = memoryview(self.ram)
        self._m8 = view
        self.window: RamWindow | None = None
        if sys.byteorder == "little":
            self._m16 = view.cast("H")
            self._m32 = view.cast("I")
            self.window = RamWindow(self.base, self.size, view, self._m16, self._m32)
        else:  # pragma: no cover - big-endian hosts take the slow path
            self._m16 = self._m32 = None

    def load(self, address: int, data: bytes) -> None:
        """Copy ``data`` into RAM at ``address`` (host side: a loader, not the CPU)."""
        offset = (address - self.base) & 0xFFFFFFFF
        if offset + len(data) > self.size:
            raise BusError(address, len(data), True)
        self.ram[offset:offset + len(data)] = data

    def _offset(self, address: int, size: int, write: bool) -> int:
        offset = (address - self.base) & 0xFFFFFFFF
        if offset + size > self.size:
            raise BusError(address, size, write)
        return offset

    def read8(self, address: int) -> int:
        return self._m8[self._offset(address, 1, False)]

    def read16(self, address: int) -> int:
        offset = self._offset(address, 2, False)
        if offset & 1 or self._m16 is None:
            return int.from_bytes(self.ram[offset:offset + 2], "little")
        return self._m16[offset >> 1]

    def read32(self, address: int) -> int:
        offset = self._offset(address, 4, False)
        if offset & 3 or self._m32 is None:
            return int.from_bytes(self.ram[offset:offset + 4], "little")
        return self._m32[offset >> 2]

    def write8(self, address: int, value: int) -> None:
        self._m8[self._offset(address, 1, True)] = value

    def write16(self, address: int, value: int) -> None:
        offset = self._offset(address, 2, True)
        if offset & 1 or self._m16 is None:
            self.ram[offset:offset + 2] = value.to_bytes(2, "little")
        else:
            self._m16[offset >> 1] = value

    def write32(self, address: int, value: int) -> None:
        offset = self._offset(address, 4, True)
        if offset & 3 or self._m32 is None:
            self.ram[offset:offset + 4] = value.to_bytes(4, "little")
        else:
            self._m32[offset >> 2] = value

    fetch16 = read16
