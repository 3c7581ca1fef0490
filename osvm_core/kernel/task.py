"""Tasks: the unit of execution, with μITRON 4.0 states and a stack of VM frames.

A cross-VM call pushes a frame in the callee VM under the same task (migrating
threads), so the callee is scheduled, preempted and accounted as that task.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..errors import OsvmError
    from ..names.tree import Entry
    from ..vm import VM
    from .domain import Domain
    from .wait import Wait


class TaskState(enum.Enum):
    DORMANT = "dormant"
    READY = "ready"
    RUNNING = "running"
    WAITING = "waiting"
    SUSPENDED = "suspended"
    WAITING_SUSPENDED = "waiting-suspended"


RUNNABLE = (TaskState.READY, TaskState.RUNNING)


@dataclass(eq=False, slots=True)
class Frame:
    """One activation of an entry in one VM; ``context`` is the VM's own state for it."""

    vm: VM
    context: Any
    entry: Entry | None = None


@dataclass(eq=False)
class Task:
    id: int
    name: str
    domain: Domain
    entry: Entry | None
    base_priority: int
    args: tuple[Any, ...] = ()
    daemon: bool = False            # kernel-side helpers: not waited for at halt
    attrs: dict[str, Any] = field(default_factory=dict)  # policy attributes (deadline, tickets, ...)
    state: TaskState = TaskState.DORMANT
    priority: int = 0
    frames: list[Frame] = field(default_factory=list)
    wait: Wait | None = None
    wakeups: int = 0                # queued wake-up requests (wup_tsk)
    activations: int = 0            # queued activation requests (act_tsk)
    suspends: int = 0               # nesting of sus_tsk
    mutexes: list[Any] = field(default_factory=list)  # mutexes held, in lock order (kernel/mutex.py)
    exit_code: int | None = None
    result: Any = None              # what the entry returned (osvm exec --invoke prints it)
    fault: OsvmError | None = None
    # accounting
    cycles: int = 0
    switches: int = 0
    waits: int = 0
    wait_cycles: int = 0
    started_at: int | None = None
    ended_at: int | None = None
    first_run_at: int | None = None
    picked_at: int = 0              # cycle it was last dispatched or made ready (the watchdog reads it)
    home: str = ""                  # its VM's name when that differs from its domain's (flat mode)

    def __post_init__(self) -> None:
        self.priority = self.base_priority

    @property
    def vm_name(self) -> str:
        return self.home or self.domain.name

    def __repr__(self) -> str:
        return f"<Task {self.id} {self.name} {self.state.value}>"
