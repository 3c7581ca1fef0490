"""Round-robin: ready tasks in arrival order, each runs a slice, then goes to the back."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import ParameterError
from .policy import SchedulingPolicy

if TYPE_CHECKING:
    from ..kernel.task import Task

DEFAULT_SLICE = 1000  # cycles a task runs before the next ready task of its domain


class RoundRobin(SchedulingPolicy):
    """FIFO ready queue with a time slice (``slice`` option, in cycles)."""

    name: ClassVar[str] = "round-robin"

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self.slice = int(self.options.pop("slice", DEFAULT_SLICE))
        if self.slice <= 0:
            raise ParameterError(f"round-robin slice must be a positive number of cycles, got {self.slice}")
        if self.options:
            raise ParameterError(f"round-robin: unknown options {sorted(self.options)} (known: slice)")
        self.queue: deque[Task] = deque()
        self.used = 0  # cycles the head task has run in its current slice

    def ready(self, task: Task) -> None:
        self.queue.append(task)

    def blocked(self, task: Task) -> None:
        if self.queue and self.queue[0] is task:
            self.queue.popleft()
            self.used = 0
        else:
            try:
                self.queue.remove(task)
            except ValueError:
                pass

    def pick(self) -> Task | None:
        return self.queue[0] if self.queue else None

    def tick(self, task: Task, used: int) -> bool:
        if not self.queue or self.queue[0] is not task:
            return False
        self.used += used
        if self.used < self.slice:
            return False
        self.used = 0
        self.queue.rotate(-1)
        return True

    def remaining(self, task: Task) -> int | None:
        return self.slice - self.used if self.queue and self.queue[0] is task else self.slice

    def rotate(self, task: Task) -> None:
        self.blocked(task)
        self.queue.append(task)
