"""The API a Python guest module uses: exports, imports, and system calls as requests.

A task is a generator function; every interaction with the OS is a value it
yields, and the value of the ``yield`` expression is the result::

    from osvm_vm_python.guest import export, need, sem, work, write

    add = need("/mod/calc/calc/add", "func(a: s32, b: s32) -> s32")

    @export("func()")
    def main():
        items = sem("items")            # a semaphore declared in the system file
        yield work(500)                 # compute for 500 cycles (preemptible)
        yield items.signal()
        total = yield add(2, 3)         # a call into another module, maybe another VM
        yield write(f"total {total}\\n")

Errors of the OS layer arrive as exceptions of ``osvm_core.errors`` raised at
the ``yield`` (e.g. ``Timeout`` for E_TMOUT); uncaught, they end the task with
a report. Nothing here runs a system call by itself: the VM does, when the
request is yielded, so these helpers are cheap to build and to test.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from osvm_core.errors import (
    Deleted,
    NoMemory,
    OsvmError,
    QueueOverflow,
    Timeout,
    WaitReleased,
)
from osvm_core.kernel.wait import TMO_FEVR, TMO_POL
from osvm_core.names.signature import Handle, parse_signature

__all__ = [
    "Deleted", "NoMemory", "OsvmError", "QueueOverflow", "Timeout", "WaitReleased",
    "TMO_FEVR", "TMO_POL", "Bound", "Mpf", "Mpl", "Mtx", "Port", "Request", "Sem", "TaskRef", "Work",
    "bind", "call", "delay", "delay_until", "exit", "export", "hz", "mpf", "mpl", "mtx", "need", "new_mpf", "new_mpl",
    "new_mtx", "new_port", "new_sem", "new_task", "now", "port", "random", "read_memory", "rotate", "self_task",
    "sem", "sleep", "task", "work", "write", "write_memory", "names",
]


# ---------------------------------------------------------------- what a task yields
# Slotted, not frozen: a task makes one of these per yield, and frozen ones cost twice as much.
@dataclass(slots=True)
class Work:
    """Compute for ``cycles`` cycles; the VM may preempt in the middle."""

    cycles: int


@dataclass(slots=True)
class Request:
    """Call the entry at ``path`` (or an already bound entry) with universal ``args``."""

    path: str
    args: tuple[Any, ...] = ()
    binding: Any = None


def work(cycles: int) -> Work:
    if type(cycles) is not int or cycles < 0:
        raise ValueError(f"work() takes a whole number of cycles >= 0, got {cycles!r}")
    return Work(cycles)


def _ref(value: Any) -> Any:
    return value.ref if isinstance(value, _ObjectRef) else value


def _request(path: str, *args: Any) -> Request:
    return Request(path, tuple(_ref(a) for a in args))


# ---------------------------------------------------------------- exports and imports
@dataclass
class Declaration:
    """What a module declares while it loads (collected by the VM's loader)."""

    imports: list[Any] = field(default_factory=list)


_loading: ContextVar[Declaration | None] = ContextVar("osvm_python_loading", default=None)


def export(signature: str, *, name: str | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Publish the decorated function under /mod/<vm>/<module>/<name> with ``signature``."""
    parse_signature(signature)  # a bad signature fails at load, naming the text

    def mark(function: Callable[..., Any]) -> Callable[..., Any]:
        function.__osvm_export__ = (name or function.__name__, signature)  # type: ignore[attr-defined]
        return function

    return mark


class Bound:
    """A callable bound entry: ``result = yield entry(args...)``."""

    def __init__(self, path: str, signature: str | None, binding: Any = None) -> None:
        self.path = path
        self.signature = signature
        self.binding = binding

    def __call__(self, *args: Any) -> Request:
        if self.binding is None:
            raise RuntimeError(f"{self.path} is not bound yet (imports are bound when the system links)")
        return Request(self.path, tuple(_ref(a) for a in args), self.binding)

    def __repr__(self) -> str:
        return f"<Bound {self.path}>"


def need(path: str, signature: str) -> Bound:
    """Declare an import at module level; the OS binds it (grants, signature) at link time."""
    declaration = _loading.get()
    if declaration is None:
        raise RuntimeError("need() declares an import while a module loads; use bind() inside a task")
    parse_signature(signature)
    bound = Bound(path, signature)
    declaration.imports.append(bound)
    return bound


def bind(path: str, signature: str = "") -> Request:
    """Bind an entry at run time: ``f = yield bind(path, sig)`` gives a Bound."""
    return _request("/os/names/bind", path, signature)


def call(entry: Bound, *args: Any) -> Request:
    return entry(*args)


def names(path: str) -> Request:
    """``children = yield names('/mod')``: (name, kind, signature) triples."""
    return _request("/os/names/list", path)


# ---------------------------------------------------------------- kernel objects
class _ObjectRef:
    kind = "?"

    def __init__(self, ref: Any) -> None:
        self.ref = ref   # a Handle, an id or a name

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.ref}>"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.ref == self.ref  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((self.kind, self.ref))


class Sem(_ObjectRef):
    kind = "sem"

    def wait(self, timeout: int = TMO_FEVR) -> Request:
        return Request("/os/sem/wait", (self.ref, timeout))

    def poll(self) -> Request:
        return Request("/os/sem/poll", (self.ref,))

    def signal(self) -> Request:
        return Request("/os/sem/signal", (self.ref,))

    def count(self) -> Request:
        return _request("/os/sem/count", self)

    def delete(self) -> Request:
        return _request("/os/sem/delete", self)


class Mtx(_ObjectRef):
    kind = "mtx"

    def lock(self, timeout: int = TMO_FEVR) -> Request:
        return Request("/os/mtx/lock", (self.ref, timeout))

    def poll(self) -> Request:
        return Request("/os/mtx/poll", (self.ref,))

    def unlock(self) -> Request:
        return Request("/os/mtx/unlock", (self.ref,))

    def holder(self) -> Request:
        """``t = yield m.holder()``: a TaskRef, or None when unlocked."""
        return _request("/os/mtx/holder", self)

    def delete(self) -> Request:
        return _request("/os/mtx/delete", self)


class Port(_ObjectRef):
    kind = "port"

    def send(self, message: Any, timeout: int = TMO_FEVR) -> Request:
        return Request("/os/port/send", (self.ref, _ref(message), timeout))

    def receive(self, timeout: int = TMO_FEVR) -> Request:
        return Request("/os/port/receive", (self.ref, timeout))

    def upcall(self, entry: str, priority: int = 1) -> Request:
        return _request("/os/port/upcall", self, entry, priority)

    def delete(self) -> Request:
        return _request("/os/port/delete", self)


class Mpf(_ObjectRef):
    kind = "mpf"

    def get(self, timeout: int = TMO_FEVR) -> Request:
        return _request("/os/mpf/get", self, timeout)

    def release(self, address: int) -> Request:
        return _request("/os/mpf/release", self, address)

    def free(self) -> Request:
        return _request("/os/mpf/free", self)

    def delete(self) -> Request:
        return _request("/os/mpf/delete", self)


class Mpl(_ObjectRef):
    kind = "mpl"

    def get(self, size: int, timeout: int = TMO_FEVR) -> Request:
        return _request("/os/mpl/get", self, size, timeout)

    def release(self, address: int) -> Request:
        return _request("/os/mpl/release", self, address)

    def delete(self) -> Request:
        return _request("/os/mpl/delete", self)


class TaskRef(_ObjectRef):
    kind = "task"

    def activate(self) -> Request:
        return _request("/os/task/activate", self)

    def terminate(self) -> Request:
        return _request("/os/task/terminate", self)

    def suspend(self) -> Request:
        return _request("/os/task/suspend", self)

    def resume(self) -> Request:
        return _request("/os/task/resume", self)

    def wakeup(self) -> Request:
        return _request("/os/task/wakeup", self)

    def release_wait(self) -> Request:
        return _request("/os/task/release_wait", self)

    def set_priority(self, priority: int) -> Request:
        return _request("/os/task/set_priority", self, priority)

    def priority(self) -> Request:
        return _request("/os/task/get_priority", self)

    def state(self) -> Request:
        return _request("/os/task/state", self)


HANDLE_CLASSES: dict[str, type[_ObjectRef]] = {
    cls.kind: cls for cls in (Sem, Mtx, Port, Mpf, Mpl, TaskRef)
}


def lift_handle(handle: Handle) -> Any:
    """How the VM shows a handle to a guest: as the matching object class."""
    cls = HANDLE_CLASSES.get(handle.kind)
    return cls(handle) if cls else handle


def sem(name: str) -> Sem:
    """A semaphore declared in the system file (no system call until used)."""
    return Sem(name)


def mtx(name: str) -> Mtx:
    """A mutex declared in the system file (no system call until used)."""
    return Mtx(name)


def port(name: str) -> Port:
    """A port by name: 'timer0' is the timer line's port /dev/timer0."""
    return Port(name.removeprefix("/dev/"))


def mpf(name: str) -> Mpf:
    return Mpf(name)


def mpl(name: str) -> Mpl:
    return Mpl(name)


def task(name: str) -> TaskRef:
    return TaskRef(name)


def new_sem(count: int = 0, maximum: int = 1, order: str = "fifo") -> Request:
    """``s = yield new_sem(0, 8)`` creates a semaphore (gives a Sem)."""
    return _request("/os/sem/create", count, maximum, order)


def new_mtx(protocol: str = "none", ceiling: int = 0, order: str = "") -> Request:
    """``m = yield new_mtx('inherit')`` or ``new_mtx('ceiling', 2)`` creates a mutex (gives a Mtx)."""
    return _request("/os/mtx/create", protocol, ceiling, order)


def new_port(capacity: int) -> Request:
    return _request("/os/port/create", capacity)


def new_mpf(block: int, count: int, order: str = "fifo") -> Request:
    return _request("/os/mpf/create", block, count, order)


def new_mpl(size: int, order: str = "fifo") -> Request:
    return _request("/os/mpl/create", size, order)


def new_task(name: str, entry: str, priority: int = 1) -> Request:
    """``t = yield new_task('w', '/mod/py0/m/worker', 3)``; then ``yield t.activate()``."""
    return _request("/os/task/create", name, entry, priority)


# ---------------------------------------------------------------- the calling task, time, console
def self_task() -> Request:
    return _request("/os/task/self")


def exit(code: int = 0) -> Request:  # noqa: A001 - the μITRON name, scoped to this module
    """End the calling task with ``code``."""
    return _request("/os/task/exit", code)


def sleep(timeout: int = TMO_FEVR) -> Request:
    return _request("/os/task/sleep", timeout)


def delay(cycles: int) -> Request:
    return _request("/os/task/delay", cycles)


def delay_until(cycle: int) -> Request:
    """Wait until the board clock reaches ``cycle`` (a periodic task's next release)."""
    return _request("/os/task/delay_until", cycle)


def rotate() -> Request:
    return _request("/os/task/rotate")


def now() -> Request:
    return _request("/os/time/now")


def hz() -> Request:
    return _request("/os/time/hz")


def random(bound: int) -> Request:
    return _request("/os/sys/random", bound)


def write(text: str) -> Request:
    """Text to the console."""
    return _request("/os/console/write", text)


def read_memory(address: int, size: int) -> Request:
    return _request("/os/mem/read", address, size)


def write_memory(address: int, data: bytes) -> Request:
    return _request("/os/mem/write", address, data)
