"""Unit tests of physical RAM carving."""

from __future__ import annotations

import pytest

from osvm_core.errors import E_NOMEM, NoMemory, ParameterError
from osvm_core.memory.first_fit import FirstFit
from osvm_core.memory.physical import PhysicalMemory, Region
from osvm_core.memory.variable_pool import VariablePool

RAM_BASE = 0x0C00_0000


@pytest.fixture
def phys() -> PhysicalMemory:
    return PhysicalMemory(bytearray(0x1000), RAM_BASE)


def test_reserve_and_free(phys: PhysicalMemory) -> None:
    a = phys.reserve(0x100, "kernel")
    b = phys.reserve(0x200, "wasm:task1", align=0x200)
    assert a == Region(RAM_BASE, 0x100, "kernel")
    assert b.base == RAM_BASE + 0x200 and b.end == RAM_BASE + 0x400
    c = phys.reserve(0x10, "stack")
    assert c.base == RAM_BASE + 0x100          # first fit into the alignment gap
    assert phys.regions() == [a, c, b]
    assert phys.free_bytes == 0x1000 - 0x310
    phys.free(a)
    assert phys.regions() == [c, b]
    with pytest.raises(ParameterError, match="0xc000000"):
        phys.free(a)
    with pytest.raises(ParameterError):
        phys.free(Region(c.base, c.size, "someone else"))
    phys.free(b)
    phys.free(c)
    assert phys.free_bytes == 0x1000
    assert phys.reserve(0x1000, "all").base == RAM_BASE


def test_no_memory_message_names_owner_size_and_largest(phys: PhysicalMemory) -> None:
    phys.reserve(0x800, "big")
    phys.reserve(0x100, "small")
    with pytest.raises(NoMemory) as info:
        phys.reserve(0x900, "greedy")
    assert info.value.code == E_NOMEM
    text = str(info.value)
    assert "greedy" in text and str(0x900) in text and str(0x700) in text


def test_view_is_shared_and_bounds_checked(phys: PhysicalMemory) -> None:
    region = phys.reserve(0x40, "buf")
    phys.view(region.base, 4)[:] = b"osvm"
    assert phys.ram[0:4] == b"osvm"
    assert len(phys.view(RAM_BASE + 0xFF0, 0x10)) == 0x10
    with pytest.raises(ParameterError, match="0xc000ff0-0xc001010 outside RAM 0xc000000-0xc001000"):
        phys.view(RAM_BASE + 0xFF0, 0x20)
    with pytest.raises(ParameterError, match="outside RAM"):
        phys.view(RAM_BASE - 1, 1)


def test_bad_reserve_parameters(phys: PhysicalMemory) -> None:
    with pytest.raises(ParameterError):
        phys.reserve(0, "nothing")
    with pytest.raises(ParameterError):
        phys.reserve(8, "odd", align=3)


def test_region_hosts_a_variable_pool(phys: PhysicalMemory) -> None:
    region = phys.reserve(0x200, "mpl1")
    pool = VariablePool(phys.ram_view, phys.ram_base, region.base, region.size,
                        FirstFit(region.base, region.size))
    user = pool.try_get(10)
    pool.view(user)[:] = b"0123456789"
    assert bytes(phys.view(user, 10)) == b"0123456789"
