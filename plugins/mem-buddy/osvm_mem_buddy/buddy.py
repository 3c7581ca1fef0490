"""Binary buddy placement (Knowlton 1965; Knuth, TAOCP vol. 1, 2.5).

Every block has a power-of-two size ``2**k`` (its *order* ``k``, at least
``2**3`` = 8 bytes) and an offset that is a multiple of its size. A block of
order ``k`` at offset ``o`` has exactly one *buddy*: the block at ``o ^ 2**k``;
together they make the block of order ``k + 1`` at ``o & ~2**k``.

* ``allocate`` rounds the request up to a power of two, takes a free block of
  the smallest order that has one (a bitmap of non-empty orders and one
  find-first-set), and splits it in halves until it has the right order; each
  upper half becomes a free block.
* ``release`` merges the block with its buddy as long as the buddy is free and
  whole, climbing one order per merge, then files the result.

**The region.** The main region is the largest power of two that fits in the
8-byte-aligned part of ``[base, base + size)``. It is placed at the most
aligned address the range allows, so that a block of order ``k`` inside it is
aligned to ``2**k`` in absolute terms when the range permits it.
**The remainder** (the bytes of the range before and after the main region,
always less than the region itself) is not thrown away: it is cut into the
fewest aligned power-of-two blocks that cover it exactly (at most about two per
power of two), and each of those is a smaller buddy tree of its own whose root
has no buddy. Blocks never merge across the edge of a tree (the merged block
would not lie inside the range), so all the remainder can be handed out, but a
single block is never larger than the main region. ``capacity`` is all of the
range; ``largest_block`` is the main region.

Offsets are counted from the main region's start; the remainder before it has
negative offsets, and the buddy arithmetic (``^``, ``&``) works on them as on
two's-complement integers, which Python's integers are.

Steps: allocate counts 1 for the bitmap search, 1 to take the block, and 2 per
split (split, file the upper half); release counts 1 to find the block, 2 per
merge (take the buddy out, merge) and 1 to file the result. Both are
O(log2(region / 8)): at most ``2 + 2 * (order of the region - 3)``.

Internal waste is the rounding of each live block up to its power of two
(plus, for an alignment bigger than the region's start allows, the padding in
front of the aligned address). A request of 2**k + 1 bytes wastes almost half
its block; that is the price of O(log n) operations with no search.

The figure ``footprint`` (the end of the highest live block) is bookkeeping,
not part of the algorithm: it can only grow on allocate, so the maxima stay
exact; when the highest block is released the allocator only notes that the
figure is now an upper bound, and finds the new highest block (a walk down the
run of free blocks at the top of the range) when ``stats()`` or a later
allocation below that bound needs it. That walk is not counted in ``steps``.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from osvm_core.errors import ParameterError
from osvm_core.memory.allocator import Allocator, AllocatorStats
from osvm_core.memory.first_fit import check_request

GRANULE = 8
MIN_ORDER = 3           # the smallest block: 2**3 = 8 bytes
_UNBOUNDED = 1 << 62    # the alignment of offset 0 / address 0: anything


def _round_up(value: int, multiple: int) -> int:
    return -(-value // multiple) * multiple


def _lowest_bit(word: int) -> int:
    """Index of the lowest set bit of a non-zero integer (find first set)."""
    return (word & -word).bit_length() - 1


def _alignment(value: int) -> int:
    """The largest power of two dividing ``value`` (unbounded for 0)."""
    return value & -value if value else _UNBOUNDED


def split_into_trees(start: int, end: int) -> list[tuple[int, int]]:
    """``(offset, order)`` of the fewest aligned power-of-two blocks covering ``[start, end)``.

    Offsets may be negative; ``start`` and ``end`` must be multiples of 8.
    Each block is as large as its alignment and the remaining length allow,
    which makes it maximal: no larger aligned block inside the range contains it.
    """
    trees = []
    while start < end:
        order = min(_alignment(start).bit_length() - 1, (end - start).bit_length() - 1)
        trees.append((start, order))
        start += 1 << order
    return trees


class Buddy(Allocator):
    """Binary buddy system over the largest power-of-two region, remainder as smaller trees."""

    name: ClassVar[str] = "buddy"

    def __init__(self, base: int, size: int, options: dict[str, Any] | None = None) -> None:
        if not isinstance(base, int) or not isinstance(size, int) or base < 0 or size < 0:
            raise ParameterError(f"bad allocator range base={base!r} size={size!r}")
        super().__init__(base, size, options)
        self._lo = _round_up(base, GRANULE)
        self._hi = max(self._lo, (base + size) // GRANULE * GRANULE)
        capacity = self._hi - self._lo
        if capacity:
            top = capacity.bit_length() - 1
            last_start = self._hi - (1 << top)
            origin = self._lo
            # The most aligned start for the main region that still leaves it inside the range.
            for power in range(last_start.bit_length(), MIN_ORDER, -1):
                candidate = _round_up(self._lo, 1 << power)
                if candidate <= last_start:
                    origin = candidate
                    break
        else:
            top, origin = MIN_ORDER - 1, self._lo
        self._top_order = top
        self._origin = origin
        self._origin_align = _alignment(origin)
        self._start = self._lo - origin            # offsets of the range: [_start, _end)
        self._end = self._hi - origin
        self._trees = split_into_trees(self._start, self._end)
        self._free: list[set[int]] = [set() for _ in range(max(top, MIN_ORDER) + 1)]
        self._orders = 0                           # bit k: some free block of order k
        self._live: dict[int, tuple[int, int, int]] = {}   # address -> (offset, order, requested)
        # End of the highest live block (an address). After the highest block is released it is
        # only an upper bound (_top_exact False) until someone needs the exact figure.
        self._top_end = self._lo
        self._top_exact = True
        self._stats = AllocatorStats()
        for offset, order in self._trees:
            self._free[order].add(offset)
            self._orders |= 1 << order

    # -- queries -----------------------------------------------------------------------------

    @property
    def capacity(self) -> int:
        """Bytes this allocator can hand out in all (the main region plus the remainder trees)."""
        return self._hi - self._lo

    @property
    def largest_block(self) -> int:
        """Size of the main region: the largest single block there can be (0 if none)."""
        return 1 << self._top_order if self._hi > self._lo else 0

    @property
    def region(self) -> tuple[int, int]:
        """``(address, size)`` of the main power-of-two region."""
        return self._origin, self.largest_block

    def trees(self) -> list[tuple[int, int]]:
        """``(address, size)`` of every buddy tree root: the main region and the remainder pieces."""
        return [(self._origin + offset, 1 << order) for offset, order in self._trees]

    @property
    def free_bytes(self) -> int:
        return sum(len(bucket) << order for order, bucket in enumerate(self._free))

    def largest_free(self) -> int:
        return 1 << (self._orders.bit_length() - 1) if self._orders else 0

    def free_blocks(self) -> list[tuple[int, int]]:
        """``(address, size)`` of every free block, in address order (for tests and dumps)."""
        return sorted((self._origin + offset, 1 << order)
                      for order, bucket in enumerate(self._free) for offset in bucket)

    def live_blocks(self) -> list[tuple[int, int]]:
        """``(address, requested size)`` of every live block, in address order."""
        return sorted((address, entry[2]) for address, entry in self._live.items())

    def block_of(self, address: int) -> tuple[int, int]:
        """``(block address, block size)`` behind the live block at ``address``."""
        entry = self._live.get(address)
        if entry is None:
            raise ParameterError(f"{address:#x} is not the start of a live block in {self.name}")
        return self._origin + entry[0], 1 << entry[1]

    def size_of(self, address: int) -> int:
        entry = self._live.get(address)
        if entry is None:
            raise ParameterError(f"{address:#x} is not the start of a live block in {self.name}")
        return entry[2]

    def stats(self) -> AllocatorStats:
        """A snapshot; changing it does not affect the allocator."""
        if not self._top_exact:
            self._top_end = self._highest_live_end()
            self._top_exact = True
        st = self._stats
        st.footprint = self._top_end - self.base if self._live else 0
        return dataclasses.replace(st)

    # -- operations --------------------------------------------------------------------------

    def allocate(self, size: int, align: int = 8) -> int | None:
        check_request(size, align)
        order = max(MIN_ORDER, (size - 1).bit_length())
        padded = False
        if align > GRANULE:
            if align <= self._origin_align:
                # Blocks at least as large as the alignment start aligned.
                order = max(order, align.bit_length() - 1)
            else:
                # The region's start is less aligned than asked: leave room to move up.
                order = max(MIN_ORDER, (size + align - GRANULE - 1).bit_length())
                padded = True
        if order > self._top_order:
            return self._fail(1)
        orders = self._orders & (-1 << order)
        if not orders:
            return self._fail(1)
        have = _lowest_bit(orders)
        bucket = self._free[have]
        offset = bucket.pop()
        if not bucket:
            self._orders &= ~(1 << have)
        steps = 2
        while have > order:
            have -= 1
            self._free[have].add(offset + (1 << have))
            self._orders |= 1 << have
            steps += 2
        block = self._origin + offset
        address = _round_up(block, align) if padded else block
        self._live[address] = (offset, order, size)
        end = block + (1 << order)
        if end >= self._top_end or len(self._live) == 1:
            # Above even a stale bound: this block is now the highest one, exactly.
            self._top_end = end
            self._top_exact = True
        elif not self._top_exact:
            self._top_end = self._highest_live_end()
            self._top_exact = True
        st = self._stats
        st.allocations += 1
        st.live_bytes += size
        st.internal_waste += (1 << order) - size
        self._account(steps)
        return address

    def release(self, address: int) -> int:
        entry = self._live.pop(address, None)
        if entry is None:
            raise ParameterError(
                f"release of {address:#x}: not the start of a live block in {self.name} "
                "(double free or bad pointer)"
            )
        offset, order, requested = entry
        st = self._stats
        st.releases += 1
        st.live_bytes -= requested
        st.internal_waste -= (1 << order) - requested
        if self._origin + offset + (1 << order) == self._top_end:
            self._top_exact = False                # the highest block goes: find the next lazily
        steps = 1
        free = self._free
        while True:
            half = 1 << order
            parent = offset & ~half
            if parent < self._start or parent + 2 * half > self._end:
                break                              # the root of a tree: it has no buddy
            bucket = free[order]
            buddy = offset ^ half
            if buddy not in bucket:
                break
            bucket.remove(buddy)
            if not bucket:
                self._orders &= ~half
            offset = parent
            order += 1
            steps += 2
        free[order].add(offset)
        self._orders |= 1 << order
        steps += 1
        if not self._live:
            self._top_end, self._top_exact = self._lo, True
        self._stats.count_steps(steps)
        return requested

    # -- bookkeeping -------------------------------------------------------------------------

    def _highest_live_end(self) -> int:
        """Walk down the run of free blocks that ends at the top of the range (bookkeeping only)."""
        end = self._end
        free = self._free
        while end > self._start:
            for order in range(min(_alignment(end).bit_length() - 1, self._top_order), MIN_ORDER - 1, -1):
                if end - (1 << order) in free[order]:
                    end -= 1 << order
                    break
            else:
                break
        return self._origin + end

    def _fail(self, steps: int) -> None:
        self._stats.count_failure(steps)

    def _account(self, steps: int) -> None:
        """Update steps, the footprint and the maxima after an allocation (the footprint only
        grows on allocate; a release leaves it to ``stats`` to bring it down)."""
        self._stats.settle(steps, self._top_end - self.base)
