"""The plugin manager: built-ins as plugins, entry points, broken and duplicate plugins."""

from __future__ import annotations

import types

import pytest

from osvm_core import plugins as plugins_module
from osvm_core.hookspecs import hookimpl
from osvm_core.plugins import PluginError, load_plugins, new_manager
from osvm_core.registry import build_registry


class FakeDist:
    def __init__(self, name: str, version: str = "1.0") -> None:
        self.name = name
        self.version = version


class FakeEntryPoint:
    """Stands in for an importlib.metadata entry point."""

    def __init__(self, name: str, dist: str, loader) -> None:
        self.name = name
        self.dist = FakeDist(dist)
        self._loader = loader

    def load(self):
        return self._loader()


def _plugin_module(name: str, **hooks) -> types.ModuleType:
    module = types.ModuleType(name)
    for hook_name, function in hooks.items():
        setattr(module, hook_name, hookimpl(function))
    return module


@pytest.fixture
def fake_entry_points(monkeypatch):
    """Replace the installed entry points with a list the test controls."""
    points: list[FakeEntryPoint] = []
    monkeypatch.setattr(plugins_module.importlib_metadata, "entry_points",
                        lambda group: list(points) if group == "osvm" else [])
    monkeypatch.delenv(plugins_module.LOAD_ENV, raising=False)
    monkeypatch.delenv(plugins_module.STRICT_ENV, raising=False)
    return points


def _vm_plugin(kind: str):
    def osvm_register_vms(register):
        register(kind, lambda name, options=None: None)
    return _plugin_module(f"plugin_{kind}", osvm_register_vms=osvm_register_vms)


def test_builtins_are_registered_as_ordinary_plugins(fake_entry_points):
    plugin_set = load_plugins()
    registry = build_registry(plugin_set)
    assert {"schedulers", "allocators", "commands"} <= set(plugin_set.infos)
    assert all(info.distribution == "osvm-core" for info in plugin_set.infos.values())
    assert registry.names("scheduler") == ["priority", "round-robin"]
    assert registry.names("allocator") == ["first-fit"]
    assert sorted(plugin_set.infos["schedulers"].registers["scheduler"]) == ["priority", "round-robin"]
    build_registry(plugin_set)  # building again does not count names twice
    assert len(plugin_set.infos["schedulers"].registers["scheduler"]) == 2


def test_entry_point_plugins_load_with_their_distribution(fake_entry_points):
    fake_entry_points.append(FakeEntryPoint("vm-toy", "osvm-vm-toy", lambda: _vm_plugin("toy")))
    plugin_set = load_plugins()
    registry = build_registry(plugin_set)
    assert registry.get("vm", "toy").distribution == "osvm-vm-toy"
    assert plugin_set.infos["vm-toy"].registers == {"vm": ["toy"]}


def test_a_plugin_that_fails_to_import_is_reported_and_skipped(fake_entry_points, capsys):
    def broken():
        raise ImportError("No module named 'missing_dependency'")

    fake_entry_points.append(FakeEntryPoint("vm-broken", "osvm-vm-broken", broken))
    fake_entry_points.append(FakeEntryPoint("vm-toy", "osvm-vm-toy", lambda: _vm_plugin("toy")))
    plugin_set = load_plugins()
    assert "vm-toy" in plugin_set.infos and "vm-broken" not in plugin_set.infos
    assert [p.name for p in plugin_set.problems] == ["vm-broken"]
    err = capsys.readouterr().err
    assert "vm-broken" in err and "osvm-vm-broken" in err and "missing_dependency" in err


def test_strict_mode_makes_a_broken_plugin_fatal(fake_entry_points, monkeypatch):
    def broken():
        raise ImportError("nope")

    fake_entry_points.append(FakeEntryPoint("vm-broken", "osvm-vm-broken", broken))
    with pytest.raises(PluginError, match="vm-broken.*osvm-vm-broken.*nope"):
        load_plugins(strict=True)
    monkeypatch.setenv(plugins_module.STRICT_ENV, "1")
    with pytest.raises(PluginError):
        load_plugins()


def test_duplicate_registered_names_name_both_distributions(fake_entry_points):
    fake_entry_points.append(FakeEntryPoint("vm-one", "osvm-vm-one", lambda: _vm_plugin("toy")))
    fake_entry_points.append(FakeEntryPoint("vm-two", "osvm-vm-two", lambda: _vm_plugin("toy")))
    plugin_set = load_plugins()
    with pytest.raises(PluginError) as caught:
        build_registry(plugin_set)
    message = str(caught.value)
    assert "osvm-vm-one" in message and "osvm-vm-two" in message and "'toy'" in message


def test_duplicate_plugin_names_name_both_distributions(fake_entry_points):
    fake_entry_points.append(FakeEntryPoint("vm-toy", "osvm-vm-toy", lambda: _vm_plugin("toy")))
    fake_entry_points.append(FakeEntryPoint("vm-toy", "other-dist", lambda: _vm_plugin("toy2")))
    with pytest.raises(PluginError, match="osvm-vm-toy.*other-dist"):
        load_plugins()


def test_osvm_load_plugins_limits_which_entry_points_load(fake_entry_points, monkeypatch):
    loaded = []

    def loader(kind):
        def load():
            loaded.append(kind)
            return _vm_plugin(kind)
        return load

    fake_entry_points.append(FakeEntryPoint("vm-a", "a", loader("a")))
    fake_entry_points.append(FakeEntryPoint("vm-b", "b", loader("b")))
    monkeypatch.setenv(plugins_module.LOAD_ENV, "vm-b")
    plugin_set = load_plugins()
    assert loaded == ["b"]
    assert "vm-a" not in plugin_set.infos
    monkeypatch.setenv(plugins_module.LOAD_ENV, "")
    assert loaded == ["b"] and "vm-b" not in load_plugins().infos
    # the built-ins always load
    assert "schedulers" in load_plugins().infos


def test_a_misspelt_hook_is_caught_by_check_pending(fake_entry_points):
    module = types.ModuleType("typo")
    module.osvm_register_vm = hookimpl(lambda register: None)  # missing 's'
    fake_entry_points.append(FakeEntryPoint("typo", "osvm-typo", lambda: module))
    with pytest.raises(Exception, match="osvm_register_vm"):
        load_plugins()


def test_unknown_names_list_what_is_installed(fake_entry_points):
    registry = build_registry(load_plugins())
    with pytest.raises(PluginError, match="no scheduler named 'edf'.*priority, round-robin"):
        registry.get("scheduler", "edf")


def test_new_manager_has_every_hookspec():
    manager = new_manager()
    names = {name for name in dir(manager.hook) if name.startswith("osvm_")}
    assert {"osvm_register_hals", "osvm_register_vms", "osvm_register_schedulers",
            "osvm_register_allocators", "osvm_register_commands", "osvm_booted", "osvm_task_switched",
            "osvm_interrupt", "osvm_bind_requested", "osvm_fault", "osvm_halted"} <= names
