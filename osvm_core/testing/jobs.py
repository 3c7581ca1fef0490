"""Jobs read back from a traced run: releases, ends, deadlines, misses, response times.

The same measure for every policy, so runs under different policies can be
compared (the deadline-miss tests, ``bench/sched.py``). A job is what a task
does between two waits:

- a task with the attribute ``period`` is *periodic*: its first job is released
  at its activation and job ``k`` at ``activation + k * period``; job ``k``
  ends at the task's ``k``-th wait (the ``delay_until`` of its next release),
  and its deadline is its release plus ``deadline`` (default the period);
- any other task: a job is released at its activation and at every release of
  a wait, and ends at its next wait; its deadline is its release plus the
  ``deadline`` attribute, or none.

This agrees with how the ``edf`` policy counts, for tasks that wait only at the
end of a job. It needs a run with the trace enabled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..kernel.kernel import Kernel


@dataclass(frozen=True)
class Job:
    task: str
    release: int
    deadline: int | None
    end: int | None                  # None: still under way when the trace ends

    @property
    def response(self) -> int | None:
        return None if self.end is None else self.end - self.release

    def missed(self, horizon: int) -> bool:
        """Ended after its deadline, or not ended although its deadline passed before ``horizon``."""
        if self.deadline is None:
            return False
        if self.end is None:
            return self.deadline < horizon
        return self.end > self.deadline


def task_jobs(kernel: Kernel, name: str, horizon: int | None = None) -> list[Job]:
    """The jobs of task ``name`` released before ``horizon`` (default: the clock now)."""
    if not kernel.trace.enabled:
        raise ValueError("jobs are read from the trace: build the system with the trace enabled")
    horizon = kernel.board.now() if horizon is None else horizon
    task = kernel.objects.get("task", name)
    period = task.attrs.get("period")
    relative = task.attrs.get("deadline", period)
    starts: list[int] = []
    ends: list[int] = []
    activated = False
    for cycle, kind, who, _detail in kernel.trace.events:
        if who != name:
            continue
        if kind == "activate" and not activated:
            activated = True
            starts.append(cycle)
        elif kind == "release" and activated and period is None:
            starts.append(cycle)
        elif kind == "wait" and activated:
            ends.append(cycle)
    if period is not None and starts:
        first = starts[0]
        starts = list(range(first, horizon, period))
    jobs = []
    for index, release in enumerate(starts):
        if release >= horizon:
            break
        end = ends[index] if index < len(ends) else None
        jobs.append(Job(name, release, None if relative is None else release + relative, end))
    return jobs


def all_jobs(kernel: Kernel, names: list[str] | None = None, horizon: int | None = None) -> dict[str, list[Job]]:
    """``task_jobs`` for every task named (default: every task of the VMs, not the kernel's)."""
    if names is None:
        names = [t.name for t in sorted(kernel.tasks.values(), key=lambda t: t.id)
                 if t.domain is not kernel.kernel_domain]
    return {name: task_jobs(kernel, name, horizon) for name in names}


def count_misses(jobs: list[Job], horizon: int) -> int:
    return sum(job.missed(horizon) for job in jobs)
