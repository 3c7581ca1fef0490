"""Best-fit placement with splitting and immediate coalescing.

A request takes the *smallest* free block that can hold it (the lowest address
among blocks of that size), so large free blocks are kept whole for large
requests for as long as possible.

Free blocks are indexed twice:

* by size, in one sorted list of integer keys ``size << shift | offset`` (the
  offset from the start of the range breaks ties by address), searched with
  ``bisect``: the first key at or above ``need << shift`` *is* the best fit, in
  O(log n) comparisons instead of a scan;
* by address, in two dictionaries (start -> size, end -> start), so ``release``
  finds both physical neighbours in O(1) and merges with the free ones at once.
  Two free blocks are never adjacent.

Steps (``AllocatorStats.steps``) are honest comparisons and block operations:
the probes of each binary search (``len(index).bit_length()``), the candidate
blocks looked at, splits and merges. Inserting into or deleting from the sorted
list also moves the tail of the list in memory (a C ``memmove``); that is not
counted as steps, and it is why very large numbers of free blocks slow the
allocator down a little (see the package README).

An alignment above 8 scans upwards from the best-fitting size until a block has
room for the request after its aligned start; a block of ``need + align - 8``
bytes always has, so the scan stops there at the latest. The leading padding
stays free. Every block is a multiple of 8 bytes on an 8-byte boundary, so the
only internal waste is the rounding of each request to 8 bytes.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left, insort
from typing import Any, ClassVar

from osvm_core.errors import ParameterError
from osvm_core.memory.allocator import Allocator, AllocatorStats
from osvm_core.memory.first_fit import check_request

GRANULE = 8


def _round_up(value: int, multiple: int) -> int:
    return -(-value // multiple) * multiple


class BestFit(Allocator):
    """Best fit over a size-ordered index, with address-ordered coalescing."""

    name: ClassVar[str] = "best-fit"

    def __init__(self, base: int, size: int, options: dict[str, Any] | None = None) -> None:
        if not isinstance(base, int) or not isinstance(size, int) or base < 0 or size < 0:
            raise ParameterError(f"bad allocator range base={base!r} size={size!r}")
        super().__init__(base, size, options)
        self._lo = _round_up(base, GRANULE)
        self._hi = max(self._lo, (base + size) // GRANULE * GRANULE)
        capacity = self._hi - self._lo
        self._shift = capacity.bit_length()      # offsets are < 2**shift
        self._mask = (1 << self._shift) - 1
        self._keys: list[int] = []               # size << shift | offset, ascending
        self._by_start: dict[int, int] = {}      # free block start -> size
        self._by_end: dict[int, int] = {}        # free block end -> start
        self._live: dict[int, tuple[int, int]] = {}   # address -> (block size, requested)
        self._stats = AllocatorStats()
        if capacity:
            self._add_free(self._lo, capacity)

    # -- the two indexes ---------------------------------------------------------------------

    def _add_free(self, start: int, size: int) -> int:
        """File a free block in both indexes; return the comparisons of the sorted insert."""
        self._by_start[start] = size
        self._by_end[start + size] = start
        probes = len(self._keys).bit_length()
        insort(self._keys, size << self._shift | (start - self._lo))
        return probes

    def _drop_free(self, start: int, size: int) -> int:
        """Remove a free block from both indexes; return the comparisons of the search."""
        del self._by_start[start]
        del self._by_end[start + size]
        keys = self._keys
        probes = len(keys).bit_length()
        del keys[bisect_left(keys, size << self._shift | (start - self._lo))]
        return probes

    # -- queries -----------------------------------------------------------------------------

    @property
    def capacity(self) -> int:
        """Bytes this allocator can ever hand out (the granule-aligned part of the range)."""
        return self._hi - self._lo

    @property
    def free_bytes(self) -> int:
        return sum(self._by_start.values())

    def largest_free(self) -> int:
        """Size of the largest free block (0 when full)."""
        return self._keys[-1] >> self._shift if self._keys else 0

    def free_blocks(self) -> list[tuple[int, int]]:
        """``(address, size)`` of every free block, in address order (for tests and dumps)."""
        return sorted(self._by_start.items())

    def live_blocks(self) -> list[tuple[int, int]]:
        """``(address, requested size)`` of every live block, in address order."""
        return sorted((address, requested) for address, (_, requested) in self._live.items())

    def size_of(self, address: int) -> int:
        entry = self._live.get(address)
        if entry is None:
            raise ParameterError(f"{address:#x} is not the start of a live block in {self.name}")
        return entry[1]

    def stats(self) -> AllocatorStats:
        """A snapshot; changing it does not affect the allocator."""
        return dataclasses.replace(self._stats)

    # -- operations --------------------------------------------------------------------------

    def allocate(self, size: int, align: int = 8) -> int | None:
        check_request(size, align)
        need = _round_up(size, GRANULE)
        keys = self._keys
        shift = self._shift
        index = bisect_left(keys, need << shift)
        steps = len(keys).bit_length()
        count = len(keys)
        while True:
            if index == count:
                return self._fail(steps)
            key = keys[index]
            steps += 1
            start = (key & self._mask) + self._lo
            block = key >> shift
            address = _round_up(start, align) if align > GRANULE else start
            if address + need <= start + block:
                break
            index += 1
        # Unlink the chosen block (its index is known: no second search).
        del keys[index]
        del self._by_start[start]
        del self._by_end[start + block]
        if address > start:
            steps += 1 + self._add_free(start, address - start)
        rest = start + block - address - need
        if rest:
            steps += 1 + self._add_free(address + need, rest)
        self._live[address] = (need, size)
        st = self._stats
        st.allocations += 1
        st.live_bytes += size
        st.internal_waste += need - size
        self._account(steps)
        return address

    def release(self, address: int) -> int:
        entry = self._live.pop(address, None)
        if entry is None:
            raise ParameterError(
                f"release of {address:#x}: not the start of a live block in {self.name} "
                "(double free or bad pointer)"
            )
        need, requested = entry
        st = self._stats
        st.releases += 1
        st.live_bytes -= requested
        st.internal_waste -= need - requested
        start, end = address, address + need
        steps = 2                                  # the two neighbour look-ups
        left = self._by_end.get(start)
        if left is not None:
            steps += 1 + self._drop_free(left, start - left)
            start = left
        right = self._by_start.get(end)
        if right is not None:
            steps += 1 + self._drop_free(end, right)
            end += right
        steps += self._add_free(start, end - start)
        self._account(steps)
        return requested

    # -- bookkeeping -------------------------------------------------------------------------

    def _fail(self, steps: int) -> None:
        self._stats.count_failure(steps)

    def _account(self, steps: int) -> None:
        """Update steps, the footprint and the maxima after a successful operation."""
        if not self._live:
            footprint = 0
        else:
            top = self._by_end.get(self._hi)
            # With the top of the range free, the highest live block ends where that block starts.
            footprint = (self._hi if top is None else top) - self.base
        self._stats.settle(steps, footprint)
