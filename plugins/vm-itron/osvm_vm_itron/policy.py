"""The ``itron`` scheduling policy: μITRON fixed priority that can hold dispatching.

It is the core's fixed-priority policy (FIFO within a level, a preempted task
keeps its place, a changed priority goes to the tail of its level) with two
additions the personality needs:

- ``running``: the task the policy last handed to the kernel. While an alarm or
  cyclic handler runs (in the kernel domain) the policy is not asked, so this
  stays the interrupted task: ASP3's "running task" (``TTS_RUN``).
- ``hold``: while dispatching is pending (``dis_dsp``, ``loc_cpu``, ``chg_ipm``
  with a raised mask) the held task keeps the processor even when a task of
  higher priority is ready; when the hold is lifted the next ``pick`` dispatches.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any, ClassVar

from osvm_core.kernel.task import RUNNABLE
from osvm_core.scheduling.fixed_priority import FixedPriority

if TYPE_CHECKING:
    from osvm_core.kernel.task import Task


class ItronPolicy(FixedPriority):
    name: ClassVar[str] = "itron"

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self.running: Task | None = None
        self.hold: Task | None = None

    def pick(self) -> Task | None:
        hold = self.hold
        if hold is not None and hold.state in RUNNABLE:
            task = hold
        else:
            task = self.levels[self.nonempty[0]][0] if self.nonempty else None
        self.running = task
        return task

    def current(self) -> Task | None:
        """The running task (TTS_RUN): the last one dispatched, while it can still run."""
        task = self.running
        return task if task is not None and task.state in RUNNABLE else None

    def position(self, task: Task) -> int:
        """1-based place of a ready task among the ready tasks of its priority (0 if not ready)."""
        level = self.where.get(task.id)
        if level is None:
            return 0
        return list(self.levels[level]).index(task) + 1

    def arrange(self, level: int, tasks: list[Task]) -> None:
        """Put the ready queue of ``level`` in exactly this order (the scenario runner's pre-state)."""
        queue = self.levels.get(level)
        if queue is None or sorted(t.id for t in queue) != sorted(t.id for t in tasks):
            raise ValueError(f"level {level} holds {list(queue or ())}, not {tasks}")
        self.levels[level] = deque(tasks)

    def rotate_level(self, level: int) -> None:
        """rot_rdq: the first ready task of ``level`` goes behind the others of its level."""
        queue = self.levels.get(level)
        if queue and len(queue) > 1:
            queue.rotate(-1)
