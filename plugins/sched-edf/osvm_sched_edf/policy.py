"""Earliest deadline first, with periodic jobs and deadline-miss accounting.

Deadlines come from task attributes (``[task.attrs]`` in the system file):

- ``period`` (cycles) makes a *periodic* task. Its first job is released when
  the task becomes ready (its activation); job ``k`` is released at
  ``first + k * period`` and must end by its release plus ``deadline``
  (relative, default the period).
- ``deadline`` alone makes a *sporadic* task: every time the task becomes ready
  after waiting, a job is released with the deadline ``now + deadline``.
- ``wcet`` (cycles) is informational: it gives the utilisation in ``stats()``.
- A task with neither runs in the background, behind every task with a
  deadline, round-robin among the background tasks (``slice`` option).

**Where a job ends.** A job ends when its task blocks (waits, delays, is
suspended) and the task becomes ready again only at or after its next release.
A periodic task ends each job with ``delay_until(next release)``, which always
blocks; if it becomes ready before its next release (it waited on something in
the middle of a job), the same job goes on. A sporadic task's job ends at its
next wait. A job that ends after its absolute deadline is a miss; a job still
running past its deadline counts as a miss in ``stats()`` while it is overdue.
A late periodic task is not skipped ahead: its next job is released one period
after the late one, as a task that counts its releases expects.

Ready tasks are ordered by absolute deadline, FIFO among equal deadlines
(``rotate`` puts the caller behind its equals). Priorities do not order tasks
here. ``pick`` peeks at the head of a heap; removal is lazy.
"""

from __future__ import annotations

import heapq
import itertools
import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

from osvm_core.errors import ParameterError
from osvm_core.scheduling.policy import SchedulingPolicy

if TYPE_CHECKING:
    from osvm_core.kernel.task import Task

DEFAULT_SLICE = 1000  # cycles a background task runs before the next background task


@dataclass
class Timing:
    """What EDF knows of one task: its attributes, its current job and its record."""

    name: str
    period: int | None
    relative: int | None         # relative deadline; None: a background task
    wcet: int | None
    activation: Any = None       # task.started_at when the current job began (re-activation check)
    release: int = 0
    deadline: float = math.inf   # absolute deadline of the current job
    active: bool = False         # a job is under way (released, not yet judged)
    blocked_at: int | None = None  # the current job blocked then: its end, if the next release comes first
    jobs: int = 0
    misses: int = 0
    worst_response: int = 0
    worst_lateness: int = 0

    def finish(self, end: int) -> None:
        """Judge the current job, which ended at ``end``."""
        self.active = False
        self.jobs += 1
        self.worst_response = max(self.worst_response, end - self.release)
        if end > self.deadline:
            self.misses += 1
            self.worst_lateness = max(self.worst_lateness, int(end - self.deadline))


def _attribute(task: Task, key: str) -> int | None:
    value = task.attrs.get(key)
    if value is None:
        return None
    if type(value) is not int or value <= 0:
        raise ParameterError(f"edf: task '{task.name}' attribute {key} must be a positive number of cycles, "
                             f"got {value!r}")
    return value


class EarliestDeadlineFirst(SchedulingPolicy):
    """The ready task with the earliest absolute deadline runs; background tasks share what is left."""

    name: ClassVar[str] = "edf"

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self.slice = self.options.pop("slice", DEFAULT_SLICE)
        if type(self.slice) is not int or self.slice <= 0:
            raise ParameterError(f"edf slice must be a positive number of cycles, got {self.slice!r}")
        if self.options:
            raise ParameterError(f"edf: unknown options {sorted(self.options)} (known: slice)")
        self.heap: list[list[Any]] = []        # [deadline, seq, task or None when removed]
        self.entries: dict[int, list[Any]] = {}  # task id -> its live heap entry
        self.timings: dict[int, Timing] = {}
        self.ended: dict[str, Timing] = {}     # record of tasks that exited, by name
        self.seq = itertools.count()
        self.slice_owner: int | None = None    # the background task whose slice ``used`` counts
        self.used = 0

    # ---------------------------------------------------------------- the kernel's events
    def _timing(self, task: Task) -> Timing:
        timing = self.timings.get(task.id)
        if timing is None:
            period = _attribute(task, "period")
            relative = _attribute(task, "deadline")
            if period is not None and relative is None:
                relative = period
            timing = self.timings[task.id] = Timing(task.name, period, relative, _attribute(task, "wcet"))
        return timing

    def ready(self, task: Task) -> None:
        now = self.now()
        timing = self._timing(task)
        activation = getattr(task, "started_at", None)
        if timing.active and timing.activation != activation:   # ended while waiting, activated again
            timing.finish(timing.blocked_at if timing.blocked_at is not None else now)
        if timing.relative is not None:
            if not timing.active:
                self._release(timing, now, activation)
            elif timing.blocked_at is not None and (timing.period is None
                                                    or now >= timing.release + timing.period):
                timing.finish(timing.blocked_at)
                self._release(timing, now if timing.period is None else timing.release + timing.period,
                              activation)
            timing.blocked_at = None
        self._push(task, timing.deadline)

    def _release(self, timing: Timing, release: int, activation: Any) -> None:
        timing.release = release
        timing.deadline = release + timing.relative
        timing.active = True
        timing.activation = activation

    def _push(self, task: Task, deadline: float) -> None:
        old = self.entries.get(task.id)
        if old is not None:
            old[2] = None
        entry = [deadline, next(self.seq), task]
        self.entries[task.id] = entry
        heapq.heappush(self.heap, entry)

    def blocked(self, task: Task) -> None:
        entry = self.entries.pop(task.id, None)
        if entry is None:
            return
        entry[2] = None
        timing = self.timings.get(task.id)
        if timing is not None and timing.active:
            timing.blocked_at = self.now()
        if self.slice_owner == task.id:
            self.slice_owner = None

    def exited(self, task: Task) -> None:
        self.blocked(task)
        timing = self.timings.pop(task.id, None)
        if timing is None:
            return
        if timing.active:
            timing.finish(timing.blocked_at if timing.blocked_at is not None else self.now())
        record = self.ended.get(timing.name)
        if record is None:
            self.ended[timing.name] = timing
        else:
            record.jobs += timing.jobs
            record.misses += timing.misses
            record.worst_response = max(record.worst_response, timing.worst_response)
            record.worst_lateness = max(record.worst_lateness, timing.worst_lateness)

    def pick(self) -> Task | None:
        heap = self.heap
        while heap and heap[0][2] is None:
            heapq.heappop(heap)
        return heap[0][2] if heap else None

    def tick(self, task: Task, used: int) -> bool:
        entry = self.entries.get(task.id)
        if entry is None or entry[0] != math.inf:
            return False                       # deadline tasks run until they block or are preempted
        if self.slice_owner != task.id:
            self.slice_owner, self.used = task.id, 0
        self.used += used
        if self.used < self.slice:
            return False
        self.slice_owner, self.used = None, 0  # slice over: behind the other background tasks
        entry[2] = None
        self._push(task, math.inf)
        return True

    def remaining(self, task: Task) -> int | None:
        entry = self.entries.get(task.id)
        if entry is None or entry[0] != math.inf:
            return None
        return self.slice - self.used if self.slice_owner == task.id else self.slice

    def rotate(self, task: Task) -> None:
        """Behind the ready tasks of the same deadline; the job goes on."""
        entry = self.entries.get(task.id)
        if entry is not None:
            if self.slice_owner == task.id:
                self.slice_owner = None
            self._push(task, entry[0])

    def reprioritized(self, task: Task, old_priority: int) -> None:
        """Priorities do not order EDF: nothing moves."""

    # ---------------------------------------------------------------- figures
    def records(self) -> list[Timing]:
        """Every deadline task's record as of now, the current job judged if it has ended or is late."""
        now = self.now()
        records: dict[str, Timing] = {name: replace(t) for name, t in self.ended.items()}
        for live in self.timings.values():
            if live.relative is None:
                continue
            view = replace(live)
            if view.active and view.blocked_at is not None:
                view.finish(view.blocked_at)          # blocked: done unless it wakes before its next release
            elif view.active and now > view.deadline:
                view.misses += 1                      # overdue and still running
                view.worst_lateness = max(view.worst_lateness, int(now - view.deadline))
            if view.period is not None:
                # later releases whose deadlines have passed before their jobs could begin
                overdue = now - (view.release + view.period) - view.relative
                if overdue > 0:
                    view.misses += -(-overdue // view.period)
            record = records.get(view.name)
            if record is None:
                records[view.name] = view
            else:
                record.jobs += view.jobs
                record.misses += view.misses
                record.worst_response = max(record.worst_response, view.worst_response)
                record.worst_lateness = max(record.worst_lateness, view.worst_lateness)
        return sorted((r for r in records.values() if r.relative is not None), key=lambda r: r.name)

    def stats(self) -> dict[str, Any]:
        records = self.records()
        if not records:
            return {}
        figures: dict[str, Any] = {
            "jobs": sum(r.jobs for r in records),
            "deadline misses": sum(r.misses for r in records),
        }
        periodic = [r for r in records if r.period is not None and r.wcet is not None]
        if periodic:
            figures["utilisation (wcet/period)"] = round(sum(r.wcet / r.period for r in periodic), 4)
        for record in records:
            figures[f"misses {record.name}"] = f"{record.misses} of {record.jobs} jobs"
            figures[f"worst response {record.name}"] = record.worst_response
        return figures
