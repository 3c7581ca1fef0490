"""Unit tests of the variable-size pool and its per-block headers."""

from __future__ import annotations

import struct

import pytest

from osvm_core.errors import ParameterError
from osvm_core.memory.first_fit import FirstFit
from osvm_core.memory.variable_pool import HEADER_SIZE, MAGIC, VariablePool

RAM_BASE = 0x0C00_0000
POOL_BASE = RAM_BASE + 0x100
POOL_SIZE = 0x400


@pytest.fixture
def ram() -> bytearray:
    return bytearray(0x1000)


@pytest.fixture
def pool(ram: bytearray) -> VariablePool:
    return VariablePool(memoryview(ram), RAM_BASE, POOL_BASE, POOL_SIZE, FirstFit(POOL_BASE, POOL_SIZE))


def test_header_is_written_in_ram(pool: VariablePool, ram: bytearray) -> None:
    user = pool.try_get(20)
    assert user == POOL_BASE + HEADER_SIZE
    offset = POOL_BASE - RAM_BASE
    size, magic = struct.unpack_from("<II", ram, offset)
    assert size == 20
    assert magic == MAGIC ^ POOL_BASE
    assert pool.size_of(user) == 20


def test_blocks_follow_each_other_with_headers(pool: VariablePool) -> None:
    a = pool.try_get(20)                     # header 8 + 20 -> 32 bytes with rounding
    b = pool.try_get(1)
    assert b == a + 32
    st = pool.stats()
    assert st.live_bytes == 20 + 1 + 2 * HEADER_SIZE
    assert st.allocations == 2


def test_view_is_the_user_area_and_is_bounds_checked(pool: VariablePool, ram: bytearray) -> None:
    user = pool.try_get(16)
    pool.view(user)[:] = b"A" * 16
    offset = user - RAM_BASE
    assert ram[offset : offset + 16] == b"A" * 16
    assert len(pool.view(user, 4)) == 4
    with pytest.raises(ParameterError, match="17 bytes"):
        pool.view(user, 17)
    with pytest.raises(ParameterError):
        pool.view(user, -1)


def test_release_and_double_free(pool: VariablePool) -> None:
    user = pool.try_get(100)
    assert pool.release(user) == 100
    with pytest.raises(ParameterError, match=f"{user:#x}.*bad block header"):
        pool.release(user)
    assert pool.stats().live_bytes == 0


def test_bad_pointers(pool: VariablePool) -> None:
    user = pool.try_get(64)
    with pytest.raises(ParameterError, match=f"{user + 8:#x}.*bad block header"):
        pool.release(user + 8)               # points into the user area (zeros, no magic)
    with pytest.raises(ParameterError, match="outside pool"):
        pool.release(POOL_BASE)              # the header would lie in front of the pool
    with pytest.raises(ParameterError, match="outside pool"):
        pool.release(POOL_BASE + POOL_SIZE + 8)
    assert pool.release(user) == 64


def test_scribbled_header_is_detected(pool: VariablePool, ram: bytearray) -> None:
    a = pool.try_get(8)
    b = pool.try_get(8)
    # Guest overruns block a by 4 bytes: that lands on b's size field, which no longer matches.
    pool_view = memoryview(ram)
    pool_view[a - RAM_BASE : a - RAM_BASE + 12] = b"\xee" * 12
    with pytest.raises(ParameterError, match=f"{b:#x}: corrupted header \\(size 4008636142"):
        pool.release(b)
    # Overrunning further reaches the magic.
    pool_view[a - RAM_BASE : a - RAM_BASE + 16] = b"\xee" * 16
    with pytest.raises(ParameterError, match=f"{b:#x}: bad block header \\(magic 0xeeeeeeee"):
        pool.size_of(b)
    assert pool.release(a) == 8               # a's own header is intact


def test_forged_header_is_rejected(pool: VariablePool, ram: bytearray) -> None:
    user = pool.try_get(64)
    fake = user + 32                           # forge a header inside the user area
    struct.pack_into("<II", ram, fake - HEADER_SIZE - RAM_BASE, 8, MAGIC ^ (fake - HEADER_SIZE))
    with pytest.raises(ParameterError, match="forged"):
        pool.release(fake)


def test_exhaustion_returns_none(pool: VariablePool) -> None:
    assert pool.try_get(POOL_SIZE) is None   # no room for the header
    user = pool.try_get(POOL_SIZE - HEADER_SIZE)
    assert user is not None
    assert pool.try_get(1) is None
    assert pool.stats().failures == 2


@pytest.mark.parametrize("size", [0, -5, 1 << 32])
def test_bad_sizes(pool: VariablePool, size: int) -> None:
    with pytest.raises(ParameterError):
        pool.try_get(size)


def test_pool_and_allocator_must_fit(ram: bytearray) -> None:
    view = memoryview(ram)
    with pytest.raises(ParameterError, match="not inside RAM"):
        VariablePool(view, RAM_BASE, RAM_BASE + 0xF00, 0x200, FirstFit(RAM_BASE + 0xF00, 0x200))
    with pytest.raises(ParameterError, match="allocator range"):
        VariablePool(view, RAM_BASE, POOL_BASE, 0x100, FirstFit(POOL_BASE, 0x200))
