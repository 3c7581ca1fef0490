"""Unit tests of the first-fit placement policy."""

from __future__ import annotations

import pytest

from osvm_core.errors import ParameterError
from osvm_core.memory.allocator import Allocator
from osvm_core.memory.first_fit import FirstFit

BASE = 0x1000


def make(size: int = 1024) -> FirstFit:
    return FirstFit(BASE, size)


def test_is_an_allocator_with_its_name() -> None:
    ff = make()
    assert isinstance(ff, Allocator)
    assert FirstFit.name == "first-fit"
    assert ff.capacity == 1024


def test_blocks_are_placed_lowest_first_and_rounded_to_8() -> None:
    ff = make()
    a = ff.allocate(1)
    b = ff.allocate(9)
    c = ff.allocate(16)
    assert (a, b, c) == (BASE, BASE + 8, BASE + 24)
    assert ff.size_of(b) == 9
    assert ff.free_blocks() == [(BASE + 40, 1024 - 40)]
    st = ff.stats()
    assert st.live_bytes == 26
    assert st.internal_waste == 7 + 7 + 0
    assert st.footprint == 40


def test_split_takes_the_first_hole_that_fits() -> None:
    ff = make()
    blocks = [ff.allocate(32) for _ in range(4)]
    ff.release(blocks[1])                     # hole of 32 at BASE+32
    assert ff.allocate(40) == BASE + 128      # does not fit in the hole
    assert ff.allocate(16) == BASE + 32       # split the hole
    assert ff.free_blocks()[0] == (BASE + 48, 16)
    assert ff.allocate(16) == BASE + 48       # exactly fills the rest
    assert ff.free_blocks() == [(BASE + 168, 1024 - 168)]


def test_release_coalesces_with_both_neighbours() -> None:
    ff = make(96)
    a, b, c = (ff.allocate(32) for _ in range(3))
    ff.release(a)
    ff.release(c)
    assert ff.free_blocks() == [(BASE, 32), (BASE + 64, 32)]
    ff.release(b)
    assert ff.free_blocks() == [(BASE, 96)]
    assert ff.allocate(96) == BASE


def test_release_coalesces_left_only_and_right_only() -> None:
    ff = make(128)
    a, b, c, d = (ff.allocate(32) for _ in range(4))
    ff.release(a)
    ff.release(b)                             # merges into a (left)
    assert ff.free_blocks() == [(BASE, 64)]
    ff.release(d)
    ff.release(c)                             # merges with d (right) and a+b (left)
    assert ff.free_blocks() == [(BASE, 128)]


def test_alignment_splits_off_padding_that_stays_free() -> None:
    ff = FirstFit(0x1008, 0x1000)
    a = ff.allocate(8, align=256)
    assert a == 0x1100
    assert a % 256 == 0
    assert ff.free_blocks()[0] == (0x1008, 0x1100 - 0x1008)
    assert ff.stats().internal_waste == 0
    small = ff.allocate(8)
    assert small == 0x1008                    # the padding is usable
    ff.release(a)
    ff.release(small)
    assert ff.free_blocks() == [(0x1008, 0x1000)]


def test_alignment_that_does_not_fit_anywhere_fails() -> None:
    ff = FirstFit(0x1008, 0x100)              # no 0x100-aligned address with room for 16 bytes
    assert ff.allocate(16, align=0x1000) is None
    assert ff.stats().failures == 1


def test_unaligned_range_is_shrunk_to_granules() -> None:
    ff = FirstFit(0x1003, 100)                # usable 0x1008 .. 0x1060
    assert ff.capacity == 0x1060 - 0x1008
    a = ff.allocate(ff.capacity)
    assert a == 0x1008
    assert ff.allocate(1) is None
    assert ff.stats().footprint == 0x1060 - 0x1003


def test_exhaustion_returns_none_and_counts_failure() -> None:
    ff = make(64)
    assert ff.allocate(64) == BASE
    assert ff.allocate(1) is None
    assert ff.allocate(1000) is None
    st = ff.stats()
    assert (st.allocations, st.failures) == (1, 2)


def test_double_free_and_bad_pointer_raise_naming_the_address() -> None:
    ff = make()
    a = ff.allocate(16)
    b = ff.allocate(16)
    ff.release(a)
    with pytest.raises(ParameterError, match=f"{a:#x}"):
        ff.release(a)
    with pytest.raises(ParameterError, match=f"{b + 8:#x}"):
        ff.release(b + 8)
    with pytest.raises(ParameterError, match="0xdead0"):
        ff.size_of(0xDEAD0)
    assert ff.release(b) == 16
    assert ff.free_blocks() == [(BASE, 1024)]


@pytest.mark.parametrize("size", [0, -1, -8])
def test_bad_sizes(size: int) -> None:
    with pytest.raises(ParameterError):
        make().allocate(size)


@pytest.mark.parametrize("align", [0, -8, 3, 12, 24])
def test_bad_alignments(align: int) -> None:
    with pytest.raises(ParameterError):
        make().allocate(8, align)


@pytest.mark.parametrize("align", [1, 2, 4, 8])
def test_small_alignments_are_honoured(align: int) -> None:
    ff = make()
    for _ in range(5):
        address = ff.allocate(3, align)
        assert address is not None and address % align == 0


def test_stats_on_a_known_sequence() -> None:
    ff = make(256)
    a = ff.allocate(10)       # [0,16)   visited 1 + split 1
    b = ff.allocate(100)      # [16,120) visited 1 + split 1
    c = ff.allocate(8)        # [120,128)
    ff.release(b)             # neighbours: right free [128,256) -> 2 looked at (left none? a is live)
    d = ff.allocate(50)       # goes into the hole at 16 -> [16,72)
    ff.release(c)
    st = ff.stats()
    assert (a, b, c, d) == (BASE, BASE + 16, BASE + 120, BASE + 16)
    assert st.allocations == 4
    assert st.releases == 2
    assert st.failures == 0
    assert st.live_bytes == 10 + 50
    assert st.max_live_bytes == 10 + 100 + 8
    assert st.internal_waste == 6 + 6
    assert st.footprint == 72
    assert st.max_footprint == 128
    assert st.fragmentation == pytest.approx(128 / 118)
    assert ff.free_blocks() == [(BASE + 72, 256 - 72)]
    # steps: 2 + 2 + 2 + (release b: 1 neighbour, no merge = 1)
    #        + (alloc 50: 1 visited + 1 split = 2) + (release c: 2 neighbours + 2 merges = 4)
    assert st.steps == 2 + 2 + 2 + 1 + 2 + 4
    assert st.max_steps == 4


def test_footprint_drops_when_the_top_block_goes() -> None:
    ff = make(256)
    a = ff.allocate(16)
    b = ff.allocate(16)
    assert ff.stats().footprint == 32
    ff.release(b)
    assert ff.stats().footprint == 16
    ff.release(a)
    st = ff.stats()
    assert (st.footprint, st.max_footprint, st.live_bytes) == (0, 32, 0)


def test_full_range_footprint() -> None:
    ff = make(64)
    ff.allocate(64)
    assert ff.stats().footprint == 64


def test_first_fit_visits_blocks_in_address_order() -> None:
    ff = make(1024)
    blocks = [ff.allocate(16) for _ in range(10)]
    for address in blocks[0:10:2]:           # five holes of 16
        ff.release(address)
    before = ff.stats().steps
    assert ff.allocate(24) == BASE + 160     # skips five holes, then the tail
    assert ff.stats().steps - before == 6 + 1


def test_stats_snapshot_is_independent() -> None:
    ff = make()
    st = ff.stats()
    st.live_bytes = 999
    assert ff.stats().live_bytes == 0


def test_empty_range() -> None:
    ff = FirstFit(BASE, 0)
    assert ff.capacity == 0
    assert ff.allocate(1) is None
    with pytest.raises(ParameterError):
        FirstFit(BASE, -1)
