"""The plugin registers the board as the HAL "virt" through the osvm hook specs."""

import importlib.metadata

import pluggy

from osvm_hal_virt import VirtBoard, plugin


def test_hook_registers_virt():
    registered = {}
    plugin.osvm_register_hals(register=lambda name, factory: registered.setdefault(name, factory))
    assert registered == {"virt": VirtBoard}


def test_plugin_answers_the_hook_through_pluggy():
    from osvm_core import hookspecs

    manager = pluggy.PluginManager("osvm")
    manager.add_hookspecs(hookspecs)
    manager.register(plugin, name="hal-virt")
    manager.check_pending()
    registered = []
    manager.hook.osvm_register_hals(register=lambda name, factory: registered.append((name, factory)))
    assert registered == [("virt", VirtBoard)]
    board = registered[0][1]({"ram": "1K"})
    assert len(board.ram) == 1024


def test_entry_point_is_declared():
    points = importlib.metadata.entry_points(group="osvm")
    ours = [ep for ep in points if ep.name == "hal-virt"]
    assert [ep.value for ep in ours] == ["osvm_hal_virt.plugin"]
