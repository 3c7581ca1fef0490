"""Variable-size memory pool (μITRON ``mpl``) over a region of board RAM.

The placement policy is a pluggable :class:`Allocator`; this class adds the
paper's "one management area per block": an 8-byte header written in RAM just
before the user area::

    offset 0  u32 LE  size of the user area in bytes
    offset 4  u32 LE  MAGIC xor (low 32 bits of the header's address)

The header lets ``release`` check a pointer before trusting it: a bad pointer
or a header a guest scribbled over fails the magic test and raises E_PAR
instead of corrupting the allocator. Release clears the magic, so a second
release of the same block is caught the same way. Mixing in the address
makes a header copied elsewhere (e.g. by ``memmove`` of user data) invalid.
"""

from __future__ import annotations

import struct

from osvm_core.errors import ParameterError
from osvm_core.memory.allocator import Allocator, AllocatorStats

HEADER_SIZE = 8
HEADER_ALIGN = 8
MAGIC = 0x4F53564D  # "OSVM"
_HEADER = struct.Struct("<II")
_U32 = 0xFFFFFFFF


def header_magic(header_address: int) -> int:
    """The magic word a valid header at ``header_address`` carries."""
    return MAGIC ^ (header_address & _U32)


class VariablePool:
    """Blocks of any size from ``[base, base + size)``, placed by ``allocator``.

    ``ram`` is all of board RAM and its first byte is at physical address
    ``ram_base``. The allocator must manage a range inside the pool; its
    statistics count header bytes as live bytes (they are memory in use).
    """

    def __init__(self, ram: memoryview, ram_base: int, base: int, size: int, allocator: Allocator) -> None:
        ram_end = ram_base + len(ram)
        if size <= 0 or base < ram_base or base + size > ram_end:
            raise ParameterError(
                f"pool {base:#x}-{base + size:#x} is not inside RAM {ram_base:#x}-{ram_end:#x}"
            )
        if allocator.base < base or allocator.base + allocator.size > base + size:
            raise ParameterError(
                f"allocator range {allocator.base:#x}-{allocator.base + allocator.size:#x} "
                f"is not inside pool {base:#x}-{base + size:#x}"
            )
        self.ram = ram
        self.ram_base = ram_base
        self.base = base
        self.size = size
        self.allocator = allocator

    def try_get(self, size: int) -> int | None:
        """User address of a new block of ``size`` bytes (8-aligned), or None if it does not fit."""
        if not isinstance(size, int) or size <= 0 or size > _U32:
            raise ParameterError(f"block size must be 1..{_U32:#x}, got {size!r}")
        header = self.allocator.allocate(size + HEADER_SIZE, HEADER_ALIGN)
        if header is None:
            return None
        offset = header - self.ram_base
        _HEADER.pack_into(self.ram, offset, size, header_magic(header))
        return header + HEADER_SIZE

    def release(self, address: int) -> int:
        """Free the block whose user area starts at ``address``; return its size."""
        header, size = self._check(address, "release")
        self.allocator.release(header)
        # Clear the magic so a double free fails the header check.
        _HEADER.pack_into(self.ram, header - self.ram_base, size, 0)
        return size

    def size_of(self, address: int) -> int:
        """Size of the user area of the live block at ``address``."""
        return self._check(address, "size_of")[1]

    def view(self, address: int, size: int | None = None) -> memoryview:
        """Writable view of ``size`` bytes (default: all) of the live block at ``address``."""
        block_size = self._check(address, "view")[1]
        if size is None:
            size = block_size
        if not 0 <= size <= block_size:
            raise ParameterError(
                f"view of {size} bytes at {address:#x} exceeds the block ({block_size} bytes)"
            )
        offset = address - self.ram_base
        return self.ram[offset : offset + size]

    def stats(self) -> AllocatorStats:
        return self.allocator.stats()

    def _check(self, address: int, what: str) -> tuple[int, int]:
        """Validate the header in front of ``address``; return (header address, user size)."""
        header = address - HEADER_SIZE
        if header < self.base or address > self.base + self.size:
            raise ParameterError(
                f"{what} of {address:#x}: outside pool {self.base:#x}-{self.base + self.size:#x}"
            )
        size, magic = _HEADER.unpack_from(self.ram, header - self.ram_base)
        if magic != header_magic(header):
            raise ParameterError(
                f"{what} of {address:#x}: bad block header (magic {magic:#010x}, "
                f"expected {header_magic(header):#010x}; bad pointer, double free or corrupted header)"
            )
        try:
            placed = self.allocator.size_of(header)
        except ParameterError:
            raise ParameterError(
                f"{what} of {address:#x}: header looks valid but no block is live there (forged header?)"
            ) from None
        if placed != size + HEADER_SIZE:
            raise ParameterError(
                f"{what} of {address:#x}: corrupted header (size {size}, allocator has "
                f"{placed - HEADER_SIZE})"
            )
        return header, size
