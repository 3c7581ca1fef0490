"""Linear memory instance, abstracted so its bytes can later live in OS RAM.

The executor reads ``data`` (a bytearray or a writable memoryview of exactly
``pages * PAGE_SIZE`` bytes) directly for speed, and re-reads it after any
call or ``memory.grow``, because growing may *move* the memory: a backing
allocator can hand out a new buffer (e.g. a fresh block of a RAM pool), into
which the old contents are copied.
"""

from __future__ import annotations

from collections.abc import Callable

from ..types import MAX_PAGES, PAGE_SIZE, Limits

#: ``limit(old_pages, new_pages) -> bool``: may refuse a grow (e.g. a VM memory quota).
GrowLimit = Callable[[int, int], bool]
#: ``allocate(size_in_bytes) -> buffer or None``: storage for a memory of that size.
Allocate = Callable[[int], "bytearray | memoryview | None"]
#: ``release(buffer)``: the storage ``allocate`` gave is no longer used (after a moving grow).
Release = Callable[["bytearray | memoryview"], None]


class Memory:
    """A WebAssembly memory: ``min``/``max`` limits in 64 KiB pages, contents in ``data``."""

    __slots__ = ("data", "limits", "limit", "allocate", "release")

    def __init__(self, limits: Limits, *, limit: GrowLimit | None = None, allocate: Allocate | None = None,
                 release: Release | None = None):
        self.limits = limits
        self.limit = limit
        self.allocate = allocate
        self.release = release
        size = limits.min * PAGE_SIZE
        if allocate is not None:
            buf = allocate(size)
            if buf is None:
                from ..errors import LinkError
                raise LinkError(f"no room for a memory of {limits.min} pages")
        else:
            buf = bytearray(size)
        self.data: bytearray | memoryview = buf

    @property
    def pages(self) -> int:
        return len(self.data) // PAGE_SIZE

    def grow(self, delta: int) -> int:
        """Add ``delta`` pages; return the old size in pages, or -1 (nothing changes) if refused."""
        old = self.pages
        new = old + delta
        top = self.limits.max if self.limits.max is not None else MAX_PAGES
        if new > top or new > MAX_PAGES:
            return -1
        if delta == 0:
            return old
        if self.limit is not None and not self.limit(old, new):
            return -1
        if self.allocate is None and isinstance(self.data, bytearray):
            try:
                self.data.extend(bytes(delta * PAGE_SIZE))
            except MemoryError:
                return -1
            return old
        fresh = self.allocate(new * PAGE_SIZE) if self.allocate else bytearray(new * PAGE_SIZE)
        if fresh is None:
            return -1
        stale = self.data
        fresh[:len(stale)] = stale
        self.data = fresh
        if self.release is not None:
            self.release(stale)
        return old

    def read(self, address: int, size: int) -> bytes:
        """Bytes for the host (bounds-checked; raises IndexError past the end)."""
        if address < 0 or address + size > len(self.data):
            raise IndexError("out of bounds memory access")
        return bytes(self.data[address:address + size])

    def write(self, address: int, payload: bytes) -> None:
        if address < 0 or address + len(payload) > len(self.data):
            raise IndexError("out of bounds memory access")
        self.data[address:address + len(payload)] = payload
