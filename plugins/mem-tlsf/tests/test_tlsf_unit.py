"""Unit tests of TLSF placement: size classes, good fit, splitting, coalescing, statistics."""

from __future__ import annotations

import pytest

from osvm_core.errors import ParameterError
from osvm_core.memory.allocator import Allocator
from osvm_mem_tlsf.tlsf import MAX_STEPS, TLSF

BASE = 0x1000


def make(size: int = 4096, **options: int) -> TLSF:
    return TLSF(BASE, size, options or None)


def test_is_an_allocator_with_its_name() -> None:
    tlsf = make()
    assert isinstance(tlsf, Allocator)
    assert TLSF.name == "tlsf"
    assert tlsf.capacity == 4096
    assert tlsf.free_blocks() == [(BASE, 4096)]


def test_range_shrinks_to_granules() -> None:
    tlsf = TLSF(BASE + 3, 100)                # usable: BASE+8 .. BASE+96
    assert tlsf.capacity == 88
    assert tlsf.allocate(88) == BASE + 8
    assert tlsf.allocate(8) is None


def test_an_empty_range_gives_nothing() -> None:
    tlsf = TLSF(BASE, 0)
    assert tlsf.capacity == 0
    assert tlsf.allocate(8) is None
    assert tlsf.stats().failures == 1


def test_blocks_are_cut_from_the_front_and_rounded_to_8() -> None:
    tlsf = make()
    a, b, c = tlsf.allocate(1), tlsf.allocate(9), tlsf.allocate(16)
    assert (a, b, c) == (BASE, BASE + 8, BASE + 24)
    assert tlsf.size_of(b) == 9
    assert tlsf.free_blocks() == [(BASE + 40, 4096 - 40)]
    st = tlsf.stats()
    assert st.live_bytes == 26 and st.internal_waste == 7 + 7
    assert st.footprint == 40 and st.max_footprint == 40


def test_release_merges_with_both_physical_neighbours() -> None:
    tlsf = make(96)
    a, b, c = (tlsf.allocate(32) for _ in range(3))
    tlsf.release(a)
    tlsf.release(c)
    assert tlsf.free_blocks() == [(BASE, 32), (BASE + 64, 32)]
    before = tlsf.stats().steps
    tlsf.release(b)
    assert tlsf.stats().steps - before == 1 + 2 + 2 + 1     # find, two merges, file
    assert tlsf.free_blocks() == [(BASE, 96)]
    assert tlsf.allocate(96) == BASE


def test_small_sizes_are_segregated_exactly() -> None:
    tlsf = make(1024)
    blocks = [tlsf.allocate(n) for n in (16, 8, 24, 8, 40, 8)]
    for address in blocks[0::2]:
        tlsf.release(address)                   # free holes of 16, 24 and 40 bytes
    assert tlsf.allocate(24) == blocks[2]       # the exact list, not the first hole that fits
    assert tlsf.allocate(16) == blocks[0]


def test_good_fit_rounds_the_request_up_to_a_guaranteed_class() -> None:
    # A free block of 1000 bytes is in class [992, 1024): not every block there fits 1000,
    # so a request of 1000 is served from a class that surely fits: the 1024-byte block.
    tlsf = make(4096)
    hole_1000 = tlsf.allocate(1000)
    tlsf.allocate(8)
    hole_1024 = tlsf.allocate(1024)
    tlsf.allocate(8)
    rest = tlsf.allocate(tlsf.largest_free())
    tlsf.release(hole_1000)
    tlsf.release(hole_1024)
    assert tlsf.allocate(1000) == hole_1024
    # Now only the 1000-byte block is left; the head check of its own class still finds it.
    assert tlsf.allocate(1000) == hole_1000
    assert rest is not None
    assert tlsf.free_blocks() == [(hole_1024 + 1000, 24)]     # what the 1024-byte block had left


def test_whole_heap_of_any_size_can_be_taken_after_everything_is_released() -> None:
    for size in (1000, 4096, 12344, 65536 + 8):
        tlsf = make(size)
        blocks = [tlsf.allocate(24) for _ in range(10)]
        for address in blocks[::2] + blocks[1::2]:
            tlsf.release(address)
        assert tlsf.allocate(size) == BASE, size


def test_alignment_splits_the_leading_gap_off_as_a_free_block() -> None:
    tlsf = make(4096)
    tlsf.allocate(8)                              # BASE .. BASE+8
    address = tlsf.allocate(100, 256)
    assert address == BASE + 256
    assert tlsf.free_blocks() == [(BASE + 8, 248), (BASE + 360, 4096 - 360)]
    assert tlsf.stats().internal_waste == 4       # the gap is free, not waste
    tlsf.release(address)
    assert tlsf.free_blocks() == [(BASE + 8, 4096 - 8)]


def test_an_alignment_bigger_than_the_heap_fails_cleanly() -> None:
    tlsf = TLSF(BASE + 8, 4096)
    assert tlsf.allocate(8, 8192) is None
    assert tlsf.stats().failures == 1


def test_bad_requests_and_releases_are_refused() -> None:
    tlsf = make()
    for size, align in ((0, 8), (-1, 8), (8, 3), (8, 0), (1.5, 8), ("8", 8)):
        with pytest.raises(ParameterError):
            tlsf.allocate(size, align)      # type: ignore[arg-type]
    address = tlsf.allocate(64)
    with pytest.raises(ParameterError, match="not the start"):
        tlsf.release(address + 8)
    with pytest.raises(ParameterError):
        tlsf.size_of(address + 8)
    tlsf.release(address)
    with pytest.raises(ParameterError, match="double free"):
        tlsf.release(address)


def test_bad_construction_is_refused() -> None:
    with pytest.raises(ParameterError):
        TLSF(-8, 64)
    for sli in (0, 7, "4", True):
        with pytest.raises(ParameterError, match="sli"):
            TLSF(BASE, 4096, {"sli": sli})


@pytest.mark.parametrize("sli", [1, 2, 3, 4, 5, 6])
def test_every_second_level_width_works(sli: int) -> None:
    tlsf = make(1 << 16, sli=sli)
    blocks = [tlsf.allocate(n * 37 % 3000 + 1) for n in range(1, 40)]
    assert None not in blocks
    for address in blocks[1::2] + blocks[0::2]:
        tlsf.release(address)
    assert tlsf.free_blocks() == [(BASE, 1 << 16)]
    assert tlsf.stats().max_steps <= MAX_STEPS


def test_too_big_a_request_fails_and_is_counted() -> None:
    tlsf = make(1024)
    assert tlsf.allocate(1025) is None
    assert tlsf.allocate(1 << 40) is None
    st = tlsf.stats()
    assert st.failures == 2 and st.allocations == 0


def test_steps_of_a_first_allocation() -> None:
    tlsf = make(4096)
    tlsf.allocate(8)
    # The row of small sizes is empty (1 search), the first-level word finds the big block (1),
    # unlink (1), split and file the rest (2).
    assert tlsf.stats().steps == 5


def test_footprint_follows_the_highest_live_block_and_stats_are_snapshots() -> None:
    tlsf = make(1024)
    a = tlsf.allocate(100)
    b = tlsf.allocate(100)
    assert tlsf.stats().footprint == 208
    tlsf.release(b)
    assert tlsf.stats().footprint == 104
    snapshot = tlsf.stats()
    snapshot.live_bytes = 999
    assert tlsf.stats().live_bytes == 100
    tlsf.release(a)
    st = tlsf.stats()
    assert st.footprint == 0 and st.max_footprint == 208 and st.max_live_bytes == 200
    assert st.fragmentation == pytest.approx(208 / 200)
    assert st.allocations == 2 and st.releases == 2 and st.internal_waste == 0
    with_top_used = make(64)
    with_top_used.allocate(64)
    assert with_top_used.stats().footprint == 64
