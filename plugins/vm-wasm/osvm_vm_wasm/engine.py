"""The engine's front door: load (decode + validate), instantiate, invoke, spawn threads.

Everything here works on *raw* values (unsigned ints; floats as bit
patterns, see ``exec.values``) so results are exact; ``to_python`` and
``from_python`` convert at the edges.
"""

from __future__ import annotations

from collections.abc import Sequence

from .binary import decode_module
from .errors import Trap
from .exec import Finished, HostCall, Thread, Trapped, new_thread
from .exec.events import Event
from .module import Module
from .runtime import Extern, HostFunction, Instance, Store, WasmFunction, instantiate
from .valid import validate_module


def load(data: bytes) -> Module:
    """Decode and validate a binary module (raises ``LoadError`` / ``ValidationError``)."""
    module = decode_module(data)
    validate_module(module)
    return module


class Engine:
    """A store plus the operations on it; one per VM (or per spec script)."""

    def __init__(self, store: Store | None = None) -> None:
        self.store = store or Store()

    def instantiate(self, module: Module, *, run_start: bool = True) -> Instance:
        """Link and initialise ``module``; run its start function synchronously unless told not to.

        A trapping start function raises ``Trap`` after the segments were written.
        """
        inst = instantiate(module, self.store.resolve, memory_factory=self.store.new_memory)
        self.store.instances.append(inst)
        if run_start and inst.start is not None:
            self.call(inst.start, ())
        return inst

    def thread(self, func: WasmFunction | HostFunction, args: Sequence[int] = (), *,
               inline_host: bool = False) -> Thread:
        """A step machine for ``func(*args)``; drive it with ``run(budget)``."""
        return new_thread(func, tuple(args), max_depth=self.store.max_call_depth, inline_host=inline_host)

    def call(self, func: WasmFunction | HostFunction, args: Sequence[int] = (),
             budget: int = 1 << 62) -> tuple[int, ...]:
        """Run ``func`` to completion (host imports called synchronously); raise ``Trap`` on a trap."""
        t = new_thread(func, tuple(args), max_depth=self.store.max_call_depth, inline_host=True)
        while True:
            ev: Event = t.run(budget)
            if isinstance(ev, Finished):
                return ev.results
            if isinstance(ev, Trapped):
                raise ev.error
            if isinstance(ev, HostCall):
                if ev.func.callable is None:
                    raise Trap(f"host function {ev.func.name!r} has no implementation")
                t.resume(tuple(ev.func.callable(*ev.args) or ()))

    def invoke(self, instance: Instance, name: str, args: Sequence[int] = ()) -> tuple[int, ...]:
        """Call the exported function ``name`` of ``instance``."""
        func = instance.export(name)
        if not isinstance(func, WasmFunction | HostFunction):
            raise TypeError(f"export {name!r} is not a function")
        return self.call(func, args)

    def get(self, instance: Instance, name: str) -> int:
        """Read the exported global ``name`` (raw value)."""
        return instance.export(name).value


__all__ = ["Engine", "Extern", "load"]
