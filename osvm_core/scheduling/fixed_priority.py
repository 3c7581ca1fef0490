"""Fixed priority with μITRON semantics: smaller number runs first, FIFO within a level.

A preempted task keeps its place at the head of its level; a task whose
priority changes goes to the tail of its new level; ``rotate`` (rot_rdq)
moves the running task behind its peers. There is no time slicing.
"""

from __future__ import annotations

from bisect import insort
from collections import deque
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import ParameterError
from .policy import SchedulingPolicy

if TYPE_CHECKING:
    from ..kernel.task import Task


class FixedPriority(SchedulingPolicy):
    """One FIFO queue per priority level; ``pick`` takes the head of the best level."""

    name: ClassVar[str] = "priority"

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        if self.options:
            raise ParameterError(f"priority: unknown options {sorted(self.options)} (none are taken)")
        self.levels: dict[int, deque[Task]] = {}
        self.nonempty: list[int] = []  # sorted priorities that have ready tasks
        self.where: dict[int, int] = {}  # task id -> level it is queued at

    def ready(self, task: Task) -> None:
        level = task.priority
        queue = self.levels.get(level)
        if queue is None:
            queue = self.levels[level] = deque()
        if not queue:
            insort(self.nonempty, level)
        queue.append(task)
        self.where[task.id] = level

    def blocked(self, task: Task) -> None:
        level = self.where.pop(task.id, None)
        if level is None:
            return
        queue = self.levels[level]
        if queue[0] is task:
            queue.popleft()
        else:
            queue.remove(task)
        if not queue:
            self.nonempty.remove(level)

    def pick(self) -> Task | None:
        return self.levels[self.nonempty[0]][0] if self.nonempty else None

    def reprioritized_at_head(self, task: Task, old_priority: int) -> None:
        """A mutex changed ``task``'s priority: it goes first among its new level (TOPPERS NGKI2018)."""
        self.blocked(task)
        self.ready(task)
        queue = self.levels[task.priority]
        if len(queue) > 1 and queue[-1] is task:
            queue.pop()
            queue.appendleft(task)
