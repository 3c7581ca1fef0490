"""Name → factory tables built from the registration hooks.

Each plugin's hook implementation is called with its own ``register``
callable, so every name is known together with the distribution that
registered it: a duplicate is refused naming both distributions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .plugins import PluginError, PluginInfo, PluginSet

KINDS = {
    "hal": "osvm_register_hals",
    "vm": "osvm_register_vms",
    "scheduler": "osvm_register_schedulers",
    "allocator": "osvm_register_allocators",
}


@dataclass(frozen=True)
class Registration:
    kind: str
    name: str
    factory: Callable[..., Any]
    plugin: str
    distribution: str


@dataclass
class Registry:
    """Everything the loaded plugins registered, by kind and name."""

    tables: dict[str, dict[str, Registration]] = field(default_factory=lambda: {k: {} for k in KINDS})

    def get(self, kind: str, name: str) -> Registration:
        table = self.tables[kind]
        if name not in table:
            known = ", ".join(sorted(table)) or "none"
            raise PluginError(f"no {kind} named '{name}' is installed (installed: {known})")
        return table[name]

    def names(self, kind: str) -> list[str]:
        return sorted(self.tables[kind])

    def create(self, kind: str, name: str, *args: Any, **kwargs: Any) -> Any:
        return self.get(kind, name).factory(*args, **kwargs)


def _registrar(registry: Registry, kind: str, plugin: str, dist: str,
               info: PluginInfo | None) -> Callable[[str, Callable[..., Any]], None]:
    """The ``register`` callable one plugin receives for one kind."""

    def register(name: str, factory: Callable[..., Any]) -> None:
        table = registry.tables[kind]
        if name in table:
            first = table[name]
            raise PluginError(
                f"{kind} '{name}' is registered twice: by plugin '{first.plugin}' "
                f"({first.distribution}) and by plugin '{plugin}' ({dist})")
        table[name] = Registration(kind, name, factory, plugin, dist)
        if info is not None:
            info.registers.setdefault(kind, []).append(name)

    return register


def build_registry(plugins: PluginSet) -> Registry:
    """Call every registration hook plugin by plugin and collect the names."""
    registry = Registry()
    for info in plugins.infos.values():
        info.registers = {}
    for kind, hook_name in KINDS.items():
        caller = getattr(plugins.manager.hook, hook_name)
        # sorted by plugin name, so reports and duplicate messages do not depend on load order
        for impl in sorted(caller.get_hookimpls(), key=lambda i: i.plugin_name):
            info = plugins.infos.get(impl.plugin_name)
            register = _registrar(registry, kind, impl.plugin_name, info.distribution if info else "?", info)
            kwargs = {"register": register}
            impl.function(*[kwargs[arg] for arg in impl.argnames])
    return registry
