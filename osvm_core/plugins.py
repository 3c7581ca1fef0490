"""Finding and loading plugins: built-ins first, then the ``osvm`` entry points.

Every feature, the core's own defaults included, arrives through the same hook
specs, so the built-ins are registered exactly like third-party plugins.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from importlib import import_module

import importlib_metadata
import pluggy

from . import __version__, hookspecs
from .errors import OsvmError

ENTRY_POINT_GROUP = "osvm"
LOAD_ENV = "OSVM_LOAD_PLUGINS"      # comma-separated plugin names to load; empty: none
STRICT_ENV = "OSVM_STRICT_PLUGINS"  # "1": a plugin that fails to import is fatal

#: The core's built-in plugins (module paths), registered like any other plugin.
BUILTIN_PLUGINS = (
    "osvm_core.builtins.schedulers",
    "osvm_core.builtins.allocators",
    "osvm_core.builtins.commands",
)


class PluginError(OsvmError):
    """A plugin could not be loaded or clashes with another one."""


@dataclass
class PluginInfo:
    """What ``osvm plugins`` reports about one plugin."""

    name: str
    distribution: str
    version: str
    module: str
    builtin: bool = False
    registers: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class LoadProblem:
    """A plugin that was reported and skipped."""

    name: str
    distribution: str
    error: str


def new_manager() -> pluggy.PluginManager:
    """A plugin manager with the osvm hook specs and nothing registered (tests start here)."""
    manager = pluggy.PluginManager("osvm")
    manager.add_hookspecs(hookspecs)
    return manager


@dataclass
class PluginSet:
    """A loaded plugin manager plus what was learnt while loading it."""

    manager: pluggy.PluginManager
    infos: dict[str, PluginInfo] = field(default_factory=dict)
    problems: list[LoadProblem] = field(default_factory=list)

    def register(self, plugin: object, name: str, distribution: str, version: str,
                 builtin: bool = False) -> None:
        self.manager.register(plugin, name=name)
        module = getattr(plugin, "__name__", type(plugin).__name__)
        self.infos[name] = PluginInfo(name, distribution, version, module, builtin)


def _wanted(name: str) -> bool:
    if LOAD_ENV not in os.environ:
        return True
    allowed = {part.strip() for part in os.environ[LOAD_ENV].split(",") if part.strip()}
    return name in allowed


def load_plugins(*, strict: bool | None = None, entry_points: bool = True,
                 extra: tuple[tuple[str, object], ...] = ()) -> PluginSet:
    """Register the built-ins, then every ``osvm`` entry point (honouring ``OSVM_LOAD_PLUGINS``).

    A plugin that fails to import is reported and skipped, or raises PluginError
    in strict mode. ``extra`` adds (name, plugin) pairs, for tests and embedding.
    """
    if strict is None:
        strict = os.environ.get(STRICT_ENV, "") not in ("", "0")
    plugins = PluginSet(new_manager())
    for module_path in BUILTIN_PLUGINS:
        plugins.register(import_module(module_path), module_path.rsplit(".", 1)[-1],
                         "osvm-core", __version__, builtin=True)
    if entry_points:
        for ep in sorted(importlib_metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            dist = ep.dist.name if ep.dist else "?"
            version = ep.dist.version if ep.dist else "?"
            if not _wanted(ep.name):
                continue
            if plugins.manager.has_plugin(ep.name):
                other = plugins.infos[ep.name].distribution
                raise PluginError(f"plugin name '{ep.name}' is used by both {other} and {dist}")
            try:
                module = ep.load()
            except Exception as exc:  # a broken plugin must not take the others down
                problem = LoadProblem(ep.name, dist, f"{type(exc).__name__}: {exc}")
                if strict:
                    raise PluginError(f"plugin '{ep.name}' from {dist} failed to import: {problem.error}") from exc
                plugins.problems.append(problem)
                print(f"osvm: warning: skipped plugin '{ep.name}' from {dist}: {problem.error}",
                      file=sys.stderr)
                continue
            plugins.register(module, ep.name, dist, version)
    for name, plugin in extra:
        plugins.register(plugin, name, "(embedded)", "-")
    plugins.manager.check_pending()
    return plugins
