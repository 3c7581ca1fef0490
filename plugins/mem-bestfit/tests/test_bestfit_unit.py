"""Unit tests of best-fit placement: choice of hole, splitting, coalescing, statistics."""

from __future__ import annotations

import pytest

from osvm_core.errors import ParameterError
from osvm_core.memory.allocator import Allocator
from osvm_core.memory.first_fit import FirstFit
from osvm_mem_bestfit.best_fit import BestFit

BASE = 0x1000


def make(size: int = 1024) -> BestFit:
    return BestFit(BASE, size)


def holes(allocator: Allocator, sizes: list[int]) -> list[int]:
    """Allocate blocks of ``sizes`` separated by 8-byte spacers, then free them: holes in that order."""
    blocks = []
    for size in sizes:
        blocks.append(allocator.allocate(size))
        allocator.allocate(8)
    for address in blocks:
        allocator.release(address)
    return blocks


def test_is_an_allocator_with_its_name() -> None:
    bf = make()
    assert isinstance(bf, Allocator)
    assert BestFit.name == "best-fit"
    assert bf.capacity == 1024 and bf.free_blocks() == [(BASE, 1024)] and bf.largest_free() == 1024


def test_range_shrinks_to_granules_and_an_empty_range_gives_nothing() -> None:
    assert BestFit(BASE + 3, 100).capacity == 88
    empty = BestFit(BASE, 4)
    assert empty.capacity == 0 and empty.allocate(1) is None and empty.stats().failures == 1


def test_takes_the_smallest_hole_that_fits_where_first_fit_takes_the_first() -> None:
    sizes = [64, 24, 40, 24]
    bf, ff = make(4096), FirstFit(BASE, 4096)
    bf_holes, ff_holes = holes(bf, sizes), holes(ff, sizes)
    assert ff.allocate(24) == ff_holes[0]         # first fit: the 64-byte hole
    assert bf.allocate(24) == bf_holes[1]         # best fit: an exact 24-byte hole (lowest address)
    assert bf.allocate(24) == bf_holes[3]
    assert bf.allocate(32) == bf_holes[2]         # 40 is the smallest hole >= 32
    assert bf.allocate(64) == bf_holes[0]


def test_exact_fit_consumes_the_hole_and_a_split_keeps_the_rest_free() -> None:
    bf = make(1024)
    hole = holes(bf, [48])[0]
    assert bf.allocate(48) == hole
    assert bf.free_blocks() == [(BASE + 56, 1024 - 56)]
    bf.release(hole)
    assert bf.allocate(20) == hole                # 24 bytes taken from the 48-byte hole
    assert (hole + 24, 24) in bf.free_blocks()


def test_release_merges_with_both_neighbours() -> None:
    bf = make(96)
    a, b, c = (bf.allocate(32) for _ in range(3))
    bf.release(a)
    bf.release(c)
    assert bf.free_blocks() == [(BASE, 32), (BASE + 64, 32)]
    bf.release(b)
    assert bf.free_blocks() == [(BASE, 96)]
    assert bf.allocate(96) == BASE


def test_alignment_takes_the_smallest_block_with_room_after_its_aligned_start() -> None:
    bf = BestFit(0, 4096)
    bf.allocate(8)                                # [0, 8)
    small = bf.allocate(120)                      # [8, 128): a 120-byte hole, badly aligned
    bf.allocate(8)                                # [128, 136)
    bf.release(small)
    address = bf.allocate(64, 64)
    # The 120-byte hole at 8 has its 64-aligned start at 64, and 64 + 64 <= 128: it fits.
    assert address == 64
    assert (8, 56) in bf.free_blocks()            # the leading padding stays free
    assert bf.stats().internal_waste == 0
    assert bf.allocate(64, 256) == 256            # the 120-byte hole cannot: the big one serves


def test_bad_requests_and_releases_are_refused() -> None:
    bf = make()
    for size, align in ((0, 8), (-1, 8), (8, 3), (8, 0), (1.5, 8)):
        with pytest.raises(ParameterError):
            bf.allocate(size, align)      # type: ignore[arg-type]
    address = bf.allocate(64)
    with pytest.raises(ParameterError, match="not the start"):
        bf.release(address + 8)
    with pytest.raises(ParameterError):
        bf.size_of(address + 8)
    bf.release(address)
    with pytest.raises(ParameterError, match="double free"):
        bf.release(address)
    with pytest.raises(ParameterError):
        BestFit(-8, 64)


def test_search_steps_grow_with_the_log_of_the_free_blocks_not_their_number() -> None:
    bf = BestFit(0, 1 << 20)
    holes(bf, [16 * (n % 50 + 1) for n in range(2000)])     # about 2000 free blocks
    count = len(bf.free_blocks())
    assert count > 1900
    before = bf.stats().steps
    bf.allocate(400)
    # one binary search, one candidate, one split (its sorted insert is another binary search)
    assert bf.stats().steps - before <= 2 * count.bit_length() + 2
    ff = FirstFit(0, 1 << 20)
    holes(ff, [16 * (n % 50 + 1) for n in range(2000)])
    before = ff.stats().steps
    assert ff.allocate(1 << 17) is not None          # first fit walks to the last block
    assert ff.stats().steps - before > count


def test_stats_follow_live_bytes_waste_and_footprint() -> None:
    bf = make(1024)
    a = bf.allocate(100)
    b = bf.allocate(100)
    st = bf.stats()
    assert st.live_bytes == 200 and st.internal_waste == 8 and st.footprint == 208
    bf.release(b)
    assert bf.stats().footprint == 104
    snapshot = bf.stats()
    snapshot.live_bytes = 5
    assert bf.stats().live_bytes == 100
    bf.release(a)
    st = bf.stats()
    assert st.footprint == 0 and st.max_footprint == 208 and st.max_live_bytes == 200
    assert st.fragmentation == pytest.approx(208 / 200)
    assert (st.allocations, st.releases, st.failures) == (2, 2, 0)
    assert bf.allocate(2048) is None and bf.stats().failures == 1
    full = make(64)
    full.allocate(64)
    assert full.stats().footprint == 64
