"""The plugin registers the allocator "tlsf" through the osvm hooks, cheaply, and it meets the contract."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

import pluggy

from osvm_core.plugins import load_plugins
from osvm_core.registry import build_registry
from osvm_core.testing.conformance import AllocatorContract
from osvm_mem_tlsf import plugin
from osvm_mem_tlsf.tlsf import TLSF


def test_hook_registers_the_allocator() -> None:
    registered: dict[str, object] = {}
    plugin.osvm_register_allocators(register=lambda name, factory: registered.setdefault(name, factory))
    assert registered == {"tlsf": TLSF}


def test_plugin_answers_the_hook_through_pluggy() -> None:
    from osvm_core import hookspecs

    manager = pluggy.PluginManager("osvm")
    manager.add_hookspecs(hookspecs)
    manager.register(plugin, name="mem-tlsf")
    manager.check_pending()
    registered: list[tuple[str, object]] = []
    manager.hook.osvm_register_allocators(register=lambda name, factory: registered.append((name, factory)))
    assert registered == [("tlsf", TLSF)]


def test_registry_offers_it_beside_the_builtin_default() -> None:
    registry = build_registry(load_plugins(entry_points=False, extra=(("mem-tlsf", plugin),)))
    assert {"first-fit", "tlsf"} <= set(registry.names("allocator"))
    assert registry.get("allocator", "tlsf").plugin == "mem-tlsf"
    allocator = registry.create("allocator", "tlsf", 0x2000, 4096)
    assert isinstance(allocator, TLSF) and allocator.allocate(100) is not None


def test_entry_point_is_declared() -> None:
    points = importlib.metadata.entry_points(group="osvm")
    assert [ep.value for ep in points if ep.name == "mem-tlsf"] == ["osvm_mem_tlsf.plugin"]


def test_loading_the_plugin_does_not_import_the_allocator() -> None:
    code = ("import sys, osvm_mem_tlsf.plugin; "
            "print('osvm_mem_tlsf.tlsf' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


class TestContract(AllocatorContract):
    """The osvm conformance kit: what the kernel relies on."""

    @staticmethod
    def make(base: int, size: int) -> TLSF:
        return TLSF(base, size)
