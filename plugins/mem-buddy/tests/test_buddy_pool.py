"""Buddy selected by name in a system file (the conformance kit runs it inside a VariablePool)."""

from __future__ import annotations

import tomllib

import pytest

from osvm_core.plugins import load_plugins
from osvm_core.registry import build_registry
from osvm_mem_buddy import plugin
from osvm_mem_buddy.buddy import Buddy

RAM_BASE = 0x0C00_0000
RAM_SIZE = 1 << 18


SYSTEM = """
[system]
hal = "virt"
allocator = "buddy"

[hal]
ram = "1MiB"

[[vm]]
name = "app"
kind = "python"
allocator = "buddy"
memory = "64KiB"

[[pool]]
name = "buffers"
kind = "variable"
size = "16KiB"
allocator = "buddy"
"""


def test_a_system_file_selects_it_for_a_vm_heap_and_a_pool() -> None:
    hal_virt = pytest.importorskip("osvm_hal_virt.plugin")
    vm_python = pytest.importorskip("osvm_vm_python.plugin")
    from osvm_core.system.build import build_system
    from osvm_core.system.spec import parse_system

    plugins = load_plugins(entry_points=False, extra=(
        ("hal-virt", hal_virt), ("vm-python", vm_python), ("mem-buddy", plugin)))
    system = build_system(parse_system(tomllib.loads(SYSTEM)), plugins, build_registry(plugins))
    kernel = system.kernel
    assert isinstance(kernel.vm_heaps["app"].allocator, Buddy)
    buffers = kernel.objects.get("mpl", "buffers").pool
    assert isinstance(buffers.allocator, Buddy)
    address = buffers.try_get(1000)
    assert address is not None and buffers.size_of(address) == 1000
    buffers.release(address)
