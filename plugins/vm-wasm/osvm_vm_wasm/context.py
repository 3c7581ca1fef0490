"""A frame of the wasm VM and what its driver says to the VM's ``run`` loop.

Each call into a module (a task's entry or a call from another VM) is one
``WasmContext``. Its *driver* is a host-side generator that sequences the
call -- take the instance's lock, run the module's initialisation once, lower
the arguments (perhaps calling the module's allocator), run the function,
lift the result -- by yielding either a guest ``Thread`` to run or a
``KernelCall`` for the OS. Guest code itself only ever runs inside a
``Thread`` (an explicit-stack step machine), so guest calls never recurse in
Python; the driver is a few host steps around it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Generator

    from osvm_core.errors import OsvmError
    from osvm_core.names.binding import Binding

    from .exec.machine import Thread
    from .module_state import ModuleState


@dataclass(frozen=True, slots=True)
class KernelCall:
    """The driver asks the kernel to call ``binding`` (an /os service or another VM's entry)."""

    binding: Binding
    args: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Reply:
    """The kernel's answer to a KernelCall (``deliver``)."""

    value: Any


@dataclass(frozen=True, slots=True)
class Failure:
    """The kernel's failure answer to a KernelCall (``fail``)."""

    error: OsvmError


class ProcExit(Exception):  # noqa: N818 - a control transfer, not an error
    """WASI ``proc_exit``: the task ends with ``code``."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


# lock states of a context
FREE, WAITING, GRANTED, HELD = 0, 1, 2, 3


class _Handoff:
    def __repr__(self) -> str:
        return "HANDOFF"


#: a lock's owner while it is handed to a woken waiter that has not run yet
HANDOFF = _Handoff()


@dataclass(eq=False)
class InstanceLock:
    """One task at a time runs in an instance (nested calls by the same task are fine).

    C code keeps a shadow stack and globals in linear memory, so two tasks
    interleaving inside one instance would corrupt each other; the instance
    is therefore a monitor. Waiters queue FIFO on a kernel semaphore (they
    are WAITING, visible in traces and stats), and the lock is handed to the
    first waiter on release.
    """

    owner: Any = None
    depth: int = 0
    sem: Any = None


@dataclass(eq=False)
class WasmContext:
    state: ModuleState
    export: Any                          # the ExportProc being called
    args: tuple[Any, ...]
    driver: Generator[Any, Any, Any] | None = None
    thread: Thread | None = None         # the guest thread to run next, if any
    feed: Any = None                     # what to send the driver next (Reply / Failure / an engine event)
    lock: int = FREE
    last_error: int = 0                  # osvm.last_error: code of the last failed OS call
    threads: list[Thread] = field(default_factory=list)   # guest threads in progress, innermost last
    nesting: int = 0
