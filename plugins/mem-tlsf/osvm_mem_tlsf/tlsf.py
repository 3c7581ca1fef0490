"""Two-level segregated fit (TLSF), after Masmano, Ripoll, Crespo and Real (ECRTS 2004).

Free blocks are kept in segregated lists, one per size class. A size class is
named by two indexes:

* the **first level** ``fl`` is the power of two below the size
  (``floor(log2(size))``, shifted so that the small sizes share ``fl = 0``);
* the **second level** ``sl`` splits each power-of-two range ``[2**f, 2**(f+1))``
  into ``2**SLI`` equal slices (``SLI = 4`` gives 16 lists per power of two).

Sizes below ``2**(SLI + 3)`` (128 bytes for SLI 4) form the first row
``fl = 0`` with one list per 8-byte granule, so they are segregated exactly.

Two bitmaps say which lists are non-empty: one word with a bit per first-level
row, and one word per row with a bit per second-level list. Finding a free
block is two find-first-set operations on those words (``(x & -x).bit_length()``),
never a walk over blocks:

1. round the request *up* to the start of the next size class, so that every
   block of that class or any higher class is big enough ("good fit");
2. look for a set bit at or above that class in its row's word; if there is
   none, look for a set bit above the row in the first-level word and take the
   lowest list of that row;
3. if both fail, the rounding may have skipped the one class whose blocks can
   still be big enough: look at the *head* of that class's list (one block,
   not a walk). This keeps a block of exactly the requested size usable, e.g.
   the whole heap after everything was released.

The block taken is unlinked, and what it has beyond the request is split off
and filed as a new free block. Every block knows its physical predecessor (the
boundary tag of the paper) and its successor is at ``address + size``, so
``release`` merges with free neighbours at once and two free blocks are never
adjacent.

Steps (``AllocatorStats.steps``/``max_steps``) count the basic operations of the
algorithm, each a constant amount of work:

* allocate: 1 per bitmap search (the row word, then perhaps the first-level
  word), 1 for the head check of step 3, 1 to unlink the block, and 2 per
  split (the split, and filing the piece): at most ``2 + 1 + 1 + 2 * 2 = 8``;
* release: 1 to find the block and look at both neighbours, 2 per merge (unlink
  the neighbour, merge), 1 to file the result: at most ``1 + 2 * 2 + 1 = 6``.

So ``max_steps <= MAX_STEPS`` (8) whatever the heap size or the number of live
blocks. A bitmap word has one bit per row (about 25 for a 1 GiB heap) or per
second-level list (16 for SLI 4), so the integer operations on them are
constant time too.

Blocks are multiples of 8 bytes and start on 8-byte boundaries; the only
internal waste is the rounding of a request to 8 bytes. An alignment above 8
is served by searching for ``size + align - 8`` and splitting the leading gap
off as a free block of its own.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from osvm_core.errors import ParameterError
from osvm_core.memory.allocator import Allocator, AllocatorStats
from osvm_core.memory.first_fit import check_request

GRANULE = 8
GRANULE_SHIFT = 3
DEFAULT_SLI = 4
MAX_SLI = 6
#: Upper bound of the steps of any single allocate or release (see the module docstring).
MAX_STEPS = 8


def _round_up(value: int, multiple: int) -> int:
    return -(-value // multiple) * multiple


class TLSF(Allocator):
    """Two-level segregated fit with immediate coalescing; O(1) allocate and release.

    ``options`` may set ``sli`` (1..6, default 4): log2 of the number of
    second-level lists per power of two. More lists means blocks closer to the
    request (less rounding in the search), at the cost of longer bitmap words.
    """

    name: ClassVar[str] = "tlsf"

    def __init__(self, base: int, size: int, options: dict[str, Any] | None = None) -> None:
        if not isinstance(base, int) or not isinstance(size, int) or base < 0 or size < 0:
            raise ParameterError(f"bad allocator range base={base!r} size={size!r}")
        super().__init__(base, size, options)
        sli = self.options.get("sli", DEFAULT_SLI)
        if not isinstance(sli, int) or isinstance(sli, bool) or not 1 <= sli <= MAX_SLI:
            raise ParameterError(f"tlsf option sli must be an integer 1..{MAX_SLI}, got {sli!r}")
        self.sli = sli
        self._small = 1 << (sli + GRANULE_SHIFT)      # sizes below this live in row 0
        self._fl_shift = sli + GRANULE_SHIFT - 1      # fl = floor(log2(size)) - _fl_shift
        self._lo = _round_up(base, GRANULE)
        self._hi = max(self._lo, (base + size) // GRANULE * GRANULE)
        capacity = self._hi - self._lo
        rows = self._class_of(capacity)[0] + 1 if capacity else 1
        self._rows = rows
        self._fl_map = 0                               # bit f: row f has a non-empty list
        self._sl_maps = [0] * rows                     # per row, bit s: list (f, s) is non-empty
        self._heads: list[int | None] = [None] * (rows << sli)
        # Every block, free or used: address -> size, and address -> physical predecessor.
        self._size: dict[int, int] = {}
        self._prev_phys: dict[int, int | None] = {}
        # Free blocks only (membership means "free"): links of their doubly-linked list.
        self._next_free: dict[int, int | None] = {}
        self._prev_free: dict[int, int | None] = {}
        # Used blocks: address -> requested size.
        self._live: dict[int, int] = {}
        self._top = self._lo                           # the block that ends at _hi
        self._stats = AllocatorStats()
        if capacity:
            self._size[self._lo] = capacity
            self._prev_phys[self._lo] = None
            self._file(self._lo, capacity)

    # -- size classes ------------------------------------------------------------------------

    def _class_of(self, size: int) -> tuple[int, int]:
        """(fl, sl) of the list a free block of ``size`` bytes is filed in (mapping_insert)."""
        if size < self._small:
            return 0, size >> GRANULE_SHIFT
        top = size.bit_length() - 1
        return top - self._fl_shift, (size >> (top - self.sli)) ^ (1 << self.sli)

    # -- free lists --------------------------------------------------------------------------

    def _file(self, address: int, size: int) -> None:
        """Put a free block at the head of its class list and set the bitmap bits."""
        sli = self.sli
        if size < self._small:
            fl, sl = 0, size >> GRANULE_SHIFT
        else:
            top = size.bit_length() - 1
            fl, sl = top - self._fl_shift, (size >> (top - sli)) ^ (1 << sli)
        index = (fl << sli) | sl
        head = self._heads[index]
        self._next_free[address] = head
        self._prev_free[address] = None
        if head is not None:
            self._prev_free[head] = address
        self._heads[index] = address
        self._sl_maps[fl] |= 1 << sl
        self._fl_map |= 1 << fl

    def _unlink(self, address: int, size: int) -> None:
        """Take a free block out of its class list, clearing bitmap bits of an emptied list."""
        after = self._next_free.pop(address)
        before = self._prev_free.pop(address)
        if after is not None:
            self._prev_free[after] = before
        if before is not None:
            self._next_free[before] = after
            return
        fl, sl = self._class_of(size)
        self._heads[(fl << self.sli) | sl] = after
        if after is None:
            row = self._sl_maps[fl] & ~(1 << sl)
            self._sl_maps[fl] = row
            if not row:
                self._fl_map &= ~(1 << fl)

    # -- queries -----------------------------------------------------------------------------

    @property
    def capacity(self) -> int:
        """Bytes this allocator can ever hand out (the granule-aligned part of the range)."""
        return self._hi - self._lo

    @property
    def free_bytes(self) -> int:
        return sum(self._size[address] for address in self._next_free)

    def largest_free(self) -> int:
        return max((self._size[address] for address in self._next_free), default=0)

    def free_blocks(self) -> list[tuple[int, int]]:
        """``(address, size)`` of every free block, in address order (for tests and dumps)."""
        return sorted((address, self._size[address]) for address in self._next_free)

    def live_blocks(self) -> list[tuple[int, int]]:
        """``(address, requested size)`` of every live block, in address order."""
        return sorted(self._live.items())

    def size_of(self, address: int) -> int:
        requested = self._live.get(address)
        if requested is None:
            raise ParameterError(f"{address:#x} is not the start of a live block in {self.name}")
        return requested

    def stats(self) -> AllocatorStats:
        """A snapshot; changing it does not affect the allocator."""
        return dataclasses.replace(self._stats)

    # -- operations --------------------------------------------------------------------------

    def allocate(self, size: int, align: int = 8) -> int | None:
        # The hot path is written out inline (no helper calls): this is what the benchmark times.
        if type(size) is not int or size <= 0 or type(align) is not int or align < 1 or align & (align - 1):
            check_request(size, align)            # raises E_PAR naming the bad value
        need = (size + GRANULE - 1) & -GRANULE
        if need > self._hi - self._lo:
            return self._fail(1)
        sli = self.sli
        padded = align > GRANULE
        # With a bigger alignment, any block of need + align - 8 bytes has an aligned start
        # within its first align - 8 bytes (every block starts on a granule).
        want = need + align - GRANULE if padded else need
        # mapping_search: round up to the start of the next class, then that class's (fl, sl).
        if want < self._small:
            fl, sl = 0, want >> GRANULE_SHIFT
        else:
            want += (1 << (want.bit_length() - 1 - sli)) - 1
            top = want.bit_length() - 1
            fl, sl = top - self._fl_shift, (want >> (top - sli)) ^ (1 << sli)
        steps = 1
        block = None
        if fl < self._rows:
            row = self._sl_maps[fl] & (-1 << sl)          # lists of this row at or above sl
            if not row:
                steps = 2
                rows = self._fl_map & (-1 << (fl + 1))    # rows above this one
                if rows:
                    fl = (rows & -rows).bit_length() - 1
                    row = self._sl_maps[fl]
            if row:
                sl = (row & -row).bit_length() - 1
                block = self._heads[(fl << sli) | sl]
        if block is None:
            # The good-fit rounding skips the request's own class; its head may still fit.
            steps += 1
            fl, sl = self._class_of(need)
            block = self._heads[(fl << sli) | sl]
            if block is None or _round_up(block, align) + need > block + self._size[block]:
                return self._fail(steps)
        # The block is the head of list (fl, sl): unlink it.
        after = self._next_free.pop(block)
        del self._prev_free[block]
        self._heads[(fl << sli) | sl] = after
        if after is None:
            row = self._sl_maps[fl] & ~(1 << sl)
            self._sl_maps[fl] = row
            if not row:
                self._fl_map &= ~(1 << fl)
        else:
            self._prev_free[after] = None
        steps += 1
        block_size = self._size[block]
        end = block + block_size
        address = _round_up(block, align) if padded else block
        if address > block:
            # The leading gap stays a free block; its predecessor is used (no adjacent frees).
            self._size[block] = address - block
            self._prev_phys[address] = block
            self._file(block, address - block)
            steps += 2
        rest = end - address - need
        if rest:
            piece = address + need
            self._size[piece] = rest
            self._prev_phys[piece] = address
            if end < self._hi:
                self._prev_phys[end] = piece
            self._file(piece, rest)
            steps += 2
        elif address > block and end < self._hi:
            self._prev_phys[end] = address
        self._size[address] = need
        if end == self._hi:
            self._top = address + need if rest else address
        self._live[address] = size
        st = self._stats
        st.allocations += 1
        st.live_bytes += size
        st.internal_waste += need - size
        self._settle(st, steps)
        return address

    def release(self, address: int) -> int:
        requested = self._live.pop(address, None)
        if requested is None:
            raise ParameterError(
                f"release of {address:#x}: not the start of a live block in {self.name} "
                "(double free or bad pointer)"
            )
        sizes = self._size
        free = self._next_free
        size = sizes[address]
        st = self._stats
        st.releases += 1
        st.live_bytes -= requested
        st.internal_waste -= size - requested
        steps = 1
        before = self._prev_phys[address]
        if before is not None and before in free:
            self._unlink(before, sizes[before])
            del sizes[address]
            del self._prev_phys[address]
            size += sizes[before]
            address = before
            steps += 2
        after = address + size
        if after < self._hi and after in free:
            after_size = sizes.pop(after)
            self._unlink(after, after_size)
            del self._prev_phys[after]
            size += after_size
            after += after_size
            steps += 2
        sizes[address] = size
        if after < self._hi:
            self._prev_phys[after] = address
        else:
            self._top = address
        self._file(address, size)
        steps += 1
        self._settle(st, steps)
        return requested

    # -- bookkeeping -------------------------------------------------------------------------

    def _fail(self, steps: int) -> None:
        self._stats.count_failure(steps)

    def _settle(self, st: AllocatorStats, steps: int) -> None:
        """Steps, the footprint and the maxima after a successful operation."""
        if not self._live:
            footprint = 0
        elif self._top in self._next_free:
            # The top of the range is free: the highest live block ends where it starts.
            footprint = self._top - self.base
        else:
            footprint = self._hi - self.base
        st.settle(steps, footprint)
