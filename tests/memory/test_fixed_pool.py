"""Unit tests of the fixed-size pool bookkeeping."""

from __future__ import annotations

import pytest

from osvm_core.errors import ParameterError
from osvm_core.memory.fixed_pool import FixedPool


def test_block_size_rounds_up_to_4() -> None:
    assert FixedPool(0, 1, 1).block_size == 4
    assert FixedPool(0, 4, 1).block_size == 4
    assert FixedPool(0, 13, 1).block_size == 16
    pool = FixedPool(0x100, 10, 3)
    assert (pool.block_count, pool.size) == (3, 36)


def test_fresh_pool_hands_out_ascending_then_is_exhausted() -> None:
    pool = FixedPool(0x1000, 16, 4)
    assert [pool.try_get() for _ in range(4)] == [0x1000, 0x1010, 0x1020, 0x1030]
    assert pool.try_get() is None
    assert (pool.free_count, pool.in_use()) == (0, 4)


def test_released_blocks_come_back_lifo_before_fresh_ones() -> None:
    pool = FixedPool(0x1000, 16, 4)
    a = pool.try_get()
    b = pool.try_get()
    pool.release(a)
    pool.release(b)
    assert pool.try_get() == b
    assert pool.try_get() == a
    assert pool.try_get() == 0x1020
    assert pool.free_count == 1


def test_release_checks_the_address() -> None:
    pool = FixedPool(0x1000, 16, 4)
    a = pool.try_get()
    with pytest.raises(ParameterError, match="0x1004"):
        pool.release(a + 4)                  # inside a block, not its start
    with pytest.raises(ParameterError, match="0x1040"):
        pool.release(0x1040)                 # just past the end
    with pytest.raises(ParameterError, match="0xff0"):
        pool.release(0xFF0)                  # before the start
    with pytest.raises(ParameterError, match="0x1010"):
        pool.release(0x1010)                 # a block start, but never handed out
    pool.release(a)
    with pytest.raises(ParameterError, match="0x1000.*double free"):
        pool.release(a)
    assert (pool.free_count, pool.in_use()) == (4, 0)


def test_contains_and_live_blocks() -> None:
    pool = FixedPool(0x1000, 8, 2)
    assert pool.contains(0x1000) and pool.contains(0x100F)
    assert not pool.contains(0x0FFF) and not pool.contains(0x1010)
    pool.try_get()
    pool.try_get()
    assert pool.live_blocks() == [0x1000, 0x1008]


@pytest.mark.parametrize(("block_size", "count"), [(0, 1), (-4, 1), (4, 0), (4, -1)])
def test_bad_parameters(block_size: int, count: int) -> None:
    with pytest.raises(ParameterError):
        FixedPool(0, block_size, count)
