"""Unit tests of buddy placement: the region and its remainder, splits, merges, waste, alignment."""

from __future__ import annotations

import pytest

from osvm_core.errors import ParameterError
from osvm_core.memory.allocator import Allocator
from osvm_mem_buddy.buddy import Buddy, split_into_trees

BASE = 0x10000


def test_is_an_allocator_with_its_name() -> None:
    buddy = Buddy(BASE, 1024)
    assert isinstance(buddy, Allocator)
    assert Buddy.name == "buddy"
    assert buddy.capacity == buddy.largest_block == 1024
    assert buddy.region == (BASE, 1024)
    assert buddy.free_blocks() == [(BASE, 1024)] == buddy.trees()


def test_split_into_trees_takes_the_fewest_aligned_blocks() -> None:
    assert split_into_trees(0, 96) == [(0, 6), (64, 5)]
    assert split_into_trees(-24, 40) == [(-24, 3), (-16, 4), (0, 5), (32, 3)]
    assert split_into_trees(8, 8) == []


def test_the_remainder_becomes_smaller_trees_and_is_usable() -> None:
    buddy = Buddy(BASE, 96 * 1024)
    assert buddy.region == (BASE, 64 * 1024)
    assert buddy.trees() == [(BASE, 64 * 1024), (BASE + 64 * 1024, 32 * 1024)]
    assert buddy.capacity == 96 * 1024
    assert buddy.allocate(96 * 1024) is None          # no block spans two trees
    assert buddy.allocate(64 * 1024) == BASE
    assert buddy.allocate(32 * 1024) == BASE + 64 * 1024


def test_the_main_region_sits_at_the_most_aligned_place_the_range_allows() -> None:
    buddy = Buddy(0x1008, 0x3000)                      # 8-aligned start, 12 KiB
    assert buddy.region == (0x2000, 0x2000)             # 8 KiB, aligned to 8 KiB
    trees = buddy.trees()
    assert trees[0] == (0x1008, 8) and trees[-1] == (0x4000, 8)
    assert sum(size for _, size in trees) == buddy.capacity == 0x3000
    assert all(address % size == 0 for address, size in trees)   # absolute alignment too
    assert buddy.allocate(0x2000) == 0x2000


def test_first_allocation_splits_down_and_release_merges_back() -> None:
    buddy = Buddy(BASE, 1024)
    address = buddy.allocate(5)
    assert address == BASE
    assert buddy.free_blocks() == [(BASE + size, size) for size in (8, 16, 32, 64, 128, 256, 512)]
    st = buddy.stats()
    assert st.internal_waste == 3 and st.live_bytes == 5
    assert st.steps == 2 + 2 * 7                       # search, take, seven splits
    buddy.release(address)
    assert buddy.stats().steps - st.steps == 1 + 2 * 7 + 1
    assert buddy.free_blocks() == [(BASE, 1024)]


def test_sizes_round_up_to_powers_of_two() -> None:
    buddy = Buddy(BASE, 4096)
    a = buddy.allocate(65)
    assert buddy.block_of(a) == (a, 128)
    b = buddy.allocate(8)
    assert buddy.block_of(b)[1] == 8
    c = buddy.allocate(1024)
    assert buddy.block_of(c)[1] == 1024
    assert buddy.stats().internal_waste == 63 + 0 + 0
    assert buddy.size_of(a) == 65


def test_neighbours_that_are_not_buddies_do_not_merge() -> None:
    buddy = Buddy(BASE, 64)
    blocks = [buddy.allocate(16) for _ in range(4)]
    assert sorted(blocks) == [BASE, BASE + 16, BASE + 32, BASE + 48]
    buddy.release(BASE + 16)
    buddy.release(BASE + 32)                           # adjacent, but buddies of other blocks
    assert buddy.free_blocks() == [(BASE + 16, 16), (BASE + 32, 16)]
    assert buddy.allocate(32) is None                  # 32 free bytes, no 32-byte block
    buddy.release(BASE)
    assert buddy.free_blocks() == [(BASE, 32), (BASE + 32, 16)]
    buddy.release(BASE + 48)
    assert buddy.free_blocks() == [(BASE, 64)]


def test_alignment_uses_a_big_enough_block_when_the_region_is_aligned() -> None:
    buddy = Buddy(BASE, 4096)
    address = buddy.allocate(16, 256)
    assert address % 256 == 0
    assert buddy.block_of(address) == (address, 256)
    assert buddy.stats().internal_waste == 240


def test_alignment_beyond_the_region_start_pads_inside_the_block() -> None:
    buddy = Buddy(BASE + 8, 4096)                      # the region can only start 8-aligned
    assert buddy.region == (BASE + 8, 4096)
    address = buddy.allocate(100, 64)
    assert address % 64 == 0
    block, size = buddy.block_of(address)
    assert block <= address and address + 100 <= block + size
    assert buddy.stats().internal_waste == size - 100
    buddy.release(address)
    assert buddy.free_blocks() == [(BASE + 8, 4096)]


def test_bad_requests_and_releases_are_refused() -> None:
    buddy = Buddy(BASE, 4096)
    for size, align in ((0, 8), (-1, 8), (8, 3), (8, 0), (1.5, 8)):
        with pytest.raises(ParameterError):
            buddy.allocate(size, align)      # type: ignore[arg-type]
    address = buddy.allocate(64)
    with pytest.raises(ParameterError, match="not the start"):
        buddy.release(address + 8)
    with pytest.raises(ParameterError):
        buddy.size_of(address + 8)
    with pytest.raises(ParameterError):
        buddy.block_of(address + 8)
    buddy.release(address)
    with pytest.raises(ParameterError, match="double free"):
        buddy.release(address)
    with pytest.raises(ParameterError):
        Buddy(-8, 64)


def test_small_and_empty_ranges() -> None:
    empty = Buddy(BASE, 7)
    assert empty.capacity == 0 and empty.largest_block == 0 and empty.trees() == []
    assert empty.allocate(1) is None and empty.stats().failures == 1
    tiny = Buddy(BASE + 3, 20)                         # usable: 8 bytes
    assert tiny.allocate(8) == BASE + 8 and tiny.allocate(1) is None


def test_steps_are_bounded_by_the_number_of_orders() -> None:
    buddy = Buddy(0, 1 << 20)                          # orders 3 .. 20
    bound = 2 + 2 * (20 - 3)
    blocks = [buddy.allocate(size) for size in (1, 9, 100, 4000, 70000, 3, 8)]
    for address in blocks:
        buddy.release(address)
    assert buddy.stats().max_steps <= bound
    assert buddy.stats().max_steps == bound             # the first 1-byte request splits all the way


def test_stats_follow_live_bytes_and_footprint() -> None:
    buddy = Buddy(BASE, 1024)
    a = buddy.allocate(100)                            # [0, 128)
    b = buddy.allocate(100)                            # [128, 256)
    assert buddy.stats().footprint == 256
    buddy.release(b)
    assert buddy.stats().footprint == 128
    snapshot = buddy.stats()
    snapshot.live_bytes = 1
    assert buddy.stats().live_bytes == 100
    buddy.release(a)
    st = buddy.stats()
    assert st.footprint == 0 and st.max_footprint == 256 and st.max_live_bytes == 200
    assert st.fragmentation == pytest.approx(256 / 200)
    assert (st.allocations, st.releases, st.failures, st.internal_waste) == (2, 2, 0, 0)
    assert buddy.allocate(1025) is None and buddy.stats().failures == 1
