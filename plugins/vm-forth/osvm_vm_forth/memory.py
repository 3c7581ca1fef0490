"""The memory a Forth VM works in: one region of RAM seen as bytes and as 32-bit cells.

Forth addresses are byte offsets into the region. In an osvm system the region is
the VM's heap in board RAM (``Kernel.vm_heaps``), and blocks (the dictionary, each
context's stacks and buffers, ALLOCATE) come from the kernel's allocator for that
heap, so they count against the VM's memory limit. In standalone mode the region
is a plain bytearray managed by a first-fit variable pool of the core.

Cells are read through ``memoryview.cast('I')`` (native order, so a little-endian
host is required: cells are little endian in RAM). An address outside the region
raises IndexError in the view, which the machine turns into THROW -9; addresses
are unsigned, so there is no wrap-around to the end of the region.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from osvm_core.errors import NoMemory

if sys.byteorder != "little":  # pragma: no cover - every supported host is little endian
    raise ImportError("osvm-vm-forth needs a little-endian host (cells are little endian in RAM)")


class ForthMemory:
    """Byte and cell views of a region, plus allocation of blocks inside it."""

    def __init__(self, view: memoryview, *, physical_base: int, allocate: Callable[[int], int],
                 release: Callable[[int], None], size_of: Callable[[int], int]) -> None:
        if len(view) % 4:
            view = view[: len(view) & ~3]
        self.bytes = view.cast("B") if view.format != "B" else view
        self.cells = self.bytes.cast("I")
        self.size = len(self.bytes)
        self.physical_base = physical_base
        self._allocate = allocate
        self._release = release
        self._size_of = size_of

    def allocate(self, size: int) -> int:
        """A block of at least ``size`` bytes (8-aligned); NoMemory when it does not fit."""
        return self._allocate(max(size, 1)) - self.physical_base

    def try_allocate(self, size: int) -> int | None:
        try:
            return self.allocate(size)
        except NoMemory:
            return None

    def release(self, address: int) -> None:
        self._release(address + self.physical_base)

    def size_of(self, address: int) -> int:
        """The size of the allocated block at ``address`` (E_PAR for a bad pointer)."""
        return self._size_of(address + self.physical_base)

    def check(self, address: int, size: int) -> None:
        """IndexError unless ``[address, address + size)`` is inside the region."""
        if address < 0 or size < 0 or address + size > self.size:
            raise IndexError(address)

    def read(self, address: int, size: int) -> bytes:
        self.check(address, size)
        return bytes(self.bytes[address:address + size])

    def write(self, address: int, data: bytes) -> None:
        self.check(address, len(data))
        self.bytes[address:address + len(data)] = data


def standalone_memory(size: int = 1 << 20) -> ForthMemory:
    """A region over a plain bytearray, with blocks placed by the core's first-fit pool."""
    from osvm_core.memory.first_fit import FirstFit
    from osvm_core.memory.variable_pool import VariablePool

    size = (size + 7) & ~7
    ram = memoryview(bytearray(size))
    pool = VariablePool(ram, 0, 0, size, FirstFit(0, size))

    def allocate(n: int) -> int:
        address = pool.try_get(n)
        if address is None:
            raise NoMemory(f"standalone Forth memory is full: {n} bytes asked")
        return address

    memory = ForthMemory(ram, physical_base=0, allocate=allocate, release=pool.release,
                         size_of=pool.size_of)
    memory.pool = pool  # type: ignore[attr-defined]
    return memory


def heap_memory(kernel, vm_name: str) -> ForthMemory:
    """The VM's heap in board RAM; blocks from the kernel's allocator for that heap."""
    heap = kernel.vm_heaps.get(vm_name)
    if heap is None:
        raise NoMemory(f"forth VM '{vm_name}' has no memory (its memory limit is 0)")
    view = kernel.ram_view(heap.base, heap.size)
    return ForthMemory(view, physical_base=heap.base,
                       allocate=lambda n: kernel.vm_allocate(vm_name, n),
                       release=lambda a: kernel.vm_release(vm_name, a),
                       size_of=heap.size_of)
