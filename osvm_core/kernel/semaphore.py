"""Counting and binary semaphores with μITRON semantics (sig_sem, wai_sem, pol_sem, twai_sem)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import Deleted, ParameterError, QueueOverflow, Timeout
from .wait import TMO_POL, WaitQueue

if TYPE_CHECKING:
    from .kernel import Kernel
    from .task import Task


class Semaphore:
    """``count`` resources, at most ``maximum``; a binary semaphore has maximum 1."""

    kind = "sem"

    def __init__(self, kernel: Kernel, name: str | None, count: int, maximum: int,
                 order: str = "fifo", owner: str = "os") -> None:
        if not isinstance(maximum, int) or maximum < 1:
            raise ParameterError(f"semaphore maximum must be an integer >= 1, got {maximum!r}")
        if not isinstance(count, int) or not 0 <= count <= maximum:
            raise ParameterError(f"semaphore count must be between 0 and its maximum {maximum}, got {count!r}")
        self.kernel = kernel
        self.name = name
        self.count = count
        self.initial = count
        self.maximum = maximum
        self.owner = owner
        self.queue = WaitQueue(order, f"sem {name}")
        self.id = kernel.objects.add("sem", self, name)
        self.reason = f"sem {self.label}"   # made once: blocking waits are a hot path

    @property
    def label(self) -> str:
        return self.name or f"#{self.id}"

    def wait(self, task: Task, timeout: int) -> object:
        if self.count > 0:
            self.count -= 1
            return None
        if timeout == TMO_POL:
            raise Timeout(f"sem {self.label} has no resource")
        return self.kernel.wait(task, self.queue, timeout, self.reason)

    def signal(self) -> None:
        waiter = self.queue.first()
        if waiter is not None:
            self.kernel.release(waiter, None)
        elif self.count < self.maximum:
            self.count += 1
        else:
            raise QueueOverflow(f"sem {self.label} is already at its maximum count {self.maximum}")

    def delete(self) -> None:
        while self.queue:
            self.kernel.release(self.queue.first(), error=Deleted(f"sem {self.label} was deleted"))
        self.kernel.objects.remove("sem", self.id)

    def stats(self) -> dict[str, object]:
        return {"sem": self.label, "count": self.count, "max": self.maximum, "waiting": len(self.queue)}
