"""What ``Thread.run`` returns: exactly one of these small records per call.

``used`` is the number of cycles (executed instructions, see the cost model
in the README) spent during that ``run`` call.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Trap
from ..runtime.func import HostFunction


@dataclass(frozen=True, slots=True)
class Finished:
    """The entry function returned; ``results`` are raw values (see ``exec.values``)."""

    used: int
    results: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Preempted:
    """The budget ran out; ``run`` again to continue exactly where it stopped."""

    used: int


@dataclass(frozen=True, slots=True)
class Trapped:
    """The guest trapped (or exhausted the call stack); the thread is dead."""

    used: int
    error: Trap


@dataclass(frozen=True, slots=True)
class HostCall:
    """The guest called a host import; answer with ``Thread.resume(results)`` (or ``fail``)."""

    used: int
    func: HostFunction
    args: tuple[int, ...]


Event = Finished | Preempted | Trapped | HostCall
