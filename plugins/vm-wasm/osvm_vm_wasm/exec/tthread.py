"""The trampoline that runs translated functions (``exec.translate``) as one step machine.

``TranslatedThread`` has the interface of the interpreter's ``Thread``
(``run(budget)`` returning ``Finished``, ``Preempted``, ``Trapped`` or
``HostCall``; ``resume``; ``fail``; ``location``; ``backtrace``): the
guest's call stack is a Python list of generators, so a guest call is a
``yield`` to this loop, never a Python call, and the call-depth limit is
the same ``max_depth``.
"""

from __future__ import annotations

import struct

from ..errors import Exhaustion, Trap
from ..runtime.func import HostFunction, WasmFunction
from .events import Event, Finished, HostCall, Preempted, Trapped
from .machine import DEFAULT_MAX_DEPTH
from .translate import SlowBlock, translated

READY, HOST, DONE, DEAD = "ready", "host", "done", "dead"
_START, _FUEL, _REPLY = 0, 1, 2


class TranslatedThread:
    def __init__(self, func: WasmFunction, args: tuple[int, ...] | list[int] = (), *,
                 max_depth: int = DEFAULT_MAX_DEPTH, inline_host: bool = True) -> None:
        if len(args) != len(func.type.params):
            raise TypeError(f"expected {len(func.type.params)} arguments, got {len(args)}")
        self.func = func
        self.args = tuple(args)
        self.max_depth = max_depth
        self.inline_host = inline_host
        self.gens: list = []
        self.funcs: list[WasmFunction] = []
        self.cycles = 0
        self.status = READY
        self.pending: HostFunction | None = None
        self.results: tuple[int, ...] | None = None
        self.error: Trap | None = None
        self._pending_args: tuple[int, ...] = ()
        self._next = _START
        self._reply: tuple[int, ...] = ()
        self._where: list[tuple[int | None, int | None]] | None = None

    # -- answering host calls ------------------------------------------------
    def resume(self, results: tuple[int, ...] | list[int] = ()) -> None:
        if self.status != HOST or self.pending is None:
            raise RuntimeError("thread is not waiting for a host call")
        if len(results) != len(self.pending.type.results):
            raise TypeError(f"host call {self.pending.name!r} expects {len(self.pending.type.results)} results")
        self._reply = tuple(results)
        self._next = _REPLY
        self.pending = None
        self.status = READY

    def fail(self, error: Trap) -> None:
        if self.status != HOST:
            raise RuntimeError("thread is not waiting for a host call")
        self._where = self.backtrace()
        self.pending = None
        self.status = DEAD
        self.error = error
        self._close()

    # -- where the guest is --------------------------------------------------
    def describe(self) -> str:
        func, offset = self.location()
        return f"func {func} offset {offset}"

    def location(self) -> tuple[int | None, int | None]:
        return self.backtrace()[0]

    def backtrace(self) -> list[tuple[int | None, int | None]]:
        if self._where is not None:
            return self._where
        out = []
        for gen, func in zip(reversed(self.gens), reversed(self.funcs), strict=True):
            frame = gen.gi_frame
            at = frame.f_locals.get("at") if frame is not None else None
            out.append(_place(func, at))
        return out or [(None, None)]

    # -- the trampoline --------------------------------------------------------
    def run(self, budget: int) -> Event:
        status = self.status
        if status == HOST:
            return HostCall(0, self.pending, self._pending_args)
        if status == DONE:
            return Finished(0, self.results)
        if status == DEAD:
            return Trapped(0, self.error)
        gens = self.gens
        funcs = self.funcs
        fuel = budget
        if self._next == _START:
            gens.append((self.func.translated or translated(self.func))(fuel, *self.args))
            funcs.append(self.func)
            value = None
        elif self._next == _FUEL:
            if budget <= 0:
                return Preempted(0)
            value = fuel
        else:
            value = (fuel, self._reply)
        max_depth = self.max_depth
        while True:
            try:
                command = gens[-1].send(value)
            except StopIteration as stop:
                fuel, results = stop.value
                gens.pop()
                funcs.pop()
                if not gens:
                    self.status = DONE
                    self.results = results
                    return self._count(Finished(budget - fuel, results))
                value = (fuel, results)
                continue
            except Exception as error:  # noqa: BLE001 - sorted below: traps, or a bug re-raised
                return self._trapped(error, budget)
            if command[0] == 0:
                self._next = _FUEL
                return self._count(Preempted(budget - command[1]))
            _, fuel, f, args = command
            if f.__class__ is WasmFunction:
                if len(gens) > max_depth:
                    self._where = self.backtrace()
                    self.status = DEAD
                    self.error = Exhaustion()
                    self._close()
                    return self._count(Trapped(budget - fuel, self.error))
                gens.append((f.translated or translated(f))(fuel, *args))
                funcs.append(f)
                value = None
                continue
            if f.__class__ is SlowBlock:      # a block with too little fuel: one instruction at a time
                gens.append(f.generator()(fuel, *args))
                funcs.append(f.func)
                value = None
                continue
            if f.callable is not None and self.inline_host:
                value = (fuel, tuple(f.callable(*args) or ()))
                continue
            self.pending = f
            self._pending_args = args
            self.status = HOST
            return self._count(HostCall(budget - fuel, f, args))

    def _trapped(self, error: Exception, budget: int) -> Event:
        if isinstance(error, Trap):
            trap = error
        elif isinstance(error, struct.error):
            trap = Trap("out of bounds memory access")
        elif isinstance(error, RecursionError):  # pragma: no cover - guest calls do not recurse
            trap = Exhaustion()
        else:
            raise error
        fuel = budget
        at = None
        state = getattr(error, "wasm_state", None)
        if state is not None:
            at, pc, fuel, cost = state
            if cost:
                fuel += cost - (at - pc + 1)
        func = self.funcs.pop()
        self.gens.pop()
        self._where = [_place(func, at)] + self.backtrace()[: len(self.gens)]
        self._close()
        self.status = DEAD
        self.error = trap
        return self._count(Trapped(budget - fuel, trap))

    def _close(self) -> None:
        for gen in self.gens:
            gen.close()
        self.gens.clear()
        self.funcs.clear()

    def _count(self, event: Event) -> Event:
        self.cycles += event.used
        return event


def _place(func: WasmFunction, at: int | None) -> tuple[int | None, int | None]:
    code = func.code.compiled
    if code is None or at is None:
        return func.index, None
    offsets = code.offsets
    return func.index, (offsets[at] if offsets is not None and 0 <= at < len(offsets) else None)
