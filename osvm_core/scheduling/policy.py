"""The VM-level scheduling policy interface.

A policy orders the ready tasks of one domain (one VM instance). The kernel
tells it what happens to its tasks and asks ``pick`` whenever it dispatches;
``pick`` must not remove the task (a preempted task stays where it was), so a
policy keeps its ready set until ``blocked`` or ``exited`` takes a task out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from ..kernel.task import Task


def _no_clock() -> int:
    return 0


class SchedulingPolicy:
    """Base class: subclasses set ``name`` and implement the five methods."""

    name: ClassVar[str] = "abstract"

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.options = dict(options or {})
        self.now: Callable[[], int] = _no_clock

    def attach(self, clock: Callable[[], int]) -> None:
        """The kernel installs the policy for a domain; ``clock()`` is the board's cycle count.

        Policies that need time (release times, deadlines, boosts) read ``self.now()``;
        before ``attach`` (a policy tested alone) it is always 0.
        """
        self.now = clock

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

    def reprioritized_at_head(self, task: Task, old_priority: int) -> None:
        """A mutex (inheritance, ceiling) changed ``task``'s priority while ready: put it first
        among its new peers (TOPPERS NGKI2018). Default: as ``reprioritized``."""
        self.reprioritized(task, old_priority)

    def rotate(self, task: Task) -> None:
        """``task`` gives up the processor but stays ready: put it behind its peers."""
        self.blocked(task)
        self.ready(task)

    def stats(self) -> dict[str, Any]:
        """Policy figures for reports (e.g. deadline misses)."""
        return {}
