"""Waiting: wait queues in FIFO or priority order, and the record of one task's wait."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from typing import TYPE_CHECKING, Any

from ..errors import ParameterError

if TYPE_CHECKING:
    from .task import Task
    from .timers import TimeEvent

TMO_POL = 0    # poll: never wait
TMO_FEVR = -1  # wait forever

ORDERS = ("fifo", "priority")


def check_order(order: str) -> str:
    if order not in ORDERS:
        raise ParameterError(f"wait-queue order must be 'fifo' or 'priority', got {order!r}")
    return order


def check_timeout(timeout: int) -> int:
    if not isinstance(timeout, int) or timeout < TMO_FEVR:
        raise ParameterError(f"timeout must be cycles >= 0, or -1 for forever, got {timeout!r}")
    return timeout


class WaitQueue:
    """Tasks waiting on one object; ``priority`` order keeps FIFO among equal priorities."""

    _arrivals = count()

    def __init__(self, order: str = "fifo", what: str = "") -> None:
        self.order = check_order(order)
        self.what = what
        self._tasks: list[tuple[int, int, Task]] = []  # (priority or 0, arrival, task)
        self.on_reorder: Callable[[], None] | None = None  # the object re-serves its waiters

    def add(self, task: Task) -> None:
        key = task.priority if self.order == "priority" else 0
        entry = (key, next(self._arrivals), task)
        tasks = self._tasks
        position = len(tasks)
        while position > 0 and tasks[position - 1][0] > key:
            position -= 1
        tasks.insert(position, entry)

    def remove(self, task: Task) -> bool:
        for index, (_, _, queued) in enumerate(self._tasks):
            if queued is task:
                del self._tasks[index]
                return True
        return False

    def requeue(self, task: Task) -> None:
        """A waiting task's priority changed: move it to its new place (priority order only)."""
        if self.order == "priority" and self.remove(task):
            self.add(task)
            if self.on_reorder is not None:
                self.on_reorder()

    def first(self) -> Task | None:
        return self._tasks[0][2] if self._tasks else None

    def __len__(self) -> int:
        return len(self._tasks)

    def __bool__(self) -> bool:
        return bool(self._tasks)

    def __iter__(self):
        return iter([task for _, _, task in self._tasks])


@dataclass(slots=True)
class Wait:
    """Why and since when a task waits, and how to undo it."""

    reason: str                    # e.g. "sem items", "delay", "port /dev/timer0"
    queue: WaitQueue | None
    since: int
    timer: TimeEvent | None = None
    data: Any = None               # what the object needs to serve the waiter (size, message)
    on_cancel: Callable[[Task], None] | None = None  # object clean-up when the wait ends otherwise
