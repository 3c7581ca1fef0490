"""BestFit inside a real VariablePool over a bytearray, and selected by name in a system file."""

from __future__ import annotations

import random
import tomllib

import pytest

from osvm_core.errors import ParameterError
from osvm_core.memory.variable_pool import HEADER_SIZE, VariablePool
from osvm_core.plugins import load_plugins
from osvm_core.registry import build_registry
from osvm_mem_bestfit import plugin
from osvm_mem_bestfit.best_fit import BestFit

RAM_BASE = 0x0C00_0000
RAM_SIZE = 1 << 18


@pytest.mark.parametrize("offset, size", [(0, 1 << 16), (0x108, 100_000), (0x2008, (1 << 17) + 8)])
def test_pool_blocks_keep_their_contents_and_everything_comes_back(offset: int, size: int) -> None:
    ram = bytearray(RAM_SIZE)
    base = RAM_BASE + offset
    pool = VariablePool(memoryview(ram), RAM_BASE, base, size, BestFit(base, size))
    rng = random.Random(offset)
    live: dict[int, tuple[int, int]] = {}          # user address -> (size, fill byte)
    for step in range(1500):
        if live and rng.random() < 0.45:
            address = rng.choice(sorted(live))
            length, fill = live.pop(address)
            assert bytes(pool.view(address)) == bytes([fill]) * length, "a block was overwritten"
            assert pool.release(address) == length
            with pytest.raises(ParameterError):
                pool.release(address)               # double free caught by the header
            continue
        length = rng.choice([1, 7, 8, 24, 100, 500, 1000, 3000])
        address = pool.try_get(length)
        if address is None:
            continue
        assert address % 8 == 0 and base <= address - HEADER_SIZE
        assert address + length <= base + size
        fill = step % 251 + 1
        pool.view(address)[:] = bytes([fill]) * length
        live[address] = (length, fill)
        assert pool.size_of(address) == length
    assert pool.stats().live_bytes == sum(length + HEADER_SIZE for length, _ in live.values())
    for address, (length, fill) in live.items():
        assert bytes(pool.view(address)) == bytes([fill]) * length
        pool.release(address)
    stats = pool.stats()
    assert stats.live_bytes == 0 and stats.footprint == 0 and stats.internal_waste == 0
    assert stats.allocations == stats.releases
    assert pool.try_get(size - HEADER_SIZE) is not None


def test_pool_refuses_a_bad_pointer() -> None:
    ram = bytearray(RAM_SIZE)
    pool = VariablePool(memoryview(ram), RAM_BASE, RAM_BASE, 4096, BestFit(RAM_BASE, 4096))
    address = pool.try_get(40)
    with pytest.raises(ParameterError):
        pool.release(address + 8)
    pool.release(address)


SYSTEM = """
[system]
hal = "virt"
allocator = "best-fit"

[hal]
ram = "1MiB"

[[vm]]
name = "app"
kind = "python"
allocator = "best-fit"
memory = "64KiB"

[[pool]]
name = "buffers"
kind = "variable"
size = "16KiB"
allocator = "best-fit"
"""


def test_a_system_file_selects_it_for_a_vm_heap_and_a_pool() -> None:
    hal_virt = pytest.importorskip("osvm_hal_virt.plugin")
    vm_python = pytest.importorskip("osvm_vm_python.plugin")
    from osvm_core.system.build import build_system
    from osvm_core.system.spec import parse_system

    plugins = load_plugins(entry_points=False, extra=(
        ("hal-virt", hal_virt), ("vm-python", vm_python), ("mem-bestfit", plugin)))
    system = build_system(parse_system(tomllib.loads(SYSTEM)), plugins, build_registry(plugins))
    kernel = system.kernel
    assert isinstance(kernel.vm_heaps["app"].allocator, BestFit)
    buffers = kernel.objects.get("mpl", "buffers").pool
    assert isinstance(buffers.allocator, BestFit)
    address = buffers.try_get(1000)
    assert address is not None and buffers.size_of(address) == 1000
    buffers.release(address)
