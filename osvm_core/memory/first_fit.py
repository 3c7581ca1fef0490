"""First-fit placement: the default policy for variable-size pools.

Free space is an address-ordered list of blocks. ``allocate`` takes the
lowest block that fits and splits off the rest; ``release`` merges the block
with free neighbours at once, so two free blocks are never adjacent. Keeping
the list in address order (two parallel sorted lists, searched with
``bisect``) makes neighbour lookup on release O(log n); the search itself
stays a linear walk, which is what first-fit is, and ``steps`` reports it.

Every block is a multiple of ``GRANULE`` bytes and starts on a ``GRANULE``
boundary, so the only internal waste is the rounding of the requested size;
alignment padding in front of a block is split off and stays free.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from itertools import compress, count, repeat
from operator import le
from typing import Any, ClassVar

from osvm_core.errors import ParameterError
from osvm_core.memory.allocator import Allocator, AllocatorStats

GRANULE = 8


def _round_up(value: int, multiple: int) -> int:
    return -(-value // multiple) * multiple


def check_request(size: int, align: int) -> None:
    """Reject sizes below 1 and alignments that are not powers of two (E_PAR)."""
    if not isinstance(size, int) or size <= 0:
        raise ParameterError(f"block size must be a positive integer, got {size!r}")
    if not isinstance(align, int) or align < 1 or align & (align - 1):
        raise ParameterError(f"alignment must be a power of two >= 1, got {align!r}")


class FirstFit(Allocator):
    """Address-ordered first-fit with splitting and immediate coalescing.

    The usable range is ``[base, base + size)`` shrunk inwards to ``GRANULE``
    boundaries. Statistics: ``internal_waste`` is the rounding of the blocks
    that are live *now* (it goes down again on release); ``steps`` counts free
    blocks visited + splits + merges (on release, the free neighbours looked
    at + merges).
    """

    name: ClassVar[str] = "first-fit"

    def __init__(self, base: int, size: int, options: dict[str, Any] | None = None) -> None:
        if base < 0 or size < 0:
            raise ParameterError(f"bad allocator range base={base:#x} size={size:#x}")
        super().__init__(base, size, options)
        self._lo = _round_up(base, GRANULE)
        self._hi = max(self._lo, (base + size) // GRANULE * GRANULE)
        # Free blocks: _starts[i] is the address, _sizes[i] the length; sorted by address.
        self._starts: list[int] = [self._lo] if self._hi > self._lo else []
        self._sizes: list[int] = [self._hi - self._lo] if self._hi > self._lo else []
        # Live blocks: address -> (block size after rounding, requested size).
        self._live: dict[int, tuple[int, int]] = {}
        self._stats = AllocatorStats()

    # -- queries ---------------------------------------------------------------------------

    @property
    def capacity(self) -> int:
        """Bytes this allocator can ever hand out (the granule-aligned part of the range)."""
        return self._hi - self._lo

    @property
    def free_bytes(self) -> int:
        return sum(self._sizes)

    def largest_free(self) -> int:
        """Size of the largest free block (0 when full); what the biggest request could get."""
        return max(self._sizes, default=0)

    def free_blocks(self) -> list[tuple[int, int]]:
        """``(address, size)`` of every free block, in address order (for tests and dumps)."""
        return list(zip(self._starts, self._sizes, strict=True))

    def live_blocks(self) -> list[tuple[int, int]]:
        """``(address, requested size)`` of every live block, in address order."""
        return sorted((addr, req) for addr, (_, req) in self._live.items())

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
        starts, sizes = self._starts, self._sizes
        if align <= GRANULE:
            # Every free block start is granule-aligned, so the first big-enough block wins.
            # The scan runs in C (map/compress) because this is the hot loop.
            index = next(compress(count(), map(le, repeat(need), sizes)), -1)
            if index < 0:
                return self._fail(len(sizes))
            visited = index + 1
            start = address = starts[index]
        else:
            for index, free in enumerate(sizes):
                if free < need:
                    continue
                start = starts[index]
                address = _round_up(start, align)
                if address + need <= start + free:
                    break
            else:
                return self._fail(len(sizes))
            visited = index + 1
        splits = 0
        end = start + sizes[index]
        rest = end - (address + need)
        if address > start:
            # Leading padding stays a free block of its own (its left neighbour is live).
            sizes[index] = address - start
            splits += 1
            if rest:
                starts.insert(index + 1, address + need)
                sizes.insert(index + 1, rest)
                splits += 1
        elif rest:
            starts[index] = address + need
            sizes[index] = rest
            splits += 1
        else:
            del starts[index]
            del sizes[index]
        self._live[address] = (need, size)
        st = self._stats
        st.allocations += 1
        st.live_bytes += size
        st.internal_waste += need - size
        self._account(visited + splits)
        return address

    def release(self, address: int) -> int:
        entry = self._live.pop(address, None)
        if entry is None:
            raise ParameterError(
                f"release of {address:#x}: not the start of a live block in {self.name} "
                "(double free or bad pointer)"
            )
        need, size = entry
        starts, sizes = self._starts, self._sizes
        index = bisect_left(starts, address)
        end = address + need
        has_left = index > 0
        has_right = index < len(starts)
        left = has_left and starts[index - 1] + sizes[index - 1] == address
        right = has_right and starts[index] == end
        if left and right:
            sizes[index - 1] += need + sizes[index]
            del starts[index]
            del sizes[index]
        elif left:
            sizes[index - 1] += need
        elif right:
            starts[index] = address
            sizes[index] += need
        else:
            starts.insert(index, address)
            sizes.insert(index, need)
        st = self._stats
        st.releases += 1
        st.live_bytes -= size
        st.internal_waste -= need - size
        self._account(has_left + has_right + left + right)
        return size

    # -- bookkeeping -------------------------------------------------------------------------

    def _fail(self, visited: int) -> None:
        self._stats.count_failure(visited)

    def _account(self, steps: int) -> None:
        """Update steps, the footprint and the maxima after a successful operation."""
        if not self._live:
            footprint = 0
        elif self._starts and self._starts[-1] + self._sizes[-1] == self._hi:
            # The top of the range is free, so the highest live block ends where it starts.
            footprint = self._starts[-1] - self.base
        else:
            footprint = self._hi - self.base
        self._stats.settle(steps, footprint)
