"""The store: every instance the engine created, the registry imports resolve against, and policy.

The spec's store is the set of all runtime objects; here Python objects hold
each other directly, so the store keeps what crosses instances: named
registrations (``register("spectest", {...})``) that later modules import
from, the call-depth limit, and the memory hooks a host (the OS) sets to put
linear memories into its own RAM or to cap their growth.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..types import MemoryType
from .instance import Extern, Instance
from .memory import Allocate, GrowLimit, Memory, Release


@dataclass
class Store:
    registry: dict[str, dict[str, Extern]] = field(default_factory=dict)
    instances: list[Instance] = field(default_factory=list)
    max_call_depth: int = 10000
    grow_limit: GrowLimit | None = None
    allocate: Allocate | None = None
    release: Release | None = None
    resolver: Callable[[str, str], Extern | None] | None = None

    def register(self, name: str, exports: dict[str, Extern] | Instance) -> None:
        """Make ``exports`` importable under module name ``name``."""
        self.registry[name] = dict(exports.exports if isinstance(exports, Instance) else exports)

    def resolve(self, module: str, name: str) -> Extern | None:
        found = self.registry.get(module, {}).get(name)
        if found is None and self.resolver is not None:
            found = self.resolver(module, name)
        return found

    def new_memory(self, mtype: MemoryType) -> Memory:
        return Memory(mtype.limits, limit=self.grow_limit, allocate=self.allocate, release=self.release)
