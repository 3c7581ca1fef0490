"""The VM-level scheduling policy interface.

A policy orders the ready tasks of one domain (one VM instance). The kernel
tells it what happens to its tasks and asks ``pick`` whenever it dispatches;
``pick`` must not remove the task (a preempted task stays where it was), so a
policy keeps its ready set until ``blocked`` or ``exited`` takes a task out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from ..kernel.task import Task


class SchedulingPolicy:
    """Base class: subclasses set ``name`` and implement the five methods."""

    name: ClassVar[str] = "abstract"

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.options = dict(options or {})

    def ready(self, task: Task) -> None:
        """``task`` became runnable (started, woken, resumed). Add it at its place."""
        raise NotImplementedError

    def blocked(self, task: Task) -> None:
        """``task`` stopped being runnable (waits, suspended). Remove it."""
        raise NotImplementedError

    def exited(self, task: Task) -> None:
        """``task`` ended. Remove it if present and forget it."""
        self.blocked(task)

    def pick(self) -> Task | None:
        """The task to run next, left in place; None when no task is ready."""
        raise NotImplementedError

    def tick(self, task: Task, used: int) -> bool:
        """``task`` ran ``used`` cycles. True: preempt it now (its slice is over)."""
        return False

    def remaining(self, task: Task) -> int | None:
        """Cycles ``task`` may still run before ``tick`` would preempt it; None: no limit."""
        return None

    def reprioritized(self, task: Task, old_priority: int) -> None:
        """``task``'s priority changed while ready; re-place it (default: remove and add)."""
        self.blocked(task)
        self.ready(task)

    def rotate(self, task: Task) -> None:
        """``task`` gives up the processor but stays ready: put it behind its peers."""
        self.blocked(task)
        self.ready(task)

    def stats(self) -> dict[str, Any]:
        """Policy figures for reports (e.g. deadline misses)."""
        return {}
