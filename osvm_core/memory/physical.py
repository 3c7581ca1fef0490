"""Board RAM carved into named regions for the OS.

The HAL hands over one ``bytearray``; the OS reserves pieces of it for pools,
task stacks, Wasm linear memories and so on. Each piece is reached through a
``memoryview`` slice, so nothing is copied per access. Placement uses
first-fit over the whole RAM; the owner string is kept so that an E_NOMEM
message and a memory map can say who holds what.
"""

from __future__ import annotations

from dataclasses import dataclass

from osvm_core.errors import NoMemory, ParameterError
from osvm_core.memory.first_fit import FirstFit


@dataclass(frozen=True)
class Region:
    """A reserved piece of RAM: ``size`` bytes from physical address ``base``."""

    base: int
    size: int
    owner: str

    @property
    def end(self) -> int:
        return self.base + self.size


class PhysicalMemory:
    """Reserve and free regions of ``ram``, whose first byte is at ``ram_base``."""

    def __init__(self, ram: bytearray, ram_base: int) -> None:
        self.ram = ram
        self.ram_base = ram_base
        self._view = memoryview(ram)
        self._placer = FirstFit(ram_base, len(ram))
        self._regions: dict[int, Region] = {}

    @property
    def ram_view(self) -> memoryview:
        """All of RAM as one view (what a VariablePool takes as ``ram``)."""
        return self._view

    @property
    def ram_end(self) -> int:
        return self.ram_base + len(self.ram)

    @property
    def free_bytes(self) -> int:
        """Bytes not reserved (granule rounding of reservations counts as reserved)."""
        return self._placer.free_bytes

    def largest_free(self) -> int:
        return self._placer.largest_free()

    def reserve(self, size: int, owner: str, align: int = 8) -> Region:
        """A new region of ``size`` bytes aligned to ``align``; NoMemory if none fits."""
        address = self._placer.allocate(size, align)
        if address is None:
            raise NoMemory(
                f"{owner!r} asked for {size} bytes (align {align}); largest free region is "
                f"{self._placer.largest_free()} bytes of {self._placer.free_bytes} free"
            )
        region = Region(address, size, owner)
        self._regions[address] = region
        return region

    def free(self, region: Region) -> None:
        """Give a region back; ParameterError if it is not a live region (e.g. freed twice)."""
        if self._regions.get(region.base) != region:
            raise ParameterError(
                f"free of region {region.base:#x}+{region.size} ({region.owner!r}): not reserved"
            )
        del self._regions[region.base]
        self._placer.release(region.base)

    def regions(self) -> list[Region]:
        """Live regions sorted by base address."""
        return [self._regions[base] for base in sorted(self._regions)]

    def view(self, address: int, size: int) -> memoryview:
        """Writable view of ``size`` bytes at physical ``address``; must lie inside RAM."""
        if size < 0 or address < self.ram_base or address + size > self.ram_end:
            raise ParameterError(
                f"access {address:#x}-{address + size:#x} outside RAM {self.ram_base:#x}-{self.ram_end:#x}"
            )
        offset = address - self.ram_base
        return self._view[offset : offset + size]
