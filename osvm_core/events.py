"""What a VM's ``run`` hands back to the kernel: one small dataclass per kind.

(Slotted but not frozen: they are made on every dispatch, and frozen ones cost twice as much.)

A VM runs a task's top frame for at most a budget of cycles (it may overshoot
by the cost of one instruction, as a real CPU finishes the instruction before
taking an interrupt) and then stops with exactly one of these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import OsvmError
    from .names.binding import Binding


@dataclass(slots=True)
class Preempted:
    """The budget is spent; the frame can be resumed where it stopped."""

    used: int


@dataclass(slots=True)
class Call:
    """The frame calls an entry: an ``/os`` service (a system call) or another module's export.

    ``args`` are universal values (Python values that match the entry's signature).
    The kernel answers later through ``VM.deliver`` or ``VM.fail``.
    """

    used: int
    target: Binding
    args: tuple[Any, ...]


@dataclass(slots=True)
class Returned:
    """The frame's entry returned ``value`` (a universal value, ``None`` for no result)."""

    used: int
    value: Any = None


@dataclass(slots=True)
class Exited:
    """The task ends with an exit code, whatever frames it still has."""

    used: int
    code: int = 0


@dataclass(slots=True)
class Fault:
    """The guest did something illegal; the task ends with a report."""

    used: int
    error: OsvmError


Event = Preempted | Call | Returned | Exited | Fault
